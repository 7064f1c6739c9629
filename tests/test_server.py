"""The resident server (`thesis.server`, `thesis.launch`): a run it answers is the run the
command line does in-process, byte for byte, in the caller's folder and environment; it serves
only from a private folder, stops when asked, and falls back to in-process whenever it cannot
take a run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from thesis import server

pytestmark = pytest.mark.skipif(not server.supported(), reason="needs fork and Unix sockets")

CASEBOOK = ROOT / "examples" / "companies" / "casebook.yaml"
LAUNCH = "from thesis.launch import main; main()"


def thesis(*args: str, env: dict[str, str], cwd: Path = ROOT,
           stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The `thesis` executable's entry point, run as a user would run it."""
    return subprocess.run([sys.executable, "-c", LAUNCH, *args], env=env, cwd=cwd,
                          input=stdin, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment of a caller with a running server (in a private folder of its own)."""
    folder = tmp_path_factory.mktemp("server")
    folder.chmod(0o700)
    env = {**os.environ, "THESIS_SERVER_DIR": str(folder), "THESIS_SERVER": "",
           "COLUMNS": "100"}
    env.pop("CI", None)
    before = os.environ.copy()
    os.environ.update(env)
    try:
        status = server.start()
        assert status is not None, "the server did not come up"
        yield env
    finally:
        server.stop()
        os.environ.clear()
        os.environ.update(before)


def answered(env: dict[str, str]) -> int:
    """How many requests the server has answered (this one included)."""
    path = server.address()
    assert path is not None
    status = server.ask(path, {"status": True})
    assert status is not None
    return int(status["runs"])


def in_process(env: dict[str, str]) -> dict[str, str]:
    return {**env, "THESIS_SERVER": "off"}


@pytest.mark.parametrize("args", [
    ["score", str(CASEBOOK)],
    ["score", str(CASEBOOK), "-f", "json", "-n", "512", "--seed", "3"],
    ["validate", "examples/companies/casebook.yaml", "examples/markets/ai-2025.yaml"],
    ["score", "examples/companies/missing.yaml"],
    ["score", str(CASEBOOK), "--samples", "-1"],
    ["-h"],
])
def test_a_served_run_is_the_in_process_run(served: dict[str, str], args: list[str]) -> None:
    before = answered(served)
    here = thesis(*args, env=in_process(served))
    there = thesis(*args, env=served)
    assert answered(served) == before + 2  # the run (and this status question) went there
    assert (there.returncode, there.stdout, there.stderr) == (
        here.returncode, here.stdout, here.stderr)
    assert here.stdout or here.stderr


def test_messages_sent_back_to_back_are_read_one_at_a_time() -> None:
    """A quick run's "started" and "exit" messages can arrive in one packet: each `receive`
    takes exactly one, with the descriptors sent along with it."""
    here, there = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with here, there:
        server.send(here, {"argv": ["x" * 70_000]}, [0, 1, 2])
        server.send(here, {"pid": 7})
        server.send(here, {"exit": 2})
        first, fds = server.receive(there, maxfds=3)
        assert first == {"argv": ["x" * 70_000]} and len(fds) == 3
        for fd in fds:
            os.close(fd)
        assert server.receive(there) == ({"pid": 7}, [])
        assert server.receive(there) == ({"exit": 2}, [])
        here.close()
        assert server.receive(there) == (None, [])


def test_a_served_run_takes_the_callers_folder_environment_and_input(
        served: dict[str, str], tmp_path: Path) -> None:
    company = tmp_path / "acme.yaml"
    company.write_text(CASEBOOK.read_text(encoding="utf-8").replace(
        "../markets/", f"{ROOT}/examples/markets/"), encoding="utf-8")
    narrow = {**served, "COLUMNS": "84"}
    done = thesis("score", "acme.yaml", "-n", "256", "-o", "acme.md", env=narrow, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    here = thesis("score", "acme.yaml", "-n", "256", "-o", "here.md", env=in_process(narrow),
                  cwd=tmp_path)
    assert here.returncode == 0
    assert (tmp_path / "acme.md").read_text(encoding="utf-8") == (
        tmp_path / "here.md").read_text(encoding="utf-8")
    table = thesis("score", "acme.yaml", "-n", "256", env=narrow, cwd=tmp_path).stdout
    assert max(len(line) for line in table.splitlines()) <= 84
    piped = thesis("validate", "-", env=served, cwd=tmp_path, stdin="name: x\n")
    assert piped.returncode == thesis("validate", "-", env=in_process(served), cwd=tmp_path,
                                      stdin="name: x\n").returncode


def listen_to_interrupts() -> None:
    """In the caller: take Ctrl-C as a terminal's user would, even where this test runs with
    interrupts ignored (a background job), which the caller would otherwise inherit."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_an_interrupt_reaches_the_served_run(served: dict[str, str]) -> None:
    """Ctrl-C on the caller stops the run in the server's child: exit 130, as in-process."""
    before = answered(served)
    long = subprocess.Popen([sys.executable, "-c", LAUNCH, "score", str(CASEBOOK), "-n",
                             "4000000"], env=served, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=listen_to_interrupts)
    deadline = time.monotonic() + 30
    while answered(served) < before + 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # until the server has taken the run
    time.sleep(0.5)
    long.send_signal(signal.SIGINT)
    assert long.wait(timeout=30) == 130


def test_no_server_is_used_from_a_folder_others_may_enter(served: dict[str, str],
                                                         tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    env = {**served, "THESIS_SERVER_DIR": str(shared), "THESIS_SERVER": "on"}
    done = thesis("score", str(CASEBOOK), "-n", "0", env=env)
    assert done.returncode == 0  # run in-process
    assert not list(shared.iterdir())  # and no server was started there


def test_the_name_of_a_server_changes_with_the_code(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    first = server.fingerprint()
    assert server.fingerprint() == first
    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path)])
    changed = server.fingerprint()
    assert changed != first
    os.utime(tmp_path, ns=(1, 1))  # a package installed into a folder on the path
    assert server.fingerprint() != changed


def test_a_stopped_server_leaves_and_runs_go_back_in_process(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir(mode=0o700)
    env = {**os.environ, "THESIS_SERVER_DIR": str(folder), "THESIS_SERVER": "on"}
    first = thesis("score", str(CASEBOOK), "-n", "0", env=env)  # in-process; starts one
    assert first.returncode == 0
    stopped = thesis("server", "start", env=env)
    assert "running since" in stopped.stdout
    assert thesis("score", str(CASEBOOK), "-n", "0", env=env).stdout == first.stdout
    assert "stopped server" in thesis("server", "stop", env=env).stdout
    assert not list(folder.glob("*.sock"))
    assert "no server runs" in thesis("server", "status", env=env).stdout
    off = {**env, "THESIS_SERVER": "off"}
    assert thesis("score", str(CASEBOOK), "-n", "0", env=off).stdout == first.stdout
    assert not list(folder.glob("*.sock"))
