"""The ``fichekit`` command: a thin typer shell over the library.

Each command turns its options into one library call, prints diagnostics on
stderr as ``path:line: message`` and maps errors to exit codes in one place
(:func:`_fail`): 0 ok, 1 invalid input or failed file, 2 usage, 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from . import __version__
from ._i18n import install_french_messages
from .errors import FichekitError
from .writers import DEFAULT_TITLE, Format, WriterOptions, format_for_path

if TYPE_CHECKING:
    from .findings import Finding

install_french_messages()

app = typer.Typer(
    name="fichekit",
    help=(
        "Convertit les fiches d'expérience (exports texte bruts) en données : JSON, CSV, "
        "Markdown et recueil Word ; vérifie les fiches en intégration continue."
    ),
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EncodingOption = Annotated[
    Optional[str],
    typer.Option(
        "--encoding",
        metavar="ENCODAGE",
        help="Forcer l'encodage des entrées (utf-8, utf-16, cp1252…). Par défaut : détecté.",
    ),
]


def _stderr_console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _error(message: str) -> None:
    if sys.stderr.isatty():
        _stderr_console().print(f"[bold red]erreur[/] : {message}", markup=True)
    else:
        sys.stderr.write(f"erreur : {message}\n")


def _warn(finding: Finding) -> None:
    line = str(finding)
    if sys.stderr.isatty():
        from rich.markup import escape

        _stderr_console().print(f"[yellow]{escape(line)}[/]")
    else:
        sys.stderr.write(line + "\n")


def _fail(exc: FichekitError | KeyboardInterrupt) -> NoReturn:
    """The one place that turns errors into messages and exit codes."""
    if isinstance(exc, KeyboardInterrupt):
        sys.stderr.write("\nInterrompu : aucun fichier partiel n'a été laissé.\n")
        raise typer.Exit(130)
    _error(str(exc))
    raise typer.Exit(1)


def _usage(message: str) -> NoReturn:
    sys.stderr.write(f"Utilisation : voir « fichekit --help ».\nerreur : {message}\n")
    raise typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"fichekit {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Afficher la version et quitter."),
    ] = False,
) -> None:
    """Convertit les fiches d'expérience (exports texte bruts) en JSON, CSV, Markdown et recueil Word."""


@app.command()
def parse(
    files: Annotated[list[str], typer.Argument(metavar="FICHIER", help="Exports texte à lire (« - » : entrée standard).")],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", metavar="SORTIE", help="Écrire le JSON dans ce fichier plutôt que sur la sortie standard.")
    ] = None,
    encoding: EncodingOption = None,
) -> None:
    """Lit des exports texte et écrit leurs fiches en JSON (un tableau d'objets, UTF-8).

    Chaque fichier illisible est signalé sur la sortie d'erreur ; les autres sont
    quand même lus. Code de sortie 1 si un fichier a échoué.

    Exemple : fichekit parse exports/atelier.txt -o fiches.json
    """
    from .api import iter_load
    from .output import atomic_output, check_not_an_input
    from .writers import get_writer

    fiches = []
    failed = False
    findings: list[Finding] = []
    try:
        for name in files:
            try:
                fiches.extend(iter_load(name, encoding=encoding, findings=findings))
            except FichekitError as exc:
                failed = True
                _error(str(exc))
        for finding in findings:
            _warn(finding)
        writer = get_writer(Format.JSON)
        if output is None:
            writer.write(fiches, sys.stdout.buffer)
            sys.stdout.flush()
        elif fiches:
            check_not_an_input(output, files)
            with atomic_output(output) as stream:
                writer.write(fiches, stream)
    except (FichekitError, KeyboardInterrupt) as exc:
        _fail(exc)
    if failed:
        raise typer.Exit(1)


