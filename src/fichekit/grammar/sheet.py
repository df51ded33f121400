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
from itertools import chain, compress, islice, repeat
from typing import TYPE_CHECKING, Any

from .. import recueil_labels as labels
from ..errors import ParseError
from ..findings import Code, Finding, make_finding
from ..headings import (
    DETERMINERS,
    HEADING_BY_KEY,
    HEADING_FIRST_CHARACTERS,
    HEADINGS,
    MAX_HEADING_LENGTH,
    SECTION_KEYS,
    HeadingMatch,
    MatchKind,
    closest_heading,
    match_heading,
    synonym_first_characters,
)
from ..records import FicheRecord, ItemType
from .layout import TextProfile, read_form_tables, strip_mail, strip_page_furniture
from .lines import Hint, Line
from .markers import BULLET as _BULLET
from .markers import MARKER_FIRST as _MARKER_FIRST
from .markers import split_marker
from .structures import read_structures

if TYPE_CHECKING:
    from ..model import Fiche

__all__ = [
    "ParseResult",
    "iter_records",
    "iter_records_from_lines",
    "iter_records_in_batches",
    "near_miss_finding",
    "parse_lines",
    "parse_text",
    "without_avec",
]

HORS_RUBRIQUE = "hors_rubrique"
_RECORD_SECTIONS = (*SECTION_KEYS, HORS_RUBRIQUE)

_HEADING_FIRST = HEADING_FIRST_CHARACTERS
# "?" is what a Windows-1252 export leaves of "→"; "➡️" carries an emoji variation selector.
_ARROWS = "→|->|-->|=>|⇒|➔|➜|➝|⟶|▶|►|➡\ufe0f?|⮕|[?]"
_ARROW_FIRST = frozenset("→-=⇒➔➜➝⟶▶►➡⮕?")
_AVEC = re.compile(rf"(?:(?P<arrow>{_ARROWS})[ \t\u00a0]*)?(?P<kw>avec)\b[ \t\u00a0]*(?::[ \t\u00a0]*)?(?P<rest>.*)", re.IGNORECASE)
"""« → Avec A (21) », « Avec : A (21) » (a colon typed after « Avec » is not the projet's)."""
_TERMINAL = ".!?:;…"
_HEADING_LIKE = re.compile(r"[A-ZÀ-Ý][\w'’-]*(?: [\w'’-]+){0,2}[ \u00a0\u202f]?:")
"""One to three words and a colon, nothing after it: the shape of a heading."""
_COUNT_LINE = re.compile(r"\d+ fiches? · \d+ thèmes?")
"""The count line of a fichekit recueil's title page: the document is a recueil (see :class:`_Recueil`)."""
_THEME_LABEL = re.compile(r"Thème n° ?(\d{1,3})", re.IGNORECASE)
"""« Thème n° 2 », or « THÈME N° 2 » where a PDF drew the recueil's small capitals."""
_THEME_IN_LIST = re.compile(r"(?P<theme>.+) \(\d+ fiches?\)")
_TOC_PAGE = re.compile(r"\s*\t\s*\d+$")
_PROJET_LINE = re.compile(r"(?:projet\s*:\s*(?P<labelled>.+)|(?P<bare>projet\b.*))", re.IGNORECASE)
_CODES_AHEAD = re.compile(r"[^:()]{1,80}\((?:\d{1,3}|2[AaBb]|[A-Z]{2,5})(?:\s*(?:,|et|&)\s*(?:\d{1,3}|2[AaBb]|[A-Z]{2,5}))*\)")
_NEVER_BEFORE_A_HEADING = frozenset("\"'«“‘([{<%€$£+=,;.!?")
"""Line starts that are quotations, figures or punctuation, never an emoji or marks before a heading."""
_TITLES_LONGEST_FIRST = tuple(sorted(((h.title, h.key) for h in HEADINGS), key=lambda pair: -len(pair[0])))
_TITLE_FIRST = frozenset(title[0] for title, _ in _TITLES_LONGEST_FIRST)
_ROMAN_NUMBERING = re.compile(r"[IVXivx]{1,5}\s*[.)\-–—]")
"""« III - Résultats », « IV. Clés du succès »: a roman numeral before a heading."""
_THEME_LINES = 3
"""A workshop question wrapped by the page may span this many lines."""
_NUMBERED_THEME = re.compile(
    r"(?:th[èe]me[ \t\u00a0]*(?:n[°o][ \t\u00a0]*)?)?(?P<number>\d{1,3})[ \t\u00a0]*[-–—.):][ \t\u00a0]*(?P<question>.*\?)",
    re.IGNORECASE,
)
"""A workshop question with its number typed before it on the same line."""
_GREETING = re.compile(
    r"(?:bonjour|bonsoir|salut|hello|coucou|cher|chère|chers|chères|madame|monsieur|mesdames|messieurs)\b[^?]{0,60}[,!]",
    re.IGNORECASE,
)
"""The greeting opening a mail (« Bonjour à toutes et tous, »): never part of the workshop question below it."""
_CLOSING = re.compile(
    r"(?:(?:bien |très )?(?:cordialement|amicalement|sincèrement)|bien à (?:vous|toi|tous)"
    r"|(?:bonne|belle) (?:journée|soirée|fin de journée|semaine)|à (?:bientôt|très vite)"
    r"|merci(?: d'avance| d’avance| beaucoup)?|amitiés|(?:avec )?(?:mes )?(?:sincères |meilleures )?salutations)"
    r"(?:[ \t\u00a0]+(?:à toutes et tous|à tous|à toutes|à vous|à toi))?[ \t\u00a0]*[,.!]*",
    re.IGNORECASE,
)
"""A mail's closing formula, alone on its line."""
_CLOSING_FIRST = frozenset("BbCcAaMmSsàÀTt")
_CLOSING_LENGTH = 50
"""No closing formula is longer: longer lines skip the test."""
_QUESTION_AFTER = frozenset(".!:;)»…]")
_QUESTION_WORD = re.compile(
    r"(?:comment|pourquoi|quel|quels|quelle|quelles|qui|que|qu['’]|où|combien|quand|faut-il|peut-on|est-ce|en quoi|dans quelle|à quel|à quelle)\b",
    re.IGNORECASE,
)
"""The words a workshop question starts with."""
"""Line ends after which a line starting with a capital starts a sentence of its own."""
_LONE_DASHES = frozenset(("-", "–", "—"))
_LONE_NUMBER_MARKER = re.compile(r"\d{1,2}[.)]")
_GLYPHS_ONLY = re.compile("[•▪◦·‣⁃■□●○►▸➢➤✓✔\uf0b7\uf0a7\uf076\uf0d8\uf0fc \t\u00a0]+")
_END_HYPHEN = re.compile(r"(?<=[^\W\d_])-$")
_CONNECTORS = frozenset(
    "ou et de d' du des pour à au aux avec par sur dans en la le les l' un une que qui dont entre vers "
    "chez sans sous ni mais car donc puis afin leur leurs son sa ses notre nos votre vos ce cette ces".split()
)


