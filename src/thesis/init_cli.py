"""`thesis init`: write a commented company or market file to fill in (`thesis.template`).

The file is written atomically and never over an existing one unless `--force` says so. Like
`thesis.cli`, this module imports no numpy, scipy or pydantic until the command runs;
`thesis.cli` imports it, and it registers the command there.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from thesis.cli import app, check_output, choices, example, user_errors, write_output
from thesis.errors import OutputError


class TemplateKind(StrEnum):
    """What the template describes."""

    company = "company"
    market = "market"


@user_errors
def init_command(
    path: Annotated[Path, typer.Argument(
        help="The YAML file to write ('-': the terminal).", metavar="FILE")],
    kind: Annotated[TemplateKind, typer.Option(
        "--kind", "-k", metavar="KIND", help=f"{choices(TemplateKind)}: what the file "
        "describes.", case_sensitive=False)] = TemplateKind.company,
    force: Annotated[bool, typer.Option(
        "--force", help="Overwrite the file if it exists.")] = False,
) -> None:
    """Write a company or market file to fill in: every field with its question, its unit and
    an example value.

    The file validates and scores as written; replace each example with what you know, or
    delete it (a figure left out is drawn from the scorecard's prior)."""
    from thesis.template import schema_reference, template

    check_output(path, "FILE")
    to_terminal = str(path) == "-"
    if not to_terminal and path.exists() and not force:
        raise OutputError(f"{path}: already exists; pass --force to overwrite it")
    here = Path.cwd() / "template.yaml" if to_terminal else path
    write_output(template(kind.value, schema_reference(kind.value, here)), path)
    if not to_terminal:
        typer.echo(f"{path}: written ({kind.value}); fill it in, then: thesis score {path}")


app.command("init", epilog=example("thesis init deals/acme.yaml --kind company"))(init_command)
