"""The `thesis` executable: hand the run to a warm server when one can take it, else run here.

`thesis --version` answers before any import. Any other run goes to the resident server for
this code (`thesis.server`) when one is listening: the answer is the same, in a fraction of the
start-up time. Without one, the run happens in this process, as always, and on an interactive
terminal a server is started in the background for the runs that follow (not under CI).
`THESIS_SERVER=off` keeps every run in-process; `THESIS_SERVER=on` starts a server even off a
terminal. Shell completion always runs here: it reads which shell called it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys

STARTED_SECONDS = 5.0
"""How long a server may take to say it has started the run; past it, the connection is closed
(so that run never starts) and the run happens here."""


def main() -> None:
    args = sys.argv[1:]
    if args == ["--version"]:
        from thesis import __version__

        print(f"thesis {__version__}")
        return
    setting = os.environ.get("THESIS_SERVER", "").strip().lower()
    if setting not in ("off", "0", "no") and _served_here(args):
        code = _through_server(autostart=setting in ("on", "1", "yes") or _interactive())
        if code is not None:
            sys.exit(code)
    from thesis.cli import main as run_here

    run_here()


def _served_here(args: list[str]) -> bool:
    """Whether a server may run this command: not `thesis server ...` itself, and not shell
    completion."""
    completion = any(a.startswith(("--install-completion", "--show-completion")) for a in args)
    streams = sys.stdin is not None and sys.stdout is not None and sys.stderr is not None
    return streams and not (completion or (args and args[0] == "server")
                            or any(k.startswith("_THESIS_COMPLETE") for k in os.environ))


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty() and not os.environ.get("CI")


def _through_server(autostart: bool) -> int | None:
    """The exit code of the run done by the server, or None when none took it (and then,
    if `autostart`, one is started for next time). Once a server has started the run, it is
    never run again here, whatever happens to the connection."""
    from thesis import server

    path = server.address(create=autostart)
    if path is None:
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with conn:
        try:
            conn.connect(str(path))
            conn.settimeout(STARTED_SECONDS)
            server.send(conn, server.request(), [0, 1, 2])
            started, _ = server.receive(conn)
            conn.settimeout(None)
        except (FileNotFoundError, ConnectionRefusedError):
            if autostart:
                server.spawn(path)
            return None
        except (OSError, ValueError):
            return None
        if started is None or "pid" not in started:
            return None  # nothing ran: run here
        return _wait(conn, int(started["pid"]))


def _wait(conn: socket.socket, pid: int) -> int:
    """Wait for the run's exit code, passing an interrupt (Ctrl-C) on to it."""
    from thesis import server

    while True:
        try:
            finished, _ = server.receive(conn)
        except KeyboardInterrupt:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGINT)
            continue
        except (OSError, ValueError):
            finished = None
        if finished is None or "exit" not in finished:
            print("thesis: the server's run ended without an exit code", file=sys.stderr)
            return 1
        return int(finished["exit"])
