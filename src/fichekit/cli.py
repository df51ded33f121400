"""The ``fichekit`` command: a thin typer shell over the library.

Each command turns its options into one library call, prints diagnostics on
stderr as ``path:line: message`` and maps errors to exit codes in one place
(:func:`_fail`): 0 ok, 1 invalid input or failed file, 2 usage, 130 interrupted
(Ctrl-C), 143 and 129 stopped by SIGTERM and SIGHUP. Messages are plain text:
user text (file names, sheet text) is made printable and never read as rich
markup.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import signal
import sys
from collections.abc import Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from . import __version__
from ._i18n import install_french_messages
from .errors import FichekitError, InputError, french_os_error
from .formats import Format, ReadableFormat, WritableFormat
from .fr import counted
from .plaintext import printable
from .report import ReportFormat
from .writers import DEFAULT_TITLE, WriterOptions, format_for_path

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from .convert import ProgressCallback
    from .findings import Finding
    from .sources import Skipped

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
    # Only a bug in fichekit can reach typer's handler: never print the sheets' text held in locals.
    pretty_exceptions_show_locals=False,
)


def _check_encoding(value: str | None) -> str | None:
    """``--encoding`` must name a text encoding: ``rot13`` or ``base64`` are a usage error (exit 2)."""
    if value is not None:
        from .safety import text_encoding

        try:
            text_encoding(value)
        except InputError as exc:
            raise typer.BadParameter(exc.message) from None
    return value


EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="ENCODAGE",
        help="Forcer l'encodage des entrées (utf-8, utf-16, cp1252…). Par défaut : détecté.",
        callback=_check_encoding,
    ),
]


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _error(message: str) -> None:
    """``erreur : …`` on stderr; in red on a terminal, the message itself never read as markup."""
    text = printable(message)
    if sys.stderr.isatty():
        from rich.text import Text

        _stderr_console().print(Text.assemble(("erreur", "bold red"), " : ", text))
    else:
        sys.stderr.write(f"erreur : {text}\n")


def _warn(finding: Finding) -> None:
    line = str(finding)  # already printable
    if sys.stderr.isatty():
        from rich.text import Text

        _stderr_console().print(Text(line, style="yellow"))
    else:
        sys.stderr.write(line + "\n")


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program is so that it unwinds as for Ctrl-C.

    Every ``finally`` runs: temporary files are removed, the previous output
    stays. The exit code is the shell's 128 + signal number.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.exit_code = 128 + signum


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_stopped_by: int | None = None
"""The signal that stopped this run, if any: decides the final exit code."""


def _on_stop_signal(signum: int, frame: FrameType | None) -> None:
    global _stopped_by
    _stopped_by = signum
    for other in _STOP_SIGNALS:  # a second signal must not interrupt the clean-up
        signal.signal(other, signal.SIG_IGN)
    raise _Stopped(signum)


_INTERRUPTED = "\nInterrompu : aucun fichier partiel n'a été laissé.\n"


def _fail(exc: FichekitError | KeyboardInterrupt) -> NoReturn:
    """The one place that turns errors into messages and exit codes."""
    if isinstance(exc, KeyboardInterrupt):
        sys.stderr.write(_INTERRUPTED)
        raise typer.Exit(exc.exit_code if isinstance(exc, _Stopped) else 130)
    _error(str(exc))
    raise typer.Exit(1)


def _delimiter_allowed(delimiter: str) -> bool:
    from .writers.csv import delimiter_allowed  # the writer's own rule, checked before any input is read

    return delimiter_allowed(delimiter)


def _usage(message: str) -> NoReturn:
    sys.stderr.write(f"Utilisation : voir « fichekit --help ».\nerreur : {printable(message)}\n")
    raise typer.Exit(2)


def _parse_date(text: str) -> dt.date:
    """``--date``: an ISO date (AAAA-MM-JJ), or a usage error in French."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:  # 2026-02-30
            pass
    _usage(f"--date attend une date réelle au format AAAA-MM-JJ, par exemple 2026-11-25 (reçu : « {text} »)")