def without_avec(text: str) -> str:
    """« → Avec A (21) et B (BFC) » -> « A (21) et B (BFC) »: a structures line without its arrow and « Avec ».

    For a line already known to name the structures (a Markdown ``##`` heading): « Avec »
    is dropped only before the structures' names, so an association called « AVEC (21) »
    keeps its name.
    """
    match = _AVEC.fullmatch(text.strip())
    if match is None or not match.group("rest") or match.group("rest")[0] == "(":
        return text
    return match.group("rest")


def near_miss_finding(heading: HeadingMatch, file: str, line: int) -> Finding:
    """The warning for a heading read as one of the 13 though not written as such (misspelt, numbered…)."""
    title = HEADING_BY_KEY[heading.key].title
    written = " ".join(heading.written.split())  # « 1.<tab>Partenaires » quoted as « 1. Partenaires »
    if heading.kind is MatchKind.DECORATED:
        message = f"titre « {written} » lu comme la rubrique « {title} »"
    else:
        message = f"titre « {written} » mal orthographié : vouliez-vous dire « {title} » ?"
    return make_finding(Code.NEAR_MISS_HEADING, file, message, line=line, column=1)


class _ItemBuilder:
    __slots__ = ("dash", "kind", "layout", "lines", "lone_number", "line_no", "number")

    def __init__(self, kind: ItemType, text: str, line_no: int, lone_number: bool = False, layout: bool = False) -> None:
        self.kind = kind
        self.lines = [text]
        self.line_no = line_no
        self.lone_number = lone_number
        self.layout = layout
        """A page number at the top of a page: dropped unless it turns out to be a theme number."""
        self.dash = False
        self.number: int | None = None
        """A numbered item's number (« 2. Comment associer … ? »: the theme number, if it is a theme)."""
        """A dash or a number marker alone on its line (« – », « 1. »): the marker of the text line below it, if one comes."""

    def to_item(self) -> dict[str, str]:
        lines = self.lines
        return {"texte": lines[0] if len(lines) == 1 else "\n".join(lines), "type": self.kind}


def unwrap(lines: list[str]) -> str:
    """Lines of one sentence the page wrapped, as one line: joined by a space, and an
    end-of-line hyphen before a lower-case letter undone (« ac- » / « tifs » -> « actifs »)."""
    text = lines[0]
    for line in lines[1:]:
        if _END_HYPHEN.search(text) and line[:1].islower():
            text = text[:-1] + line
        elif text.endswith("-") and line[:1].isupper():
            text += line  # « Franche- » / « Comté »: the hyphen is the word's
        else:
            text = f"{text} {line}"
    return text


def _single_line(item: _ItemBuilder, pattern: re.Pattern[str]) -> re.Match[str] | None:
    if item.kind is not ItemType.PARAGRAPHE or len(item.lines) != 1:
        return None
    return pattern.fullmatch(item.lines[0])


def _structures_like(item: _ItemBuilder) -> bool:
    """A short paragraph (a line, or two the page wrapped) that could name structures: not a sentence,
    a question or a label."""
    if item.kind is not ItemType.PARAGRAPHE or len(item.lines) > 2 or item.lone_number:
        return False
    text = unwrap(item.lines)
    return len(text) <= 200 and text[-1] not in ".?!:;…" and text != labels.NOT_FILLED


def _is_question(item: _ItemBuilder) -> bool:
    """A paragraph (or a numbered line, « 2. Comment … ? ») ending with "?": the workshop question
    when a sheet starts below it."""
    return item.kind is not ItemType.PUCE and item.lines[-1].endswith("?")


def _question_start(item: _ItemBuilder) -> int | None:
    """Where the workshop question ending ``item`` starts among its lines, or None if it ends with none.

    0 when the whole item is the question (up to :data:`_THEME_LINES` lines the page wrapped;
    never a bullet). A question run on to the item above it (a PDF's long line taken as cut
    by the page, a mail's « Bonjour, ») starts at a capital after a line that ends a sentence
    (« ) », « . », « » »…) or greets, or at a question word (« Comment », « Quels »…): the
    lines before it stay that item's.
    """
    lines = item.lines
    if not lines[-1].endswith("?") or item.lone_number:
        return None
    for index in range(len(lines) - 1, max(len(lines) - _THEME_LINES - 1, 0), -1):
        line, before = lines[index], lines[index - 1]
        if line[:1].isupper() and (
            before[-1] in _QUESTION_AFTER or _GREETING.fullmatch(before) is not None or _QUESTION_WORD.match(line) is not None
        ):
            return index
    if item.kind is ItemType.PUCE:
        return None
    return 0 if len(lines) <= _THEME_LINES else None


def _numbered_theme(theme: str) -> tuple[int, str] | None:
    """« Thème 2 : Quels liens … ? », « 3 - Comment financer ? »: the theme number typed before the question."""
    match = _NUMBERED_THEME.fullmatch(theme)
    return (int(match.group("number")), match.group("question")) if match is not None else None


