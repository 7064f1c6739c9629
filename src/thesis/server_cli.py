"""`thesis server start|stop|status`: the resident server that answers runs at once
(`thesis.server`). On an interactive terminal `thesis` starts one by itself; these commands are
for scripts and editors (which are not terminals), and for stopping it. Like `thesis.cli`,
this module imports no numpy, scipy or pydantic; `thesis.cli` imports it, and it registers the
command there.
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import Annotated, Any

import typer

from thesis.cli import app, choices, example, user_errors
from thesis.errors import UserError


class Action(StrEnum):
    """What to do with the server."""

    start = "start"
    stop = "stop"
    status = "status"


@user_errors
def server_command(
    action: Annotated[Action, typer.Argument(
        help=f"{choices(Action)}: start one for this installation of thesis (if none runs), "
        "stop every one of this user, or list them.", metavar="ACTION")] = Action.status,
) -> None:
    """Keep a warm `thesis` in the background, so each run answers in a fraction of the start-up.

    Each run is forked from the warm process and takes your terminal, folder and environment:
    the output is the same as without it. It serves only your user, leaves after 15 minutes
    without a run, and is replaced when thesis or its packages change. THESIS_SERVER=off keeps
    every run in-process; THESIS_SERVER=on starts one even where `thesis` is not run from a
    terminal."""
    from thesis import server

    if not server.supported():
        raise UserError("the server needs fork and Unix sockets (Linux, macOS); thesis runs "
                        "in-process here")
    if action is Action.start:
        status = server.start()
        if status is None:
            raise UserError(f"no server could start in {server.folder()} (it must be a folder "
                            "only you can enter)")
        typer.echo(_line(status))
    elif action is Action.stop:
        for pid in server.stop():
            typer.echo(f"stopped server {pid}")
    else:
        found = [status for path in server.servers()
                 if (status := server.ask(path, {"status": True})) is not None]
        current = server.address()
        for status in found:
            here = current is not None and status["fingerprint"] == current.stem
            typer.echo(_line(status) + ("" if here else " (for other code: not used)"))
        if not found:
            typer.echo("no server runs; thesis runs in-process")


def _line(status: dict[str, Any]) -> str:
    since = time.strftime("%Y-%m-%d %H:%M", time.localtime(status["started"]))
    runs = int(status["runs"])
    return (f"server {status['pid']} running since {since}, {runs} request"
            f"{'' if runs == 1 else 's'} answered")


app.command("server", epilog=example("thesis server start"))(server_command)
