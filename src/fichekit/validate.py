"""Check sheets before they are published: every defect of every file, as findings.

``fichekit validate`` runs this in CI and pre-commit. Each defect is a
:class:`~fichekit.findings.Finding` with a stable code, so a project can turn a
check into a warning or switch it off (see :mod:`fichekit.config`):

========  ==========  ===========================================================
Code      Default     Meaning
========  ==========  ===========================================================
FK001     error       File unreadable (missing, empty, binary, bad encoding) or
                      holding no sheet. Always an error: never passes unchecked.
FK002     error       A required heading is missing (reported at the sheet start).
FK003     error       A heading appears twice (reported at the second one, naming
                      the line of the first).
FK004     error       No « → Avec … » line, or one that names no structure.
FK005     error       A code in parentheses after a structure is neither a
                      département nor a known region.
FK101     warning     A heading with nothing under it.
FK102     warning     A misspelt heading, read as the heading it plainly means.
FK103     warning     Headings out of the canonical order.
FK104     warning     No workshop question (theme) above the sheet.
FK105     warning     Characters Word cannot hold were removed (writers only).
========  ==========  ===========================================================

Département codes (FK005) are kept as written, so the check accepts the ways
people write them: 1 to 95 with or without a leading zero (``8`` and ``08``),
except 20 (Corsica is ``2A`` / ``2B``, either case); 971 to 976 (overseas);
and the region abbreviations of :data:`REGIONS`.

The library never prints: :func:`iter_validate` yields one
:class:`FileResult` per input; :func:`findings_json` and
:func:`github_annotation` render them for machines.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from .api import iter_load
from .config import ValidationRules
from .errors import FichekitError
from .findings import Code, Finding, Severity
from .headings import HEADING_BY_KEY, SECTION_KEYS, match_heading
from .model import Fiche
from .plaintext import display_name, printable
from .safety import attribute_to_input, is_folder
from .sources import STDIN, STDIN_NAME

__all__ = [
    "INPUT_SUFFIXES",
    "REGIONS",
    "FileResult",
    "ReportFormat",
    "Summary",
    "check_fiche",
    "findings_json",
    "github_annotation",
    "is_known_place",
    "iter_inputs",
    "iter_validate",
    "validate_source",
]

INPUT_SUFFIXES = (".txt", ".md")
"""What a directory walk picks up: raw text exports and fichekit's own Markdown."""

REGIONS: dict[str, str] = {
    "ARA": "Auvergne-Rhône-Alpes",
    "BFC": "Bourgogne-Franche-Comté",
    "BRE": "Bretagne",
    "CVL": "Centre-Val de Loire",
    "COR": "Corse",
    "GE": "Grand Est",
    "GES": "Grand Est",
    "HDF": "Hauts-de-France",
    "IDF": "Île-de-France",
    "NOR": "Normandie",
    "NA": "Nouvelle-Aquitaine",
    "NAQ": "Nouvelle-Aquitaine",
    "OCC": "Occitanie",
    "PDL": "Pays de la Loire",
    "PACA": "Provence-Alpes-Côte d'Azur",
    "PAC": "Provence-Alpes-Côte d'Azur",
}
"""Region abbreviations the sheets use in place of a département number: the usual
ones, plus the ISO 3166-2 forms where they differ (GES, NAQ, PAC)."""

_PLACES_HELP = (
    "un numéro de département (01 à 95, 2A, 2B, 971 à 976) "
    f"ou un sigle de région ({', '.join(REGIONS)})"
)