@dataclass(slots=True)
class _SheetBuilder:
    start_line: int
    theme: str | None = None
    theme_number: int | None = None
    structures: list[dict[str, Any]] = field(default_factory=list)
    projet: str | None = None
    structures_line: int | None = None
    sections: dict[str, list[_ItemBuilder]] = field(default_factory=dict)
    rubriques: dict[str, list[int]] = field(default_factory=dict)
    current: str = HORS_RUBRIQUE
    current_items: list[_ItemBuilder] = field(default_factory=list)
    """Items of the current section (kept at hand: appending is the hot path)."""
    heading_like: list[tuple[int, str, str]] = field(default_factory=list)
    """Lines shaped like a heading that none of the 13 matched: (line, text, key of the closest heading)."""

    def __post_init__(self) -> None:
        self.sections[self.current] = self.current_items

    def enter(self, key: str) -> None:
        """Make ``key`` the section new content goes to."""
        self.current = key
        self.current_items = self.sections.setdefault(key, [])

    def build(self, file: str) -> FicheRecord:
        """The sheet's record: plain data shaped as ``Fiche.model_dump()`` (see :mod:`fichekit.records`)."""
        sections = self.sections
        record: FicheRecord = {
            "theme": self.theme,
            "theme_number": self.theme_number,
            "structures": self.structures,
            "projet": self.projet,
        }
        for key in _RECORD_SECTIONS:
            builders = sections.get(key)
            record[key] = [b.to_item() for b in builders if not b.layout] if builders else []
        record["source"] = {
            "file": file,
            "line": self.start_line,
            "structures_line": self.structures_line,
            "rubriques": self.rubriques,
        }
        return record


def _starts_item(text: str) -> bool:
    """Whether a line the document runs on from the one above (a Word line break, Maj+Entrée) starts
    something of its own: a typed list item (« - Un comité élu »), or a rubrique with its colon
    (« Chiffres clés : 40 bénévoles »), as people type a whole sheet in one paragraph."""
    if split_marker(text)[0] is not ItemType.PARAGRAPHE:
        return True
    heading = match_heading(text)
    return heading is not None and heading.closed and heading.kind is not MatchKind.NEAR_MISS


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
        # A rule ("---", "_____") is not a sentence left open.
        return bool(last.strip("-–—_=*~#. "))
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


@dataclass(slots=True)
class _Recueil:
    """Reading fichekit's own recueil back (its Word file, or that file exported to text).

    Its title page and sommaire are layout; « Thème n° N » and each theme's heading
    set the theme of every sheet below them; a sheet starts at its structures
    heading, then « Projet : … » (or a bold « projet … » line), then « Localisation ».
    « Non renseigné » under a rubrique is the writer's mark of an empty rubrique.
    """

    stage: str = "title"
    """« title » (title page), « toc » (sommaire), then « body »."""
    themes: set[str] = field(default_factory=set)
    """Theme titles listed on the title page: in the body, a line equal to one is a theme heading."""
    toc_first: str | None = None
    group_theme: str | None = None
    group_number: int | None = None
    pending_number: int | None = None
    hint_seen: bool = False
    """The sommaire's closing hint was read (perhaps wrapped over lines): the body starts at the next page."""
    fresh_group: bool = False
    """A theme heading was read since the last sheet started: it, not a question above, is the theme."""