@app.command()
def convert(
    inputs: Annotated[
        list[str],
        typer.Argument(metavar="ENTRÉE", help="Exports texte, ou JSON/Markdown produits par fichekit (« - » : entrée standard)."),
    ],
    to: Annotated[
        Optional[Format],
        typer.Option("--to", "-t", metavar="FORMAT", help="Format de sortie : json, jsonl, csv, md ou docx. Par défaut : d'après l'extension de -o."),
    ] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", metavar="SORTIE", help="Fichier à écrire (obligatoire pour docx).")] = None,
    split: Annotated[
        Optional[Path], typer.Option("--split", metavar="DOSSIER", help="Écrire un fichier par fiche dans ce dossier (qui doit exister).")
    ] = None,
    title: Annotated[str, typer.Option("--title", metavar="TITRE", help="Titre du recueil Word.")] = DEFAULT_TITLE,
    template: Annotated[
        Optional[Path], typer.Option("--template", metavar="MODÈLE", help="Modèle Word (.docx) dont reprendre les styles, la mise en page, l'en-tête et le pied de page.")
    ] = None,
    delimiter: Annotated[str, typer.Option("--delimiter", metavar="CAR", help="Séparateur de colonnes du CSV.")] = ",",
    bom: Annotated[bool, typer.Option("--bom", help="Commencer le CSV par une marque d'ordre des octets UTF-8 (BOM).")] = False,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV pour Excel/LibreOffice en français : « ; », BOM, fins de ligne CRLF, formules neutralisées.")
    ] = False,
    encoding: EncodingOption = None,
) -> None:
    """Convertit une ou plusieurs entrées en JSON, JSON Lines, CSV, Markdown ou recueil Word.

    Plusieurs entrées forment une seule collection, dans l'ordre donné. Les
    fichiers sont écrits d'un bloc (fichier temporaire puis renommage) : une
    erreur ne laisse jamais de fichier à moitié écrit.

    Exemple : fichekit convert exports/*.txt --to docx -o recueil.docx
    """
    from .convert import check_inputs
    from .convert import convert as run_convert

    fmt = to or (format_for_path(output) if output is not None else None)
    if fmt is None:
        _usage("précisez le format avec --to (json, jsonl, csv, md, docx) ou une extension connue pour -o")
    if output is not None and split is not None:
        _usage("--output et --split s'excluent : choisissez l'un ou l'autre")
    if fmt.is_binary and output is None and split is None:
        _usage(f"le format {fmt.value} s'écrit dans un fichier : ajoutez -o recueil.{fmt.value}")
    if len(delimiter) != 1:
        _usage("--delimiter attend un seul caractère")
    options = WriterOptions(title=title, template=template, delimiter=delimiter, bom=bom, excel=excel)
    try:
        if bad := check_inputs(inputs, encoding):
            for exc in bad:
                _error(str(exc))
            raise typer.Exit(1)
        with _progress(len(inputs)) as progress:
            report = run_convert(
                inputs,
                fmt,
                output=output,
                split_dir=split,
                stdout=sys.stdout.buffer,
                options=options,
                encoding=encoding,
                progress=progress,
            )
        sys.stdout.flush()
    except (FichekitError, KeyboardInterrupt) as exc:
        _fail(exc)
    for finding in report.findings:
        _warn(finding)
    if output is not None or split is not None:
        where = str(output) if output is not None else f"{len(report.outputs)} fichiers dans {split}"
        sys.stderr.write(f"{report.fiches} fiche{'s' if report.fiches > 1 else ''} → {where}\n")


class _progress:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self, total_inputs: int) -> None:
        self.total = total_inputs
        self.bar = None
        self.task = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        if not sys.stderr.isatty() or os.environ.get("CI"):
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("fichiers · {task.fields[fiches]} fiches"),
            TimeElapsedColumn(),
            console=_stderr_console(),
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task("Conversion", total=self.total, fiches=0)
        return self.update

    def update(self, name: str, index: int, fiches: int) -> None:
        assert self.bar is not None and self.task is not None
        if fiches % 50 == 1 or index + 1 != self.bar.tasks[0].completed + 1:
            self.bar.update(self.task, completed=index, fiches=fiches, description=Path(name).name[:30])

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def main() -> None:
    """Console-script entry point."""
    app(prog_name="fichekit")