def _output_path(output: Path | None, fmt: Format | None = None) -> Path | None:
    """``-o -`` is the standard output (None), as ``-`` is for inputs; a binary format never goes to a terminal."""
    if output is None or str(output) != "-":
        return output
    if fmt is not None and fmt.is_binary and sys.stdout.isatty():
        _usage(f"le format {fmt.value} ne s'affiche pas dans un terminal : redirigez la sortie (> recueil.{fmt.value}) ou donnez un fichier à -o")
    return None


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


_READABLE = [fmt.value for fmt in ReadableFormat]
FromOption = Annotated[
    ReadableFormat | None,
    typer.Option(
        "--from",
        metavar="FORMAT",
        help=f"Forcer le format des entrées : {', '.join(_READABLE[:-1])} ou {_READABLE[-1]}. "
        "Par défaut : d'après l'extension du fichier, sinon d'après son contenu.",
    ),
]


InputsArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="ENTRÉE",
        help="Fiches à lire : exports texte, Word (.docx), PDF, Markdown ou JSON de fichekit ; "
        "dossiers (parcourus récursivement) ; « - » : entrée standard.",
    ),
]
"""The inputs of ``parse`` and ``convert``: files, folders or ``-``."""

RubriquesOption = Annotated[
    Path | None,
    typer.Option(
        "--rubriques",
        metavar="FICHIER",
        help="Fichier TOML dont la table [rubriques] donne les titres propres à votre réseau "
        "(cles_du_succes = [\"Facteurs de réussite\"]). Par défaut : [tool.fichekit.rubriques] du pyproject.toml le plus proche.",
    ),
]


def _vocabulary(rubriques: Path | None, project: Mapping[str, str] | None = None) -> AbstractContextManager[None]:
    """The network's own titles for the reading: ``--rubriques FILE``, else the project's table."""
    from .config import ConfigError, load_rubriques, project_rubriques
    from .headings import synonyms

    try:
        if rubriques is not None:
            titles = load_rubriques(rubriques)
        elif project is not None:
            titles = dict(project)
        else:
            titles = project_rubriques()
    except ConfigError as exc:
        _usage(str(exc))
    return synonyms(titles)


def _report_skipped(skipped: Skipped) -> None:
    sys.stderr.write(f"{skipped.path}: {skipped.reason}\n")


@app.command()
def parse(
    files: InputsArgument,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="SORTIE", help="Écrire le JSON dans ce fichier plutôt que sur la sortie standard (« - » : sortie standard)."),
    ] = None,
    from_format: FromOption = None,
    rubriques: RubriquesOption = None,
    encoding: EncodingOption = None,
) -> None:
    """Lit des fiches (exports texte, Word, PDF…) et écrit leurs données en JSON (un tableau d'objets, UTF-8).

    Chaque fichier illisible est signalé sur la sortie d'erreur ; les autres sont
    quand même lus. Code de sortie 1 si un fichier a échoué.

    Exemple : fichekit parse exports/atelier.txt -o fiches.json
    """
    from .convert import convert as run_convert
    from .convert import open_inputs

    output = _output_path(output)

    failed = False
    report = None
    with _vocabulary(rubriques):
        try:
            sources, bad, skipped = open_inputs(files, encoding, Format(from_format) if from_format else None)
            for item in skipped:
                _report_skipped(item)
            for exc in bad:
                failed = True
                _error(str(exc))
            if sources or not bad:
                report = run_convert(
                    sources,
                    Format.JSON,
                    output=output,
                    stdout=sys.stdout.buffer,
                    on_error=lambda exc: _error(str(exc)),
                )
                sys.stdout.flush()
        except (FichekitError, KeyboardInterrupt) as exc:
            _fail(exc)
        finally:
            if report is not None:
                for finding in report.findings:
                    _warn(finding)
    if failed or (report is not None and report.failures):
        raise typer.Exit(1)