class _Parser:
    def __init__(self, file: str, findings: list[Finding]) -> None:
        self.file = file
        self.findings = findings
        self.sheet = _SheetBuilder(start_line=1)
        self.in_sheet = False
        self.after_page_break = False
        self.last_item: _ItemBuilder | None = None
        self.pending_avec: tuple[int, re.Match[str], bool] | None = None
        self.last_heading: tuple[HeadingMatch, int] | None = None
        """The heading just read, while no content follows it: a wrapped heading's second line may come."""
        self.layout_lines = 0
        """Lines left out as layout (page numbers, running headers, a table of contents): counted in one finding."""
        self.first_layout: tuple[int, str] | None = None
        self.pending_bullets = 0
        """Bullet glyphs seen alone on their lines (PDF text): the next text lines are that many bullets."""
        self.synonym_first = synonym_first_characters()
        """First letters of the network's own titles in force (see :func:`fichekit.headings.synonyms`)."""
        self.line_length = 0
        self.previous_length = 0
        """Lengths of the line being read and of the one before it, as printed (PDF text: was it cut?)."""
        self.width: int | None = None
        """Usual full-line length of PDF text: a line that long, without final punctuation, was cut by the page."""
        self.avec_tail: str | None = None
        """What follows « Avec » on the sheet's structures line, while a wrapped second line may still come."""
        self.join_lines = True
        """Whether a line may continue the item above (text exports); a Word paragraph is an item of its own."""
        self.from_document = False
        """The lines come from a document reader (Word, PDF) rather than a text export."""
        self.list_hint = False
        """The line being read is a list item the document draws (a BULLET or NUMBER line)."""
        self.heading_levels = True
        """Whether HEADING levels are the document's outline (Word styles), not just emphasis (a PDF's bold)."""
        self.recueil: _Recueil | None = None
        self.heading_hint = 0
        """Level of the HEADING line being read (Word), 0 otherwise."""

    # -- sheet boundaries -------------------------------------------------
    def _start_sheet(self, line_no: int, at_heading: bool = False) -> FicheRecord | None:
        """Open a new sheet at ``line_no``, taking theme lines from the end of the previous one.

        ``at_heading``: the sheet starts at its first rubrique (no « Avec » line):
        a structures heading just above it is taken too (see :meth:`_sheet_head`).
        """
        previous = self.sheet
        items = previous.current_items
        theme: str | None = None
        number: int | None = None
        start = line_no
        head = self._sheet_head(items) if at_heading else None
        recueil = self.recueil
        # In a recueil, a theme heading already read gives the theme: a question ending the
        # previous sheet is that sheet's content. Without one (the recueil's text, where the
        # heading is a question paragraph like any other), the question just above is it.
        takes_question = recueil is None or (not recueil.fresh_group and (head is not None or not at_heading))
        question_at = _question_start(items[-1]) if takes_question and items else None
        if question_at is not None:
            theme_item = items[-1]
            if question_at == 0:
                items.pop()
                question, start = theme_item.lines, theme_item.line_no
            else:
                # The question was run on to the item above it (« … glaneurs ») » / « Comment … ? », or a
                # mail's « Bonjour, »): it leaves that item, which keeps its own lines.
                question = theme_item.lines[question_at:]
                del theme_item.lines[question_at:]
            theme = unwrap(question)
            if recueil is None and question_at == 0 and theme_item.number is not None:
                number = theme_item.number
            elif recueil is None and (numbered := _numbered_theme(theme)) is not None:
                number, theme = numbered
            if recueil is not None:
                recueil.group_theme, recueil.group_number = theme, recueil.pending_number
                recueil.pending_number = None
        if recueil is None and items and items[-1].lone_number:
            number_item = items.pop()
            start = number_item.line_no
            number = int(number_item.lines[0]) if number is None else number
        if recueil is not None:
            # The theme heading's number belongs to the first sheet below it; a label right
            # above a later sheet's heading, to that sheet.
            theme = recueil.group_theme
            number = recueil.group_number if recueil.group_number is not None else recueil.pending_number
            recueil.group_number = recueil.pending_number = None
            recueil.fresh_group = False
        if head is not None:
            start = min(start, head[2]) if theme is None else start
        new = _SheetBuilder(start_line=start, theme=theme, theme_number=number)
        if head is not None:
            new.structures, new.projet, new.structures_line = head
        finished: FicheRecord | None = None
        if self.in_sheet:
            finished = self._build(previous)
        else:
            # Text before the first sheet is kept with it, not dropped.
            new.current_items.extend(previous.sections.get(HORS_RUBRIQUE, []))
        self.sheet = new
        self.in_sheet = True
        self.last_item = None
        return finished

    def _open_avec(self, line_no: int, match: re.Match[str]) -> FicheRecord | None:
        finished = self._start_sheet(line_no)
        self.sheet.structures_line = line_no
        rest = match.group("rest")
        self._read_structures(rest, line_no)
        self.avec_tail = rest
        self.pending_bullets = 0
        return finished

    def _continue_avec(self, text: str) -> bool:
        """Join a line the page wrapped to the structures line above it (« … : projet » / « CABAS »)."""
        rest = self.avec_tail
        assert rest is not None
        self.avec_tail = None
        if self.sheet.current != HORS_RUBRIQUE or self.sheet.current_items or not rest:
            return False
        last_word = rest.rsplit(None, 1)[-1].casefold()
        cut = (
            rest[-1] in ",;:/&+-–("
            or last_word in _CONNECTORS
            or last_word == "projet"
            or text[0].islower()
            or text[0] == "("
            or self._cut_by_page(rest, text)
            # « … et Réseau Terres » / « Partagées (BFC) : projet X »: the last structure's codes come below.
            or (rest[-1] != ")" and _CODES_AHEAD.match(text) is not None)
        )
        if not cut:
            return False
        self._read_structures(unwrap([rest, text]), self.sheet.structures_line or 0)
        return True

    def _read_structures(self, text: str, line_no: int) -> None:
        notes: list[str] = []
        self.sheet.structures, self.sheet.projet = read_structures(text, notes)
        for note in notes:
            self.findings.append(make_finding(Code.INTERPRETED, self.file, note, line=line_no, column=1))

    def _cut_by_page(self, last: str, text: str) -> bool:
        """Whether the page width explains why ``last`` ended where it does (PDF text only).

        The printed line may have been longer than ``last`` (a heading before the
        content, a marker): the length of the line as read counts.
        """
        width = self.width
        if width is None or last[-1] in _TERMINAL:
            return False
        first_word = text.split(None, 1)[0] if text else ""
        return max(len(last), self.previous_length) + 1 + len(first_word) > width

    # -- lines -------------------------------------------------------------
    def feed(self, line_no: int, raw: str) -> list[FicheRecord]:
        """Process one physical line; return the sheets it finished (usually none)."""
        finished: list[FicheRecord] = []
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
                self.note_layout(self.last_item.line_no, self.last_item.lines[0])
                self.last_item = items[-1] if items else None
        self.after_page_break = True
        recueil = self.recueil
        if recueil is not None:
            # The recueil's title page ends at a page break; its sommaire at the break after its hint.
            if recueil.stage == "title":
                recueil.stage = "toc"
            elif recueil.stage == "toc" and recueil.hint_seen:
                recueil.stage = "body"

    def line(self, line_no: int, raw: str) -> FicheRecord | None:
        """Process one line without form feed; return the sheet it finished, if any."""
        text = raw.strip()
        return self.stripped_line(line_no, text) if text else None

    def stripped_line(self, line_no: int, text: str) -> FicheRecord | None:
        """:meth:`line` for a line already stripped, and not blank.

        This is the hot path (millions of calls on large exports): the first
        character decides which of the costlier checks are worth running.
        """
        self.previous_length, self.line_length = self.line_length, len(text)
        recueil_words = self.recueil is not None or (
            not self.in_sheet and text[0].isdigit() and _COUNT_LINE.fullmatch(text) is not None
        )
        if recueil_words and self._recueil_line(line_no, text):
            return None
        finished: FicheRecord | None = None
        after_break, self.after_page_break = self.after_page_break, False
        if self.pending_avec is not None:
            finished = self._resolve_pending_avec(text)
        first = text[0]
        if first == "T" and (label := _THEME_LABEL.fullmatch(text)) is not None:
            # « Thème n° 2 » above a theme (fichekit's recueil): the theme number.
            self._append(_ItemBuilder(ItemType.PARAGRAPHE, label.group(1), line_no, lone_number=True))
            return finished
        if first == "H" and text == labels.OUT_OF_SECTION and self.in_sheet:
            # fichekit's own heading for a sheet's text under no rubrique (its recueil, its Markdown).
            self.sheet.enter(HORS_RUBRIQUE)
            self.last_item = None
            return finished
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
            # « 1. Localisation : », « **Partenaires** », « *Résultats :* »: a heading as people type it.
            # Most such lines are list items or figures (« 2019 : … »): test only those that may be one.
            maybe_heading = (
                body[:1].casefold() in _HEADING_FIRST if kind is ItemType.NUMERO else kind is ItemType.PARAGRAPHE and not first.isdigit()
            )
            if maybe_heading and (heading := match_heading(text)) is not None:
                return self._heading(line_no, heading) or finished
            if kind is not ItemType.PARAGRAPHE:
                item = _ItemBuilder(kind, body, line_no)
                if kind is ItemType.NUMERO and body[-1] == "?":
                    item.number = int(text[: len(text) - len(text.lstrip("0123456789"))])
                self._append(item)
                return finished
            if _GLYPHS_ONLY.fullmatch(text):
                # PDF text: the bullets of a list drawn on lines of their own, texts below.
                self.pending_bullets += sum(1 for char in text if not char.isspace())
                return finished
            if text in _LONE_DASHES or _LONE_NUMBER_MARKER.fullmatch(text):
                # « –<tab>Centre social », « 1.<tab>Repérage… » typed in Word, which pdftotext writes as « – »
                # or « 1. », then the text: kept as written until a text line below makes it that line's marker.
                dash = _ItemBuilder(kind, text, line_no)
                dash.dash = True
                self._append(dash)
                return finished
            if len(text) <= 3 and text.isdecimal() and text.isascii():
                # Top of a page: a page number, or the theme number of a sheet
                # starting on this page; kept aside from content either way.
                lone = _ItemBuilder(kind, text, line_no, lone_number=True, layout=after_break)
                if after_break:
                    self.sheet.current_items.append(lone)
                else:
                    self._append(lone)
                return finished
        elif (
            first.casefold() in _HEADING_FIRST
            or (not first.isalnum() and first not in _NEVER_BEFORE_A_HEADING)
            or text[1:2] in ".)"
            or (first in "IVXivx" and _ROMAN_NUMBERING.match(text) is not None)
            or (first in "NnQqVvDd" and text.split(" ", 1)[0].casefold() in DETERMINERS)
            or first in self.synonym_first
        ):
            heading = match_heading(text)
            if heading is not None:
                return self._heading(line_no, heading) or finished
        self._content(line_no, text)
        return finished

    def hinted(self, line: Line) -> FicheRecord | None:
        """Process one line of a document reader (Word, PDF), using what the document says about it."""
        hint = line.hint
        if hint is Hint.TEXT:
            if not self.heading_levels and (cell := self._form_row(line.text.strip())) is not None:
                return self._heading(line.number, cell)
            return self.line(line.number, line.text)
        if hint is Hint.HEADING:
            self.heading_hint = (line.level or 9) if self.heading_levels else 9
            try:
                return self.line(line.number, line.text)
            finally:
                self.heading_hint = 0
        if hint is Hint.PAGE_BREAK:
            self._page_break()
            return None
        text = line.text.strip()
        if not text:
            return None
        if hint is Hint.LAYOUT:
            self.note_layout(line.number, text)
            return None
        finished: FicheRecord | None = None
        self.after_page_break = False
        if hint is Hint.CONTINUATION:
            if self.last_heading is not None:
                heading, heading_line = self.last_heading
                joined = match_heading(f"{heading.written} {text}")
                if joined is not None and joined.key == heading.key:
                    # The second line of a wrapped heading: its text after the colon is content.
                    self.last_heading = None
                    if joined.rest:
                        kind, body = split_marker(joined.rest)
                        self._append(_ItemBuilder(kind, body, heading_line))
                    return None
            previous = self.last_item
            starts_anew = (
                (text[0] in _ARROW_FIRST and _AVEC.fullmatch(text) is not None)
                or (text.endswith("?") and previous is not None and previous.kind is not ItemType.PARAGRAPHE)
                or (self.recueil is not None and _PROJET_LINE.fullmatch(text) is not None)
                or _starts_item(text)
            )
            if previous is not None and self.pending_avec is None and not starts_anew:
                previous.lines.append(text)
                if len(previous.lines) == 2 and previous.kind is ItemType.PARAGRAPHE:
                    # A heading the page width wrapped over two lines ("… et points de" / "vigilance :").
                    wrapped = match_heading(" ".join(previous.lines))
                    if wrapped is not None and self._take_back(previous):
                        return self._heading(previous.line_no, wrapped)
                return None
            return self.line(line.number, text)
        if self.recueil is not None and self.recueil.stage != "body":
            self.list_hint = hint is Hint.BULLET or hint is Hint.NUMBER
            consumed = self._recueil_line(line.number, text)
            self.list_hint = False
            if consumed:
                return None
        if self.pending_avec is not None:
            finished = self._resolve_pending_avec(text)
        if hint is Hint.NUMBER and (numbered := match_heading(text)) is not None:
            # A rubrique's title in a numbered Word list (« 4. Résultats : », the number drawn by Word),
            # read as the text export of the same document reads « 4. Résultats : ».
            return self._heading(line.number, numbered) or finished
        if hint is Hint.BULLET or hint is Hint.NUMBER:
            kind = ItemType.PUCE if hint is Hint.BULLET else ItemType.NUMERO
            self._append(_ItemBuilder(kind, text, line.number))
            return finished
        return self.line(line.number, text) or finished

    def _form_row(self, text: str) -> HeadingMatch | None:
        """A PDF's « rubrique | contenu » table row read as one line: « Localisation Vesoul ».

        Taken only where it cannot be a sentence: the line starts with a rubrique's
        canonical title, exactly as printed, then content; the sheet does not have
        that rubrique yet, and it comes after the current one in the usual order.
        """
        if not self.in_sheet or not text or text[0] not in _TITLE_FIRST:
            return None
        current = SECTION_KEYS.index(self.sheet.current) if self.sheet.current in SECTION_KEYS else -1
        for title, key in _TITLES_LONGEST_FIRST:
            if text.startswith(title) and text[len(title) : len(title) + 1] == " ":
                rest = text[len(title) :].strip()
                if key in self.sheet.rubriques or SECTION_KEYS.index(key) <= current or not rest:
                    return None
                if not (rest[0].isupper() or rest[0].isdigit() or rest[0] in _MARKER_FIRST):
                    return None
                return HeadingMatch(key, MatchKind.EXACT, rest, title, True)
        return None

    def _take_back(self, item: _ItemBuilder) -> bool:
        """Remove ``item`` (the last one added) from its section, to read it as something else."""
        items = self.sheet.current_items
        if items and items[-1] is item:
            items.pop()
            self.last_item = None
            return True
        return False

    def note_layout(self, number: int, text: str) -> None:
        """Count one line left out as layout (quoted in the finding if it is the first in the file).

        Page furniture is told from a whole page, the grammar's own layout line by line:
        they are noted in no fixed order, so the first is the one with the lowest line number.
        """
        self.layout_lines += 1
        if self.first_layout is None or number < self.first_layout[0]:
            self.first_layout = (number, text)

    def layout_finding(self) -> Finding | None:
        """One finding for the layout lines left out, quoting the first one."""
        if self.first_layout is None:
            return None
        number, text = self.first_layout
        count = self.layout_lines
        return make_finding(
            Code.LAYOUT_REMOVED,
            self.file,
            f"{count} ligne{'s' if count > 1 else ''} de mise en page laissée{'s' if count > 1 else ''} de côté "
            f"(numéros de page, en-têtes et pieds de page répétés, table des matières, en-têtes de courriel), "
            f"la première : « {text[:60]} »",
            line=number,
            column=1,
        )

    def _recueil_line(self, line_no: int, text: str) -> bool:
        """Lines with a meaning of their own in a fichekit recueil; True when consumed."""
        state = self.recueil
        if state is None:
            # The count line of the title page: everything read so far was the title page.
            state = self.recueil = _Recueil()
            if self.width is None and not self.from_document:
                # The recueil's text export: one paragraph per line, none wrapped by a page.
                self.join_lines = False
            for item in self.sheet.current_items:
                self.note_layout(item.line_no, item.lines[0])
            self.sheet.current_items.clear()
            self.last_item = None
            self.note_layout(line_no, text)
            return True
        if state.stage != "body":
            number = _THEME_LABEL.fullmatch(text)
            toc_line = _TOC_PAGE.sub("", text)
            starts_body = (
                number is not None
                or (text == labels.INTRODUCTION and state.stage == "title")
                or self.heading_hint == 1
                or (state.stage == "toc" and toc_line == state.toc_first)
            )
            if not starts_body:
                if state.stage == "title":
                    # Only a whole list item names a theme: a page may have wrapped it.
                    kind, body = split_marker(text)
                    listed = _THEME_IN_LIST.fullmatch(body) if kind is ItemType.PUCE or self.list_hint else None
                    if listed is not None:
                        state.themes.add(listed.group("theme"))
                    elif text == labels.SOMMAIRE:
                        state.stage = "toc"
                elif text in (labels.TOC_HINT, labels.EMPTY_RECUEIL):
                    state.stage = "body"
                elif text[:30] in (labels.TOC_HINT[:30], labels.EMPTY_RECUEIL[:30]):
                    state.hint_seen = True  # the hint, wrapped by a page: the body starts on the next one
                elif state.toc_first is None:
                    state.toc_first = toc_line
                self.note_layout(line_no, text)
                return True
            state.stage = "body"
        number = _THEME_LABEL.fullmatch(text)
        if number is not None:
            state.pending_number = int(number.group(1))
            self.last_item = None  # a sheet's heading follows: nothing above continues into it
            return True
        if text == labels.INTRODUCTION and not self.in_sheet:
            return True
        if text in state.themes or text == labels.NO_THEME or self.heading_hint == 1:
            state.group_theme = None if text == labels.NO_THEME else text
            state.group_number, state.pending_number = state.pending_number, None
            state.fresh_group = True
            self.last_item = None
            return True
        if text == labels.NOT_FILLED:
            self.note_layout(line_no, text)
            return True
        if text == labels.OUT_OF_SECTION and self.in_sheet:
            self.sheet.enter(HORS_RUBRIQUE)
            self.last_item = None
            return True
        return False

    def _sheet_head(self, items: list[_ItemBuilder]) -> tuple[list[dict[str, Any]], str | None, int] | None:
        """The structures heading (and projet line) just above a sheet's first rubrique, taken from ``items``.

        A sheet without « Avec » line may name its structures on a line of its own
        (fichekit's recueil does: « Civam Le Serpolet (39) et Active (BFC) »). That
        line is taken when the document is a recueil, or when it is shaped like a
        structures line (a code in parentheses, or a question just above it).
        """
        projet: str | None = None
        index = len(items) - 1
        if index >= 1 and (match := _single_line(items[index], _PROJET_LINE)) is not None:
            projet = match.group("labelled") or match.group("bare")
            index -= 1
        if index < 0 or not _structures_like(items[index]):
            return None
        text = unwrap(items[index].lines)
        plausible = (
            self.recueil is not None
            or "(" in text
            or (index >= 1 and _is_question(items[index - 1]))
        )
        if not plausible:
            return None
        line_no = items[index].line_no
        del items[index:]
        if text == labels.NO_STRUCTURE:
            return [], projet, line_no
        notes: list[str] = []
        structures, inline_projet = read_structures(text, notes)
        for note in notes:
            self.findings.append(make_finding(Code.INTERPRETED, self.file, note, line=line_no, column=1))
        return structures, projet if projet is not None else inline_projet, line_no

    def _resolve_pending_avec(self, text: str) -> FicheRecord | None:
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

    def _heading(self, line_no: int, heading: HeadingMatch) -> FicheRecord | None:
        finished = None
        sheet = self.sheet
        repeated_start = heading.key == SECTION_KEYS[0] and SECTION_KEYS[0] in sheet.rubriques and len(sheet.rubriques) > 1
        if not self.in_sheet or repeated_start:
            # A sheet without "Avec" line: it starts at its first heading.
            finished = self._start_sheet(line_no, at_heading=True)
            sheet = self.sheet
        if heading.kind is not MatchKind.EXACT:
            self.findings.append(near_miss_finding(heading, self.file, line_no))
        sheet.rubriques.setdefault(heading.key, []).append(line_no)
        sheet.enter(heading.key)
        self.last_item = None
        self.pending_bullets = 0
        self.avec_tail = None
        # A heading without its colon may go on on the next line (« … et points de » / « vigilance : »).
        self.last_heading = (heading, line_no) if not heading.rest and not heading.closed else None
        if heading.rest and self.recueil is not None and heading.rest == labels.NOT_FILLED:
            self.note_layout(line_no, heading.rest)
        elif heading.rest:
            kind, body = split_marker(heading.rest)
            self._append(_ItemBuilder(kind, body, line_no))
        return finished

    def _content(self, line_no: int, text: str) -> None:
        if self.avec_tail is not None:
            if self.sheet.projet is None and not self.sheet.current_items and (
                projet := _PROJET_LINE.fullmatch(text)
            ) is not None:
                # « Projet : PANIERS » (or the recueil's bold « projet MIAM ») right under the structures.
                self.sheet.projet = projet.group("labelled") or projet.group("bare")
                self.avec_tail = None
                return
            if self.join_lines and self._continue_avec(text):
                return
            self.avec_tail = None
        if self.last_heading is not None and self._continue_heading(text):
            return
        previous = self.last_item
        if previous is not None and previous.dash:
            marker_kind = ItemType.PUCE if previous.lines[0] in _LONE_DASHES else ItemType.NUMERO
            previous.kind, previous.lines, previous.dash = marker_kind, [text], False
            return
        if text[-1] == "?" and previous is not None and self.sheet.current_items[-1:] != [previous] and _QUESTION_WORD.match(text):
            # Past a number at the top of a page (« 5 », the page's or the theme's), a question starts anew:
            # it is the next sheet's theme far more often than the end of a sentence the page cut.
            previous = None
        # A line the document sets apart (a heading style, a bold paragraph) never continues the one
        # above, nor does the recueil's « projet … » line under its structures heading.
        if (
            previous is not None
            and self.join_lines
            and not self.heading_hint
            and not (self.recueil is not None and _PROJET_LINE.fullmatch(text))
            and (
                _continues(previous, text)
                or (self.width is not None and self._cut_by_page(previous.lines[-1], text))
                or (text[0] == "(" and text[-1] == ")" and len(text) <= 24 and previous.lines[-1][-1] != ")")
            )
        ):
            if (
                len(previous.lines) == 1
                and previous.kind is not ItemType.PUCE
                and len(previous.lines[0]) < MAX_HEADING_LENGTH
                and (heading := self._wrapped_heading(previous, text)) is not None
                and self._take_back(previous)
            ):
                # A heading wrapped over two lines ("Contexte et situation" / "initiale/prérequis :",
                # « 11) CONSEILS … D'AUTRES TERRI- » / « TOIRES ET POINTS DE VIGILANCE »).
                self._heading(previous.line_no, heading)
                return
            previous.lines.append(text)
            return
        if self.pending_bullets:
            self.pending_bullets -= 1
            self._append(_ItemBuilder(ItemType.PUCE, text, line_no))
            return
        if text[-1] == ":" and self.in_sheet and _HEADING_LIKE.fullmatch(text):
            written = text[:-1].strip()
            closest = closest_heading(written)
            if closest is not None:
                self.sheet.heading_like.append((line_no, written, closest))
        elif len(text) <= _CLOSING_LENGTH and text[0] in _CLOSING_FIRST and self.in_sheet and _CLOSING.fullmatch(text):
            # « Cordialement, » then a name: a mail's sign-off, kept under no rubrique rather than in the last one.
            self.sheet.enter(HORS_RUBRIQUE)
        self._append(_ItemBuilder(ItemType.PARAGRAPHE, text, line_no))

    def _wrapped_heading(self, previous: _ItemBuilder, text: str) -> HeadingMatch | None:
        """The heading ``previous`` (one line) and ``text`` make together, if the page wrapped one.

        Taken when the second line holds the colon, or when the first ends with a hyphen
        (a word cut in two: « TERRI- » / « TOIRES », the hyphen dropped). A numbered first
        line (« 11) CONSEILS… », read as a numbered item) is its title without the number.
        """
        first = previous.lines[0]
        if text.endswith(":"):
            joined = f"{first} {text}"
        elif first.endswith("-") and first[-2:-1].isalpha():
            joined = first[:-1] + text
        else:
            return None
        heading = match_heading(joined)
        if heading is None or heading.kind is not MatchKind.EXACT:
            return None
        if previous.kind is ItemType.NUMERO:
            # The item lost its number: the heading was written numbered, as a warning says.
            heading = HeadingMatch(heading.key, MatchKind.DECORATED, heading.rest, joined, heading.closed)
        return heading

    def _build(self, sheet: _SheetBuilder) -> FicheRecord:
        """The finished sheet's record; a heading-like line close to a heading it lacks is reported."""
        for line_no, written, key in sheet.heading_like:
            if key not in sheet.rubriques:
                title = HEADING_BY_KEY[key].title
                self.findings.append(
                    make_finding(
                        Code.UNKNOWN_HEADING,
                        self.file,
                        f"« {written} » ressemble à un titre mais n'est pas une rubrique (gardé comme contenu), "
                        f"et la fiche n'a pas de rubrique « {title} » : vouliez-vous dire « {title} » ?",
                        line=line_no,
                        column=1,
                    )
                )
        return sheet.build(self.file)

    def _continue_heading(self, text: str) -> bool:
        """The second line of a heading the page wrapped ("… et points de" / "vigilance :")."""
        heading, heading_line = self.last_heading  # type: ignore[misc]
        self.last_heading = None
        if text[0] == ":":
            # The colon alone on the line below the heading: what follows it is content.
            rest = text[1:].strip()
            if rest:
                kind, body = split_marker(rest)
                self._append(_ItemBuilder(kind, body, heading_line))
            return True
        if len(text) > MAX_HEADING_LENGTH or not (":" in text or (self.width is not None and text[0].islower())):
            # The end of a heading the page wrapped holds its colon, or goes on in lower case.
            return False
        joined = match_heading(unwrap([heading.written, text]))
        if joined is None or joined.key != heading.key or joined.kind is not MatchKind.EXACT:
            return False
        if heading.kind is not MatchKind.EXACT and self.findings and self.findings[-1].line == heading_line:
            self.findings.pop()  # the first line alone looked misspelt; whole, it is right
        if joined.rest:
            kind, body = split_marker(joined.rest)
            self._append(_ItemBuilder(kind, body, heading_line))
        return True

    def _append(self, item: _ItemBuilder) -> None:
        self.sheet.current_items.append(item)
        self.last_item = item
        self.last_heading = None

    def finish(self) -> FicheRecord | None:
        if self.pending_avec is not None:
            line_no, match, _ = self.pending_avec
            self.pending_avec = None
            self._content(line_no, match.group(0).strip())
        if not self.in_sheet:
            return None
        return self._build(self.sheet)


