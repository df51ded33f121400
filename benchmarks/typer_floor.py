"""Reference point for start-up: the least any typer command with fichekit parse's parameters costs.

A one-command typer app with the five parameters of ``fichekit parse`` (a
list of paths, an output path, three optional strings), run on one file. It
does nothing else: what it costs is typer's own start-up, which since typer
0.2x includes building a pydantic validator for every parameter of the command
run. ``fichekit parse`` on one sheet is compared with it and with the bare
imports of ``typer`` and ``pydantic``.

Usage: python benchmarks/typer_floor.py FICHIER
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument()],
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    from_format: Annotated[str | None, typer.Option("--from")] = None,
    rubriques: Annotated[Path | None, typer.Option("--rubriques")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding")] = None,
) -> None:
    """Read nothing: only typer's work is measured."""


if __name__ == "__main__":
    app()