@app.command()
def convert(
    inputs: InputsArgument,
    to: Annotated[
        WritableFormat | None,
        typer.Option("--to", "-t", metavar="FORMAT", help="Format de sortie : json, jsonl, csv, md, docx, xlsx (classeur Excel) ou geojson (carte). Par défaut : d'après l'extension de -o."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="SORTIE", help="Fichier à écrire (obligatoire pour docx et xlsx ; « - » : sortie standard, si elle est redirigée)."
        ),
    ] = None,
    split: Annotated[
        Path | None, typer.Option("--split", metavar="DOSSIER", help="Écrire un fichier par fiche dans ce dossier (qui doit exister).")
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Avec --split : écraser aussi les fichiers du dossier que fichekit n'a pas écrits lui-même, ou modifiés depuis.",
        ),
    ] = False,
    title: Annotated[str, typer.Option("--title", metavar="TITRE", help="Titre du recueil Word et du classeur Excel.")] = DEFAULT_TITLE,
    date: Annotated[
        str | None, typer.Option("--date", metavar="AAAA-MM-JJ", help="Date imprimée sur la page de titre du recueil Word (défaut : aujourd'hui).")
    ] = None,
    author: Annotated[
        str | None, typer.Option("--auteur", metavar="TEXTE", help="Auteur imprimé sous le titre du recueil Word (réseau, coordination…).")
    ] = None,
    template: Annotated[
        Path | None, typer.Option("--template", metavar="MODÈLE", help="Modèle Word (.docx) dont reprendre les styles, la mise en page, l'en-tête et le pied de page.")
    ] = None,
    delimiter: Annotated[
        str | None, typer.Option("--delimiter", metavar="CAR", help="Séparateur de colonnes du CSV (défaut : « , », ou « ; » avec --excel).")
    ] = None,
    bom: Annotated[bool, typer.Option("--bom", help="Commencer le CSV par une marque d'ordre des octets UTF-8 (BOM).")] = False,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV pour Excel/LibreOffice en français : « ; », BOM, fins de ligne CRLF.")
    ] = False,
    csv_brut: Annotated[
        bool,
        typer.Option(
            "--csv-brut",
            help="CSV brut pour des programmes : cellules telles quelles, sans l'apostrophe ajoutée par défaut devant =, +, -, @ (qui empêche un tableur d'exécuter une formule).",
        ),
    ] = False,
    enrichir: Annotated[
        bool,
        typer.Option(
            "--enrichir",
            help="JSON et JSON Lines : ajouter à chaque fiche « departements_noms » (nom du département et de la région de chaque code).",
        ),
    ] = False,
    from_format: FromOption = None,
    rubriques: RubriquesOption = None,
    encoding: EncodingOption = None,
) -> None:
    """Convertit une ou plusieurs entrées en JSON, JSON Lines, CSV, Markdown, recueil Word, classeur Excel ou carte GeoJSON.

    Plusieurs entrées forment une seule collection, dans l'ordre donné. Les
    fichiers sont écrits d'un bloc (fichier temporaire puis renommage) : une
    erreur ne laisse jamais de fichier à moitié écrit.

    Exemple : fichekit convert exports/*.txt --to docx -o recueil.docx
    """
    from .convert import convert as run_convert
    from .convert import open_inputs

    fmt = Format(to) if to is not None else (format_for_path(output) if output is not None else None)
    if fmt is None:
        _usage("précisez le format avec --to (json, jsonl, csv, md, docx, xlsx, geojson) ou une extension connue pour -o")
    if output is not None and split is not None:
        _usage("--output et --split s'excluent : choisissez l'un ou l'autre")
    if fmt.is_binary and output is None and split is None:
        _usage(f"le format {fmt.value} s'écrit dans un fichier : ajoutez -o recueil.{fmt.value}")
    if delimiter is not None and not _delimiter_allowed(delimiter):
        _usage("--delimiter attend un seul caractère, ni guillemet ni fin de ligne")
    output = _output_path(output, fmt)
    day = _parse_date(date) if date is not None else None
    options = WriterOptions(
        title=title,
        date=day,
        author=author,
        template=template,
        delimiter=delimiter,
        bom=bom,
        excel=excel,
        raw_csv=csv_brut,
        enrich=enrichir,
    )
    with _vocabulary(rubriques):
        try:
            sources, bad, skipped = open_inputs(inputs, encoding, Format(from_format) if from_format else None)
            for item in skipped:
                _report_skipped(item)
            if bad:
                for source in sources:
                    source.close()
                for exc in bad:
                    _error(str(exc))
                raise typer.Exit(1)
            with _Progress(len(sources)) as progress:
                report = run_convert(
                    sources,
                    fmt,
                    output=output,
                    split_dir=split,
                    stdout=sys.stdout.buffer,
                    options=options,
                    progress=progress,
                    force=force,
                )
            sys.stdout.flush()
        except (FichekitError, KeyboardInterrupt) as exc:
            _fail(exc)
    for finding in report.findings:
        _warn(finding)
    if output is not None or split is not None:
        where = str(output) if output is not None else f"{counted(len(report.outputs), 'fichier')} dans {split}"
        sys.stderr.write(printable(f"{counted(report.fiches, 'fiche')} → {where}") + "\n")