def _end(parser: _Parser, found: list[Finding], count: int) -> Iterator[FicheRecord]:
    """The last sheet, the layout finding, and the error for an input that held no sheet at all."""
    last = parser.finish()
    layout = parser.layout_finding()
    if layout is not None:
        found.append(layout)
    if last is not None:
        yield last
    elif count == 0:
        raise ParseError(
            "aucune fiche reconnue (ni ligne « → Avec … » ni titre de rubrique comme « Localisation : »)",
            path=parser.file,
        )


_BATCH_LINES = 4096
"""Lines handed on together when the input comes line by line (the text reader hands decoded chunks)."""
_BLANK_BUT_FORM_FEED = "\t\n\x0b\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
"""Every character ``str.strip()`` removes, except the form feed: a page break is never blank."""


def _batched(lines: Iterable[str]) -> Iterator[list[str]]:
    it = iter(lines)
    while batch := list(islice(it, _BATCH_LINES)):
        yield batch


def iter_records(
    lines: Iterable[str],
    file: str = "<texte>",
    findings: list[Finding] | None = None,
    profile: TextProfile | None = None,
) -> Iterator[FicheRecord]:
    """Yield the sheets of an export one by one as plain records, reading ``lines`` lazily.

    Remarks (near-miss headings…) are appended to ``findings`` when given.
    ``profile`` (from :func:`~fichekit.grammar.layout.profile_text`) says when the
    text came from a PDF: page furniture is then removed and counted, and lines
    the page width cut are joined. Raises :class:`~fichekit.errors.ParseError`
    when the text holds no sheet.
    """
    return iter_records_in_batches(_batched(lines), file, findings, profile)