class ReportFormat(StrEnum):
    """How ``fichekit validate`` prints its findings."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def is_known_place(code: str) -> bool:
    """Whether a parenthesised code is a département or a region (see the module doc)."""
    if code.isascii() and code.isdigit():
        number = int(code)
        if len(code) <= 2:
            return 1 <= number <= 95 and number != 20
        return len(code) == 3 and 971 <= number <= 976
    return code.upper() in ("2A", "2B") or code in REGIONS


def _title(key: str) -> str:
    return HEADING_BY_KEY[key].title


@dataclass(frozen=True, slots=True)
class _Syntax:
    """How the input writes what a message asks to add: raw text or fichekit Markdown."""

    heading: str
    """Pattern of a heading line, ``{}`` being its title."""
    structures: str
    """The structures line, as an example to copy."""
    structures_place: str
    """Where the structures line is, for "below" instructions."""
    theme: str
    """What to do when the theme is missing."""


_TEXT = _Syntax(
    heading="la ligne « {} : »",
    structures="la ligne « → Avec Nom de la structure (21) »",
    structures_place="sous la ligne « → Avec … »",
    theme="ajoutez la question d'atelier, terminée par « ? », au-dessus de la ligne « → Avec … »",
)
_MARKDOWN = _Syntax(
    heading="le titre « ### {} »",
    structures="le titre « ## Nom de la structure (21) »",
    structures_place="sous le titre « ## … » des structures",
    theme="ajoutez la question d'atelier en titre « # … ? » au-dessus du titre « ## … » des structures",
)


def _syntax(file: str) -> _Syntax:
    return _MARKDOWN if Path(file).suffix.lower() in (".md", ".markdown") else _TEXT


def _where_to_add(key: str, present: Sequence[str]) -> str | None:
    """Where a missing heading goes, relative to the headings the sheet has (None: it has none)."""
    index = SECTION_KEYS.index(key)
    before = [k for k in present if SECTION_KEYS.index(k) < index]
    if before:
        return f"après « {_title(max(before, key=SECTION_KEYS.index))} »"
    after = [k for k in present if SECTION_KEYS.index(k) > index]
    if after:
        return f"avant « {_title(min(after, key=SECTION_KEYS.index))} »"
    return None


def _misplaced(order: Sequence[str]) -> list[tuple[str, str]]:
    """Headings to move so ``order`` becomes canonical, with where each goes.

    The longest run already in canonical order stays put (one heading moved to
    the end is one finding, not twelve); on ties, headings seen first stay.
    """
    ranks = [SECTION_KEYS.index(key) for key in order]
    length = [1] * len(ranks)
    previous: list[int | None] = [None] * len(ranks)
    for i, rank in enumerate(ranks):
        for j in range(i):
            if ranks[j] < rank and length[j] + 1 > length[i]:
                length[i], previous[i] = length[j] + 1, j
    end: int | None = length.index(max(length)) if ranks else None
    kept: set[int] = set()
    while end is not None:
        kept.add(end)
        end = previous[end]
    staying = [order[i] for i in sorted(kept)]
    moves: list[tuple[str, str]] = []
    for i, key in enumerate(order):
        if i not in kept:
            where = _where_to_add(key, staying)
            assert where is not None  # something stays in place whenever something moves
            moves.append((key, where))
    return moves


def _raw_findings(fiche: Fiche, rules: ValidationRules, syntax: _Syntax) -> Iterator[tuple[Code, int | None, str]]:
    """Defects of one record as ``(code, line, message)``, before severities apply."""
    source = fiche.source
    start = source.line if source is not None else None
    if source is not None:
        rubriques = source.rubriques
    else:  # a record built by hand: only its content tells which headings it has
        rubriques = {key: [] for key, items in fiche.sections() if items}

    for key in rules.required:
        if key not in rubriques:
            yield (
                Code.MISSING_HEADING,
                start,
                f"rubrique « {_title(key)} » absente : ajoutez {syntax.heading.format(_title(key))} "
                f"{_where_to_add(key, list(rubriques)) or syntax.structures_place}",
            )
    for key, lines in rubriques.items():
        for line in lines[1:]:
            yield (
                Code.DUPLICATE_HEADING,
                line,
                f"rubrique « {_title(key)} » répétée (déjà ligne {lines[0]}) : regroupez son contenu "
                "sous le premier titre et supprimez celui-ci",
            )

    structures_line = source.structures_line if source is not None else None
    if not fiche.structures:
        if structures_line is None:
            yield (
                Code.MISSING_STRUCTURE,
                start,
                f"aucune structure : ajoutez sous le thème {syntax.structures}",
            )
        else:
            yield (
                Code.MISSING_STRUCTURE,
                structures_line,
                f"aucune structure nommée sur cette ligne : écrivez {syntax.structures}",
            )
    for structure in fiche.structures:
        for code in structure.departements:
            if not is_known_place(code):
                yield (
                    Code.BAD_DEPARTEMENT,
                    structures_line if structures_line is not None else start,
                    f"« ({code}) » après « {structure.nom} » n'est ni un département ni une région : "
                    f"écrivez {_PLACES_HELP}",
                )

    for key, lines in rubriques.items():
        if lines and not getattr(fiche, key):
            yield (
                Code.EMPTY_SECTION,
                lines[0],
                f"rubrique « {_title(key)} » vide : complétez-la si possible",
            )
    for key, where in _misplaced(list(rubriques)):
        lines = rubriques[key]
        yield (
            Code.HEADING_ORDER,
            lines[0] if lines else start,
            f"rubrique « {_title(key)} » hors de l'ordre habituel : placez-la {where}",
        )
    if fiche.theme is None:
        yield (
            Code.MISSING_THEME,
            start,
            f"fiche sans thème : {syntax.theme}",
        )


def check_fiche(fiche: Fiche, rules: ValidationRules | None = None, *, file: str | None = None) -> list[Finding]:
    """Findings about one record, with the severities of ``rules`` (ignored codes left out).

    ``file`` defaults to the record's ``source.file``.
    """
    rules = rules or ValidationRules()
    name = file or (fiche.source.file if fiche.source is not None else "<fiche>")
    findings: list[Finding] = []
    for code, line, message in _raw_findings(fiche, rules, _syntax(name)):
        severity = rules.severity(code)
        if severity is not None:
            # Column 1 = the whole line, as the parser does: `path:line:col:` stays one shape for tools.
            column = 1 if line is not None else None
            findings.append(Finding(code=code, severity=severity, file=name, line=line, column=column, message=message))
    return findings


def _reader_finding(finding: Finding, rules: ValidationRules) -> Finding | None:
    """A remark made while reading (FK102…), with the rules' severity, or None when ignored."""
    severity = rules.severity(finding.code)
    if severity is None:
        return None
    return finding if severity is finding.severity else finding.model_copy(update={"severity": severity})


