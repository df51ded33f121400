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

Département codes (FK005) are kept as written and checked against the official
list (:mod:`fichekit.places`, INSEE's code officiel géographique): 1 to 95 with
or without a leading zero (``8`` and ``08``), except 20 (Corsica is ``2A`` /
``2B``, either case); 971 to 974 and 976 (overseas départements); and the
regions' usual abbreviations. A typo gets a suggestion (« vouliez-vous dire « 21 » ? »).

The library never prints: :func:`iter_validate` yields one
:class:`FileResult` per input; :mod:`fichekit.report` renders them (text, JSON,
GitHub annotations) and totals them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from . import places
from .api import iter_load
from .config import ValidationRules
from .errors import FichekitError
from .findings import Code, Finding, Severity
from .formats import Format
from .headings import HEADING_BY_KEY, SECTION_KEYS
from .model import Fiche
from .plaintext import display_name
from .safety import attribute_to_input
from .sources import STDIN, STDIN_NAME, Skipped, walk_inputs

__all__ = [
    "FileResult",
    "check_fiche",
    "is_known_place",
    "iter_inputs",
    "iter_validate",
    "validate_source",
]

def _places_help() -> str:
    # Metropolitan regions first, then the overseas ones (INSEE codes 01 to 06), each alphabetically.
    ordered = sorted(places.regions(), key=lambda r: (int(r.code) < 10, r.sigles[0]))
    sigles = ", ".join(r.sigles[0] for r in ordered)
    return f"un numéro de département (01 à 95, 2A, 2B, 971 à 974, 976) ou un sigle de région ({sigles})"


is_known_place = places.is_known_place
"""Whether a parenthesised code is a département or a region (the official list, see :mod:`fichekit.places`)."""


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


_DOCUMENT = _Syntax(
    heading="le titre « {} » (un paragraphe à lui seul, en gras ou en style Titre)",
    structures="le paragraphe « → Avec Nom de la structure (21) »",
    structures_place="sous le paragraphe « → Avec … »",
    theme="ajoutez la question d'atelier, terminée par « ? », au-dessus du paragraphe « → Avec … »",
)


def _syntax(file: str) -> _Syntax:
    suffix = Path(file).suffix.lower()
    if suffix in (".md", ".markdown"):
        return _MARKDOWN
    return _DOCUMENT if suffix in (".docx", ".pdf") else _TEXT


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
    # A record built by hand has no source: only its content tells which headings it has.
    rubriques = source.rubriques if source is not None else {key: [] for key, items in fiche.sections() if items}

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
                suggestion = places.suggest_code(code)
                advice = f"vouliez-vous dire « {suggestion} » ?" if suggestion else f"écrivez {_places_help()}"
                yield (
                    Code.BAD_DEPARTEMENT,
                    structures_line if structures_line is not None else start,
                    f"« ({code}) » après « {structure.nom} » n'est ni un département ni une région : {advice}",
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
    return finding if severity is finding.severity else finding.replace(severity=severity)


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
    format: Format | None = None,
    stdin: BinaryIO | None = None,
) -> FileResult:
    """Validate one input (a path, or ``-`` for stdin). Never raises for a bad input:
    an unreadable file or one with no sheet becomes an FK001 finding."""
    rules = rules or ValidationRules()
    result = FileResult(name=name)
    read_findings: list[Finding] = []
    label = STDIN_NAME if name == STDIN else display_name(name)
    try:
        for fiche in iter_load(name, encoding=encoding, format=format, findings=read_findings, stdin=stdin):
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


def iter_inputs(paths: Iterable[str]) -> Iterator[str | FileResult | Skipped]:
    """Expand folders into the files to check (the readers' walk); an empty folder is an FK001 result."""
    for item in walk_inputs(list(paths)):
        if isinstance(item, Skipped) and item.error:
            yield FileResult(
                name=item.path,
                findings=[Finding(code=Code.UNREADABLE, severity=Severity.ERROR, file=item.path, message=item.reason)],
            )
        else:
            yield item


def iter_validate(
    paths: Iterable[str],
    rules: ValidationRules | None = None,
    *,
    encoding: str | None = None,
    format: Format | None = None,
    stdin: BinaryIO | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> Iterator[FileResult]:
    """Validate files, folders (walked for every readable format) and ``-``, one result per file.

    What a folder walk leaves out is handed to ``on_skip`` (reported, never silently ignored).
    """
    for item in iter_inputs(paths):
        if isinstance(item, FileResult):
            yield item
        elif isinstance(item, Skipped):
            if on_skip is not None:
                on_skip(item)
        else:
            yield validate_source(item, rules, encoding=encoding, format=format, stdin=stdin)
