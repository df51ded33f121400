"""Raw text export -> fiche records.

The parser reads lines one at a time and yields each sheet as soon as the next
one starts, so memory stays bounded by one sheet. It never prints: near-miss
headings and similar remarks are collected as :class:`~fichekit.findings.Finding`.

What a line is, in the order the parser asks:

1. blank -> ignored (but it never breaks a continuation);
2. a form feed -> page break; a lone page number beside it is layout, dropped;
3. ``→ Avec …`` (arrow ``→``, ``->``, ``=>``, or none when a question line is
   just above or a heading just below) -> a new sheet; the single-line question
   just above it becomes the theme, and a lone number above that the theme number;
4. a list marker (``-``, ``•``, ``*``, ``–``, ``>``, ``o``, ````…, or ``1.``/``1)``)
   -> an item of kind ``puce`` or ``numero``; a marker line is never a heading;
5. one of the 13 headings (see :mod:`fichekit.headings`) -> a new section, text
   after the colon being its first content;
6. anything else -> content: a new paragraph, unless it plainly continues the
   previous item (see :func:`_continues`), in which case it is added to that
   item as a new line (``\\n``) so where each line began stays visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .errors import ParseError
from .findings import DEFAULT_SEVERITY, Code, Finding
from .headings import HEADING_BY_KEY, HEADING_FIRST_CHARACTERS, SECTION_KEYS, HeadingMatch, MatchKind, match_heading
from .model import Fiche, Item, ItemType, Source, Structure, trusted_item

__all__ = ["ParseResult", "iter_fiches", "near_miss_finding", "parse_lines", "parse_structures", "parse_text", "split_marker"]

HORS_RUBRIQUE = "hors_rubrique"

# Bullet symbols. ASCII and letter markers need a space after them ("-5 %" and
# "on" are content); typographic bullets may be glued to the text ("•Choisir").
# "+" is not a bullet: exports use it as "and" ("+ prêt d'honneur)").
_SPACED_BULLETS = "-*>o–—"
_GLUED_BULLETS = "•▪◦·‣⁃■□●○►▸➢➤✓✔\uf0b7\uf0a7\uf076\uf0d8\uf0fc"
_BULLET = re.compile(rf"(?:[{re.escape(_SPACED_BULLETS)}][ \t\u00a0]+|[{_GLUED_BULLETS}][ \t\u00a0]*)")
_BULLETS = re.compile(rf"(?:{_BULLET.pattern})+")
_NUMBERED = re.compile(r"(\d{1,2})[.)][ \t\u00a0]+")
_MARKER_FIRST = frozenset(_SPACED_BULLETS + _GLUED_BULLETS)
_HEADING_FIRST = HEADING_FIRST_CHARACTERS
_ARROWS = "→|->|-->|=>|⇒|➔|➜|➝|⟶|▶|►"
_ARROW_FIRST = frozenset("→-=⇒➔➜➝⟶▶►")
_AVEC = re.compile(rf"(?:(?P<arrow>{_ARROWS})[ \t\u00a0]*)?(?P<kw>avec)\b[ \t\u00a0]*(?P<rest>.*)", re.IGNORECASE)
_TERMINAL = ".!?:;…"
_CONNECTORS = frozenset(
    "ou et de d' du des pour à au aux avec par sur dans en la le les l' un une que qui dont entre vers "
    "chez sans sous ni mais car donc puis afin leur leurs son sa ses notre nos votre vos ce cette ces".split()
)
_CODE = re.compile(r"(?:\d{1,3}|2[AaBb]|[A-Z]{2,5})")
_CODE_SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\+|\bet\b)\s*")
_STRUCTURE_SEPARATORS = re.compile(r"^\s*(?:,|;|&|\+|/|\bet\b)\s*|\s*(?:,|;|&|\+|/|\bet\b)\s*$")


def near_miss_finding(heading: HeadingMatch, file: str, line: int) -> Finding:
    """The warning for a misspelt heading read as the one it plainly means."""
    title = HEADING_BY_KEY[heading.key].title
    return Finding(
        code=Code.NEAR_MISS_HEADING,
        severity=DEFAULT_SEVERITY[Code.NEAR_MISS_HEADING],
        file=file,
        line=line,
        column=1,
        message=f"titre « {heading.written} » mal orthographié : vouliez-vous dire « {title} » ?",
    )


def split_marker(text: str) -> tuple[ItemType, str]:
    """Remove list markers from a trimmed line: ``("puce", "Créer un lien")``.

    Chained markers (``- > texte``) count as one bullet. "14.7 ETP" is not a
    numbered item: a number marker needs ``.`` or ``)`` then a space.
    """
    match = _BULLETS.match(text)
    if match:
        rest = text[match.end() :].strip()
        if not rest:
            # Nothing but markers ("- •"): the last one is the text.
            rest = text[_BULLET.match(text).end() :].strip()  # type: ignore[union-attr]
        if rest:
            return ItemType.PUCE, rest
        return ItemType.PARAGRAPHE, text
    match = _NUMBERED.match(text)
    if match and match.end() < len(text):
        return ItemType.NUMERO, text[match.end() :].strip()
    return ItemType.PARAGRAPHE, text


def _split_top_level(text: str, sep: str) -> tuple[str, str | None]:
    """Split at the first ``sep`` outside parentheses."""
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == sep and depth == 0:
            return text[:index], text[index + 1 :]
    return text, None


def parse_structures(text: str) -> tuple[list[Structure], str | None]:
    """Read what follows "Avec": ``"A (39) et B (BFC) : projet X"`` -> structures, projet.

    A parenthesised group counts as départements only when every part of it
    looks like a code (``39``, ``2A``, ``974``, ``BFC``); otherwise it is part
    of the name. Names and codes are kept as written.
    """
    names_part, projet = _split_top_level(text, ":")
    structures: list[Structure] = []
    pending = ""
    position = 0
    for match in re.finditer(r"\(([^()]*)\)", names_part):
        codes = [c for c in _CODE_SEPARATORS.split(match.group(1).strip()) if c]
        if codes and all(_CODE.fullmatch(c) for c in codes):
            name = _STRUCTURE_SEPARATORS.sub("", pending + names_part[position : match.start()]).strip()
            if name:
                structures.append(Structure(nom=name, departements=codes))
            elif structures:
                structures[-1].departements.extend(codes)
            pending = ""
        else:
            pending += names_part[position : match.end()]
        position = match.end()
    tail = _STRUCTURE_SEPARATORS.sub("", pending + names_part[position:]).strip()
    if tail:
        structures.append(Structure(nom=tail, departements=[]))
    projet = projet.strip() if projet is not None else None
    return structures, projet or None


class _ItemBuilder:
    __slots__ = ("kind", "layout", "lines", "lone_number", "line_no")

    def __init__(self, kind: ItemType, text: str, line_no: int, lone_number: bool = False, layout: bool = False) -> None:
        self.kind = kind
        self.lines = [text]
        self.line_no = line_no
        self.lone_number = lone_number
        self.layout = layout
        """A page number at the top of a page: dropped unless it turns out to be a theme number."""

    def to_item(self) -> Item:
        return trusted_item("\n".join(self.lines), self.kind)


def _is_question(item: _ItemBuilder) -> bool:
    """A paragraph ending with "?": the workshop question when a sheet starts below it."""
    return item.kind is ItemType.PARAGRAPHE and item.lines[-1].endswith("?")


@dataclass(slots=True)
class _SheetBuilder:
    start_line: int
    theme: str | None = None
    theme_number: int | None = None
    structures: list[Structure] = field(default_factory=list)
    projet: str | None = None
    structures_line: int | None = None
    sections: dict[str, list[_ItemBuilder]] = field(default_factory=dict)
    rubriques: dict[str, list[int]] = field(default_factory=dict)
    current: str = HORS_RUBRIQUE
    current_items: list[_ItemBuilder] = field(default_factory=list)
    """Items of the current section (kept at hand: appending is the hot path)."""

    def __post_init__(self) -> None:
        self.sections[self.current] = self.current_items

    def enter(self, key: str) -> None:
        """Make ``key`` the section new content goes to."""
        self.current = key
        self.current_items = self.sections.setdefault(key, [])

    def build(self, file: str) -> Fiche:
        values: dict[str, object] = {
            key: [b.to_item() for b in self.sections.get(key, ()) if not b.layout]
            for key in (*SECTION_KEYS, HORS_RUBRIQUE)
        }
        return Fiche.model_construct(
            theme=self.theme,
            theme_number=self.theme_number,
            structures=self.structures,
            projet=self.projet,
            source=Source.model_construct(
                file=file, line=self.start_line, structures_line=self.structures_line, rubriques=self.rubriques
            ),
            **values,
        )


def _continues(previous: _ItemBuilder, text: str) -> bool:
    """Whether ``text`` (a line without marker) plainly continues ``previous``.

    Yes when the previous line ends with a comma, a slash, a dash or a small
    linking word ("pour", "ou", "de"…), when a parenthesis or a quotation is
    left open, or when the new line starts in lower case after a line with no
    closing punctuation. Anything else starts a new item.
    """
    if previous.lone_number:
        return False
    lines = previous.lines
    last = lines[-1]
    if last[-1] in ",/-–(":
        return True
    whole = last if len(lines) == 1 else "\n".join(lines)
    if whole.count("(") > whole.count(")") or whole.count('"') % 2 or whole.count("«") > whole.count("»"):
        return True
    if last.rsplit(None, 1)[-1].casefold() in _CONNECTORS:
        return True
    first = text.lstrip("\"«'“ ")[:1]
    return first.islower() and last[-1] not in _TERMINAL


@dataclass(slots=True)
class ParseResult:
    """Sheets of one input, with the remarks made while reading it."""

    fiches: list[Fiche]
    findings: list[Finding]


class _Parser:
    def __init__(self, file: str, findings: list[Finding]) -> None:
        self.file = file
        self.findings = findings
        self.sheet = _SheetBuilder(start_line=1)
        self.in_sheet = False
        self.after_page_break = False
        self.last_item: _ItemBuilder | None = None
        self.pending_avec: tuple[int, re.Match[str], bool] | None = None

    # -- sheet boundaries -------------------------------------------------
    def _start_sheet(self, line_no: int) -> Fiche | None:
        """Open a new sheet at ``line_no``, taking theme lines from the end of the previous one."""
        previous = self.sheet
        items = previous.current_items
        theme: str | None = None
        number: int | None = None
        start = line_no
        if items and _is_question(items[-1]) and len(items[-1].lines) == 1:
            theme_item = items.pop()
            theme, start = theme_item.lines[0], theme_item.line_no
        if items and items[-1].lone_number:
            number_item = items.pop()
            number, start = int(number_item.lines[0]), number_item.line_no
        new = _SheetBuilder(start_line=start, theme=theme, theme_number=number)
        finished: Fiche | None = None
        if self.in_sheet:
            finished = previous.build(self.file)
        else:
            # Text before the first sheet is kept with it, not dropped.
            new.current_items.extend(previous.sections.get(HORS_RUBRIQUE, []))
        self.sheet = new
        self.in_sheet = True
        self.last_item = None
        return finished

    def _open_avec(self, line_no: int, match: re.Match[str]) -> Fiche | None:
        finished = self._start_sheet(line_no)
        self.sheet.structures_line = line_no
        self.sheet.structures, self.sheet.projet = parse_structures(match.group("rest"))
        return finished

    # -- lines -------------------------------------------------------------
    def feed(self, line_no: int, raw: str) -> list[Fiche]:
        """Process one physical line; return the sheets it finished (usually none)."""
        finished: list[Fiche] = []
        for index, piece in enumerate(raw.split("\f")):
            if index:
                self._page_break()
            done = self.line(line_no, piece)
            if done is not None:
                finished.append(done)
        return finished

    def _page_break(self) -> None:
        # A lone number right before the break is the page number: layout.
        if self.last_item is not None and self.last_item.lone_number:
            items = self.sheet.current_items
            if items and items[-1] is self.last_item:
                items.pop()
                self.last_item = items[-1] if items else None
        self.after_page_break = True

    def line(self, line_no: int, raw: str) -> Fiche | None:
        """Process one line without form feed; return the sheet it finished, if any.

        This is the hot path (millions of calls on large exports): the first
        character decides which of the costlier checks are worth running.
        """
        text = raw.strip()
        if not text:
            return None
        finished: Fiche | None = None
        after_break, self.after_page_break = self.after_page_break, False
        if self.pending_avec is not None:
            finished = self._resolve_pending_avec(text)
        first = text[0]
        maybe_avec = first in _ARROW_FIRST or (first in "Aa" and text[1:4].lower() == "vec")
        if maybe_avec and (avec := _AVEC.fullmatch(text)) is not None:
            if avec.group("arrow"):
                return self._open_avec(line_no, avec) or finished
            if avec.group("kw") in ("Avec", "AVEC"):
                # Without an arrow, "Avec …" may be content: it opens a sheet
                # only if a heading follows (see _resolve_pending_avec).
                self.pending_avec = (line_no, avec, self._question_above())
                return finished
        if first in _MARKER_FIRST or first.isdigit():
            kind, body = split_marker(text)
            if kind is not ItemType.PARAGRAPHE:
                self._append(_ItemBuilder(kind, body, line_no))
                return finished
            if len(text) <= 3 and text.isdigit():
                # Top of a page: a page number, or the theme number of a sheet
                # starting on this page; kept aside from content either way.
                lone = _ItemBuilder(kind, text, line_no, lone_number=True, layout=after_break)
                if after_break:
                    self.sheet.current_items.append(lone)
                else:
                    self._append(lone)
                return finished
        elif first.casefold() in _HEADING_FIRST:
            heading = match_heading(text)
            if heading is not None:
                return self._heading(line_no, heading) or finished
        self._content(line_no, text)
        return finished

    def _resolve_pending_avec(self, text: str) -> Fiche | None:
        pending_no, pending_match, question_above = self.pending_avec  # type: ignore[misc]
        self.pending_avec = None
        heading = None if _BULLET.match(text) else match_heading(text)
        if heading is not None and (question_above or heading.key == SECTION_KEYS[0]):
            return self._open_avec(pending_no, pending_match)
        self._content(pending_no, pending_match.group(0).strip())
        return None

    def _question_above(self) -> bool:
        items = self.sheet.current_items
        return bool(items) and _is_question(items[-1])

    def _heading(self, line_no: int, heading: HeadingMatch) -> Fiche | None:
        finished = None
        sheet = self.sheet
        repeated_start = heading.key == SECTION_KEYS[0] and SECTION_KEYS[0] in sheet.rubriques and len(sheet.rubriques) > 1
        if not self.in_sheet or repeated_start:
            # A sheet without "Avec" line: it starts at its first heading.
            finished = self._start_sheet(line_no)
            sheet = self.sheet
        if heading.kind is MatchKind.NEAR_MISS:
            self.findings.append(near_miss_finding(heading, self.file, line_no))
        sheet.rubriques.setdefault(heading.key, []).append(line_no)
        sheet.enter(heading.key)
        self.last_item = None
        if heading.rest:
            kind, body = split_marker(heading.rest)
            self._append(_ItemBuilder(kind, body, line_no))
        return finished

    def _content(self, line_no: int, text: str) -> None:
        previous = self.last_item
        if previous is not None and _continues(previous, text):
            previous.lines.append(text)
            return
        self._append(_ItemBuilder(ItemType.PARAGRAPHE, text, line_no))

    def _append(self, item: _ItemBuilder) -> None:
        self.sheet.current_items.append(item)
        self.last_item = item

    def finish(self) -> Fiche | None:
        if self.pending_avec is not None:
            line_no, match, _ = self.pending_avec
            self.pending_avec = None
            self._content(line_no, match.group(0).strip())
        if not self.in_sheet:
            return None
        return self.sheet.build(self.file)


def iter_fiches(lines: Iterable[str], file: str = "<texte>", findings: list[Finding] | None = None) -> Iterator[Fiche]:
    """Yield the sheets of an export one by one, reading ``lines`` lazily.

    Remarks (near-miss headings…) are appended to ``findings`` when given.
    Raises :class:`~fichekit.errors.ParseError` when the text holds no sheet.
    """
    parser = _Parser(file, findings if findings is not None else [])
    count = 0
    line = parser.line
    for line_no, raw in enumerate(lines, 1):
        if "\f" in raw:
            for fiche in parser.feed(line_no, raw):
                count += 1
                yield fiche
        elif raw.isspace() or not raw:
            continue  # blank lines change nothing; half of a typical export
        elif (fiche := line(line_no, raw)) is not None:
            count += 1
            yield fiche
    last = parser.finish()
    if last is not None:
        count += 1
        yield last
    if count == 0:
        raise ParseError(
            "aucune fiche reconnue (ni ligne « → Avec … » ni titre de rubrique comme « Localisation : »)",
            path=file,
        )


def parse_lines(lines: Iterable[str], file: str = "<texte>") -> ParseResult:
    """Parse all sheets of ``lines`` at once, with the remarks made."""
    findings: list[Finding] = []
    fiches = list(iter_fiches(lines, file, findings))
    return ParseResult(fiches=fiches, findings=findings)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def parse_text(text: str, file: str = "<texte>") -> ParseResult:
    """Parse a whole export given as a string (CR, LF or CRLF line endings)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_lines(_LINE_BREAK.split(text), file)