def iter_records_in_batches(
    batches: Iterable[list[str]],
    file: str = "<texte>",
    findings: list[Finding] | None = None,
    profile: TextProfile | None = None,
) -> Iterator[FicheRecord]:
    """:func:`iter_records` on lines given a list at a time (:meth:`fichekit.sources.Source.line_batches`).

    Blank lines, half of a typical export, are skipped in C: each batch is
    stripped with one ``map`` and only lines with text reach the grammar.
    """
    found = findings if findings is not None else []
    parser = _Parser(file, found)
    if profile is not None and (profile.quote_depth or profile.mail):
        batches = _batched(strip_mail(chain.from_iterable(batches), profile, parser.note_layout))
    if profile is not None and profile.pdf:
        parser.width = profile.width
        batches = strip_page_furniture(batches, profile, parser.note_layout)
        if profile.tables:
            batches = _batched(read_form_tables(chain.from_iterable(batches)))
    count = 0
    line = parser.stripped_line
    feed = parser.feed
    line_no = 1
    blank = repeat(_BLANK_BUT_FORM_FEED)
    for batch in batches:
        stripped = list(map(str.strip, batch, blank))
        for number, text in compress(enumerate(stripped, line_no), stripped):
            if "\f" in text:
                for fiche in feed(number, text):
                    count += 1
                    yield fiche
            elif (sheet := line(number, text)) is not None:
                count += 1
                yield sheet
        line_no += len(batch)
    yield from _end(parser, found, count)