def _sort_key(finding: Finding) -> tuple[int, int, str]:
    return (finding.line or 0, finding.column or 0, finding.code.value)


@dataclass(slots=True)
class FileResult:
    """What validating one input found."""

    name: str
    fiches: int = 0
    """Sheets read from the input."""
    findings: list[Finding] = field(default_factory=list)
    """Findings sorted by line."""


def validate_source(
    name: str,
    rules: ValidationRules | None = None,
    *,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
) -> FileResult:
    """Validate one input (a path, or ``-`` for stdin). Never raises for a bad input:
    an unreadable file or one with no sheet becomes an FK001 finding."""
    rules = rules or ValidationRules()
    result = FileResult(name=name)
    read_findings: list[Finding] = []
    label = STDIN_NAME if name == STDIN else display_name(name)
    try:
        for fiche in iter_load(name, encoding=encoding, findings=read_findings, stdin=stdin):
            result.fiches += 1
            result.findings.extend(attribute_to_input(check_fiche(fiche, rules), label))
    except FichekitError as exc:
        result.findings.append(
            Finding(
                code=Code.UNREADABLE,
                severity=Severity.ERROR,
                file=exc.path or name,
                line=exc.line,
                message=exc.message,
            )
        )
    result.findings.extend(f for f in (_reader_finding(r, rules) for r in read_findings) if f is not None)
    result.findings.sort(key=_sort_key)
    return result


def _walk(folder: Path) -> Iterator[Path]:
    """Files of ``folder`` fichekit can check, recursively, in a stable order; hidden ones skipped.

    Walks with an explicit stack (``os.walk`` recurses in Python 3.11: a tree
    1,000 folders deep would overflow it); unreadable folders are skipped
    as ``os.walk`` does.
    """
    pending = [folder]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as entries:
                children = sorted(entries, key=lambda entry: entry.name)
        except OSError:
            continue
        subdirectories: list[Path] = []
        for entry in children:
            path = Path(entry.path)
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if not entry.is_symlink():  # as os.walk: linked folders are not entered
                    subdirectories.append(path)
            elif path.suffix.lower() not in INPUT_SUFFIXES:
                continue
            elif path.suffix.lower() == ".md" and not _looks_like_fiche_markdown(path):
                continue  # a README.md or other notes beside the sheets
            else:
                yield path
        pending.extend(reversed(subdirectories))