class _Progress:
    """A rich progress bar on stderr while inputs are read, when stderr is a terminal; nothing otherwise."""

    def __init__(self, total_inputs: int) -> None:
        self.total = total_inputs
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        self.shown_index = -1

    def __enter__(self) -> ProgressCallback | None:
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
        # Refreshing on every sheet would cost more than parsing it.
        if index != self.shown_index or fiches % 50 == 0:
            self.shown_index = index
            self.bar.update(self.task, completed=index, fiches=fiches, description=Path(name).name[:30])

    def __exit__(self, *exc_info: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _write_stdout(text: str) -> None:
    """UTF-8 whatever the locale: CI logs and pre-commit read bytes."""
    sys.stdout.buffer.write(text.encode("utf-8"))


def _coloured(finding: Finding) -> str:
    from rich.markup import escape

    from .findings import Severity

    colour = "red" if finding.severity is Severity.ERROR else "yellow"
    return f"[bold]{escape(printable(finding.location()))}:[/] [{colour}]{finding.code}[/] {escape(printable(finding.message))}"


@app.command()
def validate(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="CHEMIN",
            help="Fiches à vérifier : exports texte, Word (.docx), PDF, Markdown ou JSON de fichekit ; "
            "dossiers (parcourus récursivement) ; « - » pour l'entrée standard.",
        ),
    ],
    report_format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            case_sensitive=False,
            help="Présentation des constats : text, json ou github (annotations GitHub Actions). "
            "Par défaut : github si la variable GITHUB_ACTIONS vaut true, sinon text.",
        ),
    ] = None,
    strict: Annotated[
        bool | None,
        typer.Option("--strict/--no-strict", help="Échouer aussi sur les avertissements. Par défaut : « strict » de la configuration, sinon non."),
    ] = None,
    require: Annotated[
        list[str] | None,
        typer.Option(
            "--require",
            metavar="RUBRIQUE",
            help="Rubrique obligatoire, par sa clé (localisation, partenaires…) ; répétable ; remplace « required » de la configuration.",
        ),
    ] = None,
    error: Annotated[
        list[str] | None, typer.Option("--error", metavar="CODE", help="Signaler ce code comme une erreur (répétable), par exemple --error FK103.")
    ] = None,
    warning: Annotated[
        list[str] | None,
        typer.Option("--warning", metavar="CODE", help="Signaler ce code comme un simple avertissement (répétable), par exemple --warning FK004."),
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", metavar="CODE", help="Ne pas signaler ce code (répétable), par exemple --ignore FK104.")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FICHIER",
            help="Fichier TOML contenant la table [tool.fichekit]. Par défaut : le pyproject.toml le plus proche, "
            "en remontant depuis le dossier courant.",
        ),
    ] = None,
    from_format: FromOption = None,
    rubriques: RubriquesOption = None,
    encoding: EncodingOption = None,
) -> None:
    """Vérifie des fiches avant publication (intégration continue, pre-commit).

    Chaque fichier est vérifié et chaque constat signalé, une ligne
    « chemin:ligne:colonne: CODE message » par constat, puis un bilan.
    Code de sortie : 0 sans erreur (avertissements permis), 1 s'il y a une
    erreur (ou un avertissement avec --strict), 2 pour une erreur d'utilisation.
    Réglages du projet : table [tool.fichekit] du pyproject.toml (required,
    errors, warnings, ignore, strict).

    Exemple : fichekit validate fiches/ --strict
    """
    from .config import ConfigError, load_rules
    from .report import Summary, findings_json, github_annotation
    from .validate import iter_validate

    if report_format is None:
        fmt = ReportFormat.GITHUB if os.environ.get("GITHUB_ACTIONS") == "true" else ReportFormat.TEXT
    else:
        fmt = report_format
    try:
        rules = load_rules(config).override(
            required=require, errors=error or (), warnings=warning or (), ignore=ignore or (), strict=strict
        )
    except ConfigError as exc:
        _usage(str(exc))
    console = None
    if fmt is ReportFormat.TEXT and sys.stdout.isatty():
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
    summary = Summary()
    every: list[Finding] = []
    try:
        with _vocabulary(rubriques, rules.rubriques):
            results = list(
                iter_validate(
                    paths,
                    rules,
                    encoding=encoding,
                    format=Format(from_format) if from_format else None,
                    on_skip=_report_skipped,
                )
            )
        for result in results:
            summary.add(result)
            for finding in result.findings:
                if fmt is ReportFormat.JSON:
                    every.append(finding)
                elif fmt is ReportFormat.GITHUB:
                    _write_stdout(github_annotation(finding) + "\n")
                elif console is not None:
                    console.print(_coloured(finding))
                else:
                    _write_stdout(f"{finding}\n")
    except KeyboardInterrupt as exc:
        _fail(exc)
    failed = summary.failed(rules.strict)
    line = str(summary)
    if failed and not summary.errors:
        # Only warnings, and --strict: say why the check fails.
        line += f" ({counted(summary.warnings, 'avertissement')}, traité{'s' if summary.warnings > 1 else ''} comme des erreurs par --strict)"
    if fmt is ReportFormat.JSON:
        _write_stdout(findings_json(every))
        sys.stderr.write(f"{line}\n")
    elif console is not None:
        from rich.markup import escape as escape_markup

        console.print(f"[{'red' if failed else 'green'}]{escape_markup(line)}[/]")
    else:
        _write_stdout(f"{line}\n")
    sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Affiche le schéma JSON (JSON Schema) d'une fiche, celle qu'écrivent parse et convert.

    Sortie en UTF-8, indentée : de quoi valider ou documenter les fichiers JSON
    produits par fichekit.

    Exemple : fichekit schema > fiche.schema.json
    """
    import json

    from .model import fiche_json_schema

    _write_stdout(json.dumps(fiche_json_schema(), ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def main() -> None:
    """Console-script entry point: signals, and the standard output's own failures, end in clean exit codes.

    SIGTERM and SIGHUP unwind like Ctrl-C. A standard output that fails
    (disk full behind ``>``, a pipe closed by ``| head``) gives one French line
    (nothing for a closed pipe: the reader chose to stop) and exit code 1,
    never a traceback nor Python's « Exception ignored » at exit.
    """
    for signum in _STOP_SIGNALS:
        signal.signal(signum, _on_stop_signal)
    code: int | str | None = 0
    try:
        app(prog_name="fichekit")
    except SystemExit as exc:
        code = exc.code
    except Exception as exc:
        if _stopped_by is not None:
            # The signal's exception was raised inside a C extension's callback (pydantic's
            # serialiser, lxml) and came out wrapped in another one. It is still a stop: the
            # ``finally`` blocks ran on the way, so no partial file is left.
            sys.stderr.write(_INTERRUPTED)
        elif isinstance(exc, OSError):
            code = _standard_stream_failed(exc)
        else:
            raise
    try:
        # The real stdout, even when click swapped in a wrapper after a broken pipe.
        (sys.__stdout__ or sys.stdout).flush()
    except OSError as exc:
        code = _standard_stream_failed(exc)
    if _stopped_by is not None:
        code = 128 + _stopped_by
    sys.exit(code)


def _standard_stream_failed(exc: OSError) -> int:
    """Report a failure of stdout (or stdin) and make the interpreter's last flush silent."""
    try:
        # What is still buffered goes nowhere, instead of failing again at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    if exc.errno != errno.EPIPE:
        where = "écriture impossible sur la sortie standard" if exc.errno in _WRITE_ERRNOS else "entrée ou sortie standard"
        _error(f"{where} : {french_os_error(exc)}")
    return 1


_WRITE_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EIO, errno.EROFS, getattr(errno, "EDQUOT", errno.ENOSPC)}
