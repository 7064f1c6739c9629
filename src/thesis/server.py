"""A resident `thesis` that answers the command line in a fraction of its start-up time.

Starting `thesis` costs about a second before any work: numpy, scipy, pydantic and typer
imports, the models built, the shipped scorecards read. An analyst scores a file dozens of
times while editing it, so the command line can hand each run to a warm server instead
(`thesis.launch`). The server has imported everything and read the shipped files once; for each
run it forks a child, a copy of that warm process, and the child becomes the run: it takes the
caller's terminal (its stdin, stdout and stderr, passed over a Unix socket as file descriptors),
working folder, environment, umask and arguments, runs the ordinary command line, and reports
the exit code. Every run starts from the same warm state and leaves nothing behind; the output
is the command line's own, byte for byte (`tests/test_server.py`).

Safety: the socket lives in a folder only this user can enter (`address`), the server answers
only its own user (`SO_PEERCRED`), and the messages are JSON, never pickle. The socket's name
is a fingerprint of the code (`fingerprint`): an edited or reinstalled `thesis` or
dependency gets a new server, and an old one is never asked. A server leaves after
`IDLE_SECONDS` without a run. Forking needs a POSIX system; elsewhere `thesis` runs in-process.

This module imports only the standard library at its top: `thesis.launch` reads it on every run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import select
import signal
import socket
import stat
import struct
import sys
import time
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

    from thesis.subjects import SubjectName

IDLE_SECONDS = 15 * 60
"""A server with no run for this long leaves (it holds about 150 MB)."""
START_SECONDS = 20.0
"""How long `thesis server start` waits for a new server to answer."""
_HEADER = struct.Struct("!I")
MAX_MESSAGE = 16 << 20
"""The largest message read (a run's request holds its environment)."""
_STREAMS = ("stdin", "stdout", "stderr")
_PASSED_ON = frozenset({"argv", "cwd", "env", "umask", "streams"})


def supported() -> bool:
    """Whether this system can run the server: fork, Unix sockets and descriptor passing."""
    return hasattr(os, "fork") and hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds")


def folder() -> Path:
    """The folder of this user's sockets: `$THESIS_SERVER_DIR`, else
    `$XDG_RUNTIME_DIR/thesis`, else `/tmp/thesis-<uid>`."""
    if os.environ.get("THESIS_SERVER_DIR"):
        return Path(os.environ["THESIS_SERVER_DIR"])
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return Path(runtime, "thesis") if runtime else Path(f"/tmp/thesis-{os.getuid()}")


def private_folder(create: bool) -> Path | None:
    """The socket folder, if it is a real folder owned by this user that nobody else may enter
    (made so when `create`); else None, and nothing is served from it."""
    path = folder()
    if create:
        with contextlib.suppress(FileExistsError, OSError):
            path.mkdir(mode=0o700, parents=True)
    try:
        info = path.lstat()
    except OSError:
        return None
    private = (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
               and not stat.S_IMODE(info.st_mode) & 0o077)
    return path if private else None


def fingerprint() -> str:
    """A name for this exact code: the interpreter, the import path (each folder's modification
    time, which an install or upgrade changes; not the first entry, the script's own folder or
    the working folder) and every file of the `thesis` package (path, size, modification
    time). Any change names a different server."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    interpreter = os.path.realpath(sys.executable)
    digest.update(f"{interpreter}\0{sys.prefix}\0{sys.version}\0{package}\0".encode())
    for entry in sys.path[1:]:
        with contextlib.suppress(OSError):
            digest.update(f"{entry}\0{Path(entry or '.').stat().st_mtime_ns}\0".encode())
    for root, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            info = Path(root, name).stat()
            rel = Path(root, name).relative_to(package)
            digest.update(f"{rel}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()[:20]


def address(create: bool = False) -> Path | None:
    """The socket of the server for this code, or None where none may be served."""
    base = private_folder(create) if supported() else None
    return None if base is None else base / f"{fingerprint()}.sock"


# --- messages: a length-prefixed JSON object each way -------------------------------------

def send(conn: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode()
    packet = _HEADER.pack(len(data)) + data
    if fds:
        sent = socket.send_fds(conn, [packet], fds)
        packet = packet[sent:]
    if packet:
        conn.sendall(packet)


def receive(conn: socket.socket, maxfds: int = 0) -> tuple[dict[str, Any] | None, list[int]]:
    """The next message and the descriptors that came with it; (None, []) at end of stream.
    Reads exactly one message's bytes, so the next one stays for the next call."""
    header, fds = b"", list[int]()
    while len(header) < _HEADER.size:
        if maxfds and not header:
            chunk, fds, _, _ = socket.recv_fds(conn, _HEADER.size, maxfds)
        else:
            chunk = conn.recv(_HEADER.size - len(header))
        if not chunk:
            for fd in fds:
                os.close(fd)
            return None, []
        header += chunk
    (length,) = _HEADER.unpack(header)
    if length > MAX_MESSAGE:
        raise ValueError(f"a message of {length:,} bytes; the limit is {MAX_MESSAGE:,}")
    body = b""
    while len(body) < length:
        chunk = conn.recv(length - len(body))
        if not chunk:
            for fd in fds:
                os.close(fd)
            return None, []
        body += chunk
    message = json.loads(body)
    if not isinstance(message, dict):
        raise ValueError("a message is a JSON object")
    return message, fds


def request() -> dict[str, Any]:
    """What a run needs from its caller, besides the three descriptors."""
    return {"argv": sys.argv[1:], "cwd": str(Path.cwd()), "env": dict(os.environ),
            "umask": _umask(),
            "streams": {name: [getattr(sys, name).encoding, getattr(sys, name).errors]
                        for name in _STREAMS}}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- the server ---------------------------------------------------------------------------

def serve(path: Path, idle: float = IDLE_SECONDS) -> None:
    """Warm up, listen at `path` and fork a child per run until `idle` seconds pass without
    one, a `stop` message comes, or another server takes the address."""
    import fcntl

    lock = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return  # another server for this code is starting or running
    from thesis.batch import keep_freed_memory

    keep_freed_memory()  # the runs it forks inherit it
    with contextlib.suppress(Exception):  # a cold server still saves the imports
        warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the system
    signal.signal(signal.SIGTERM, _leave)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    path.chmod(0o600)
    listener.listen(64)
    bound = path.stat().st_ino
    started = time.time()
    last = time.monotonic()
    runs = 0
    try:
        while True:
            ready, _, _ = select.select([listener], [], [], min(idle, 60.0))
            if not ready:
                if time.monotonic() - last >= idle or _moved(path, bound):
                    return
                continue
            conn, _ = listener.accept()
            last = time.monotonic()
            if not _same_user(conn):
                conn.close()
                continue
            runs += 1
            if os.fork() == 0:
                listener.close()
                _child(conn, {"pid": os.getppid(), "started": started, "runs": runs})
            conn.close()
    finally:
        listener.close()
        if not _moved(path, bound):
            path.unlink()
        os.close(lock)


def _leave(number: int, frame: object) -> None:
    raise SystemExit(0)


def _moved(path: Path, inode: int) -> bool:
    try:
        return path.stat().st_ino != inode
    except OSError:
        return True


def _same_user(conn: socket.socket) -> bool:
    """Whether the caller runs as this user (Linux says so; elsewhere the folder's mode does)."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    creds = conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    return bool(struct.unpack("3i", creds)[1] == os.getuid())


def _child(conn: socket.socket, server: dict[str, Any]) -> None:
    """One run in a fresh copy of the warm server: never returns."""
    code = 1
    try:
        for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        message, fds = receive(conn, maxfds=3)
        if message is None:
            os._exit(0)
        if message.get("stop"):
            os.kill(server["pid"], signal.SIGTERM)
            send(conn, {"stopped": server["pid"]})
            os._exit(0)
        if message.get("status"):
            send(conn, {**server, "fingerprint": Path(conn.getsockname()).stem})
            os._exit(0)
        if len(fds) != 3 or not message.keys() >= _PASSED_ON:
            os._exit(1)
        _become(message, fds)
        send(conn, {"pid": os.getpid()})
        code = _run()
    finally:
        with contextlib.suppress(Exception):
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
        with contextlib.suppress(Exception):
            send(conn, {"exit": code})
        os._exit(0)


def _become(message: dict[str, Any], fds: list[int]) -> None:
    """Take on the caller's descriptors, folder, environment, umask, streams and arguments."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(message["cwd"])
    os.environ.clear()
    os.environ.update(message["env"])
    time.tzset()  # local time follows the caller's TZ
    os.umask(message["umask"])
    for number, name in enumerate(_STREAMS):
        encoding, errors = message["streams"][name]
        tty = os.isatty(number)
        setattr(sys, name, open(number, "r" if number == 0 else "w", encoding=encoding,  # noqa: SIM115
                                errors=errors, closefd=False, buffering=1 if tty else -1))
    sys.argv = ["thesis", *message["argv"]]


def _run() -> int:
    """The ordinary command line, and its exit code."""
    from thesis.cli import main

    try:
        main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def warm_up() -> None:
    """Import everything a run may need and read the shipped files once, by scoring, reporting
    and validating a fully answered company and market (the `thesis init` templates with every
    example given) with the output thrown away."""
    import tempfile

    from thesis.cli import main
    from thesis.template import answered, template

    called = sys.argv
    try:
        with tempfile.TemporaryDirectory() as scratch, Path(os.devnull).open("w") as sink, \
                contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            runs: list[list[str]] = [["--help"], ["score", "-h"], ["score", "--no-such-option"]]
            kinds: tuple[SubjectName, ...] = ("company", "market")
            for kind in kinds:
                subject = Path(scratch, f"{kind}.yaml")
                subject.write_text(answered(template(kind), kind), encoding="utf-8")
                runs += [["score", str(subject)], ["validate", str(subject)],
                         ["report", str(subject), "-n", "256", "-o",
                          str(subject.with_suffix(".html"))]]
            for argv in runs:
                sys.argv = ["thesis", *argv]
                with contextlib.suppress(SystemExit):
                    main()
    finally:
        sys.argv = called
    import gc

    gc.collect()
    gc.freeze()  # the children share these pages instead of copying them on first collection


# --- what the command line asks of it -----------------------------------------------------

@contextlib.contextmanager
def connect(path: Path, timeout: float | None = None) -> Iterator[socket.socket]:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(timeout)
        conn.connect(str(path))
        yield conn
    finally:
        conn.close()


def spawn(path: Path) -> None:
    """Start a server for `path` in the background, detached from this terminal and session."""
    import subprocess

    subprocess.Popen([sys.executable, "-m", "thesis.server", str(path)],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True)


def ask(path: Path, message: dict[str, Any]) -> dict[str, Any] | None:
    """One question (`status` or `stop`) to the server at `path`; None if none answers."""
    try:
        with connect(path, timeout=5.0) as conn:
            send(conn, message)
            return receive(conn)[0]
    except (OSError, ValueError):
        return None


def servers() -> list[Path]:
    """Every socket in this user's folder (for this code or another)."""
    base = private_folder(create=False)
    return sorted(base.glob("*.sock")) if base else []


def stop() -> list[int]:
    """Stop every server of this user (for this code or another); the pids that stopped."""
    answers = [ask(path, {"stop": True}) for path in servers()]
    return [int(answer["stopped"]) for answer in answers if answer is not None]


def start(wait: float = START_SECONDS) -> dict[str, Any] | None:
    """Make sure a server for this code runs, and return its status (None if it did not come
    up within `wait` seconds, or cannot run here)."""
    path = address(create=True)
    if path is None:
        return None
    status = ask(path, {"status": True})
    if status is None:
        spawn(path)
        deadline = time.monotonic() + wait
        while status is None and time.monotonic() < deadline:
            time.sleep(0.05)
            status = ask(path, {"status": True})
    return status


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