def iter_records_from_lines(
    lines: Iterable[Line],
    file: str = "<document>",
    findings: list[Finding] | None = None,
    *,
    join_lines: bool = False,
    heading_levels: bool = True,
) -> Iterator[FicheRecord]:
    """Yield the sheets of a document reader's line stream (see :mod:`fichekit.grammar.lines`) as plain records.

    The same grammar as :func:`iter_records`, told by the document which lines
    are list items, headings, page breaks or layout. ``join_lines``: whether a
    TEXT line may still continue the item above by the text rules (a PDF's lines,
    which geometry alone may not join), or never (a Word paragraph is an item).
    ``heading_levels``: whether a HEADING line's level is the document's outline
    (Word's « Titre 1 » is a recueil's theme) or only says the line is bold (PDF).
    """
    found = findings if findings is not None else []
    parser = _Parser(file, found)
    parser.join_lines = join_lines
    parser.from_document = True
    parser.heading_levels = heading_levels
    count = 0
    for line in lines:
        fiche = parser.hinted(line)
        if fiche is not None:
            count += 1
            yield fiche
    yield from _end(parser, found, count)


def parse_lines(lines: Iterable[str], file: str = "<texte>") -> ParseResult:
    """Parse all sheets of ``lines`` at once, with the remarks made."""
    from ..records import as_fiches

    findings: list[Finding] = []
    fiches = list(as_fiches(iter_records(lines, file, findings)))
    return ParseResult(fiches=fiches, findings=findings)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def parse_text(text: str, file: str = "<texte>") -> ParseResult:
    """Parse a whole export given as a string (CR, LF or CRLF line endings)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse_lines(_LINE_BREAK.split(text), file)