_SNIFF_BYTES = 64 * 1024


def _looks_like_fiche_markdown(path: Path) -> bool:
    """Whether a Markdown file met in a directory walk holds sheets.

    Yes when it carries fichekit's metadata comment or a ``###`` line that is
    one of the 13 headings. Files named explicitly are always checked.
    """
    try:
        with open(path, "rb") as stream:
            head = stream.read(_SNIFF_BYTES).decode("utf-8", "replace")
    except OSError:
        return True  # let validation report why it cannot be read
    for line in head.splitlines():
        if line.startswith("<!-- fichekit"):
            return True
        if line.startswith("### ") and match_heading(line[4:].strip()) is not None:
            return True
    return False


def iter_inputs(paths: Iterable[str]) -> Iterator[str | FileResult]:
    """Expand directories into the files to check; an empty directory is an FK001 result."""
    for path in paths:
        if path != STDIN and is_folder(Path(path)):
            found = False
            for file in _walk(Path(path)):
                found = True
                yield str(file)
            if not found:
                suffixes = " ou ".join(INPUT_SUFFIXES)
                yield FileResult(
                    name=path,
                    findings=[
                        Finding(
                            code=Code.UNREADABLE,
                            severity=Severity.ERROR,
                            file=path,
                            message=f"aucun fichier {suffixes} dans ce dossier : rien à vérifier",
                        )
                    ],
                )
        else:
            yield path


def iter_validate(
    paths: Iterable[str],
    rules: ValidationRules | None = None,
    *,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[FileResult]:
    """Validate files, directories (walked for ``.txt`` and ``.md``) and ``-``, one result per file."""
    for item in iter_inputs(paths):
        if isinstance(item, FileResult):
            yield item
        else:
            yield validate_source(item, rules, encoding=encoding, stdin=stdin)


def _counted(number: int, singular: str, plural: str) -> str:
    # French: 0 and 1 take the singular.
    return f"{number} {singular if number < 2 else plural}"


@dataclass(slots=True)
class Summary:
    """Totals over a validation run."""

    files: int = 0
    fiches: int = 0
    errors: int = 0
    warnings: int = 0

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.fiches += result.fiches
        for finding in result.findings:
            if finding.severity is Severity.ERROR:
                self.errors += 1
            else:
                self.warnings += 1

    def failed(self, strict: bool) -> bool:
        """Whether the run fails: any error, or any warning when ``strict``."""
        return self.errors > 0 or (strict and self.warnings > 0)

    def __str__(self) -> str:
        return ", ".join(
            (
                _counted(self.files, "fichier", "fichiers"),
                _counted(self.fiches, "fiche", "fiches"),
                _counted(self.errors, "erreur", "erreurs"),
                _counted(self.warnings, "avertissement", "avertissements"),
            )
        )


def findings_json(findings: Iterable[Finding]) -> str:
    """The ``--format json`` document: an array of findings, UTF-8 text, indented.

    Each element has exactly these keys, in this order: ``code`` (``"FK002"``),
    ``severity`` (``"error"`` or ``"warning"``), ``file``, ``line`` and
    ``column`` (from 1, or null), ``message`` (French).
    """
    return json.dumps([f.model_dump(mode="json") for f in findings], ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(finding: Finding) -> str:
    """One GitHub Actions workflow command: ``::error file=…,line=…,col=…,title=FK002::message``.

    Escaped as GitHub's toolkit does: ``%``, CR and LF everywhere, plus ``:``
    and ``,`` in properties; terminal escapes and bidi controls from the sheet
    are made visible first (GitHub's log shows ANSI colours).
    """
    properties = [f"file={_escape_property(printable(finding.file))}"]
    if finding.line is not None:
        properties.append(f"line={finding.line}")
        if finding.column is not None:
            properties.append(f"col={finding.column}")
    properties.append(f"title={_escape_property(finding.code.value)}")
    return f"::{finding.severity.value} {','.join(properties)}::{_escape_data(printable(finding.message, line_breaks=True))}"
