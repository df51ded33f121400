"""PDF -> line stream: an adapter that reads the page, not a second parser.

PDFium (through pypdfium2) gives the text of each page with a box, a baseline,
a font and the text object of every character. From that geometry this module
says what the page shows beyond the words, and nothing more:

- reading order: rows top to bottom; a two-column page column by column (a
  line across both columns separates bands read one after the other), also
  when the page draws both columns row by row and PDFium runs them together;
  a « Rubrique | contenu » table (every left-column text a rubrique's title)
  row by row instead, each title, wrapped or not, as one heading line
  followed by its row's content lines;
- page furniture is left out, only at the page edges, and counted in one FK107
  finding: running headers and footers (the same line, digits aside, at the
  same height on most pages) and page numbers (« 3 », « page 3 / 12 »,
  « 3/12 », « Page 3 sur 12 », « - 3 - »);
- a bullet glyph drawn before the text (or alone on its line) makes the text a
  :attr:`~Hint.BULLET` line without the glyph, its indent giving the level;
  numbered items (« 1. texte ») stay TEXT lines with their number, which the
  grammar reads;
- a line the page width wrapped becomes a :attr:`~Hint.CONTINUATION` line:
  the previous line stops closer to its column's right edge than the width of
  the next line's first word (so that word could not fit there), the next
  line starts where the item's wrapped lines start, at the paragraph's line
  pitch; a line starting with a typed marker (« - », « 1. ») starts an item;
- hyphens at a line end: LibreOffice draws an automatic (soft) hyphen as its
  own text object, while a typed hyphen (« Bourgogne- » / « Franche-Comté »)
  sits in its word's text object. PDFium reports both as a hyphen at a line
  end (U+FFFE / U+0002), so the text object tells them apart: a soft hyphen is
  dropped and the word joined, a typed one kept and the parts joined without
  a space, in both cases into one line;
- a short line drawn wholly in bold becomes a :attr:`~Hint.HEADING` line.

Every word on the page is kept; only layout is dropped. ``Line.number`` is the
page (1-based); a PAGE_BREAK line (numbered with the page it ends) separates
pages. Unusable files (scanned, password-protected, damaged, hostile, absurdly
large) raise :class:`~fichekit.errors.InputError` with a one-line French message.
"""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any, NamedTuple

from ..errors import InputError
from ..findings import Code, Finding, make_finding
from ..grammar import iter_records_from_lines
from ..grammar.layout import title_row_step
from ..grammar.lines import Hint, Line
from ..headings import is_heading_start, match_heading
from ..records import FicheRecord
from ..sources import Source
from . import merge_layout_findings

__all__ = ["MAX_PAGES", "pdf_lines"]

MAX_PAGES = 3000
"""More pages than this is not a collection of fiches: refused rather than read for minutes."""
MAX_CHARS_PER_PAGE = 100_000
"""A dense A4 page holds about 5,000 characters; far more is a hostile or broken file."""

# Glyphs Word and LibreOffice draw for list bullets, including the private-use
# code points of the Symbol and Wingdings fonts.
_BULLET_GLYPHS = frozenset("•▪◦●○■□►▸▹➢➤✓✔‣⁃∙·\uf0b7\uf0a7\uf0a8\uf076\uf0d8\uf0fc\uf06e\uf0e8")
# Typed dashes and stars are bullets only when the page leaves a tab-like gap
# after them; "- 5 %" typed in a sentence stays text.
_DASH_GLYPHS = frozenset("-–—*o")
# "1. ", "2) ", "a) ": the text indent of a numbered item is after its number. Not "M. Dupont".
_NUMBER_MARKER = re.compile(r"\(?(?:\d{1,2}[.)]|[a-z]\))\s+")
_HYPHEN_MARKS = frozenset("\ufffe\x02")
_SEGMENT = re.compile(r"([^\r\n\ufffe\x02]*)(\r\n|\r|\n|[\ufffe\x02]|$)")
_PAGE_NUMBER = re.compile(
    r"(?:(?P<word>page|p\.)\s*)?(?P<n>\d{1,4})(?:\s*(?:/|sur|de|of)\s*(?P<total>\d{1,4}))?",
    re.IGNORECASE,
)
_DASHED_NUMBER = re.compile(r"[-–—]\s*(?P<n>\d{1,4})\s*[-–—]")
_EDGE_LINES = 3
"""How many lines at the top and at the bottom of a page may be furniture."""
_HEADING_MAX_CHARS = 100
_BOLD_WEIGHT = 600
_FORCE_BOLD = 1 << 18
"""PDF font descriptor flag: glyphs drawn bold (PDF 1.7, table 123)."""


@dataclass(slots=True, eq=False)
class _PdfLine:
    """One line as drawn on a page, with the geometry the hints are decided from (PDF points, y upwards)."""

    text: str
    page: int
    page_left: float
    page_right: float
    """The page's visible edges (its CropBox), in the same unrotated space as the characters."""
    left: float
    right: float
    body_left: float
    """Where the text starts after a bullet or a number: the indent a wrapped line comes back to."""
    first_word_width: float
    """Width of the first word after the marker: what would have had to fit on the previous line."""
    baseline: float
    """Baseline of the line's last drawn row (a hyphenated line joins two rows)."""
    top_baseline: float
    """Baseline of its first drawn row."""
    size: float
    first_bold: bool
    last_bold: bool
    bullet: bool = False
    glyph_only: bool = False
    typed_marker: bool = False
    title: bool = False
    """A rubrique's title from the left column of a « Rubrique | contenu » table: a heading line of its own."""
    """The line starts with a list marker typed as text (« - », « 1. »): an item starts, the grammar reads it."""
    hyphen: str | None = None
    """``"soft"`` (drawn by the layout) or ``"hard"`` (typed) when the line ends with a hyphen."""
    column_left: float = 0.0
    column_right: float = 0.0
    column: int = 0
    """0 for a full-width line, 1 and 2 for the left and right columns of a two-column page."""
    halves: tuple[_PdfLine, _PdfLine] | None = None
    """The parts left and right of a wide blank across the page's middle (see :func:`_unmerge_columns`)."""

    @property
    def bold(self) -> bool:
        return self.first_bold and self.last_bold


def pdf_lines(data: bytes, name: str, findings: list[Finding]) -> Iterator[Line]:
    """Yield the lines of the PDF ``data`` (file ``name``) in reading order, with hints.

    Removed page furniture is reported by appending one FK107 finding to
    ``findings`` before the first line is yielded. Raises InputError (French
    message) for a PDF that cannot be read as text.
    """
    pages = _read_pages(data, name)
    body, removed = _remove_furniture(pages)
    if removed:
        first = removed[0]
        findings.append(
            make_finding(
                Code.LAYOUT_REMOVED,
                name,
                f"{len(removed)} ligne(s) de mise en page retirée(s) (en-têtes, pieds de page, numéros de page), "
                f"dont « {first.text} » ; vérifiez qu'aucune n'était du contenu.",
                line=first.page,
            )
        )
    yield from _hinted(body)


# --- Reading the pages --------------------------------------------------------------------------


def _read_pages(data: bytes, name: str) -> list[list[_PdfLine]]:
    """The lines of every page, each page's lines in top-to-bottom rows."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise InputError(_open_error(exc.err_code), path=name) from None
    try:
        count = len(document)
        if count > MAX_PAGES:
            raise InputError(
                f"PDF de {count} pages : au-delà de {MAX_PAGES} pages ce n'est pas un recueil de fiches ; découpez-le.",
                path=name,
            )
        pages: list[list[_PdfLine]] = []
        any_text = False
        for index in range(count):
            try:
                page = document[index]
            except pdfium.PdfiumError:
                # A page tree that loops, is thousands of levels deep or claims pages it lacks.
                raise InputError(
                    f"page {index + 1} illisible : PDF endommagé (arborescence des pages invalide) ; "
                    "exportez-le de nouveau depuis Word.",
                    path=name,
                ) from None
            try:
                lines = _page_lines(page, index + 1, name)
                if not lines and _has_image(page):
                    raise InputError(_scan_message(index + 1, count), path=name)
            finally:
                page.close()
            any_text = any_text or bool(lines)
            pages.append(lines)
        if not any_text:
            raise InputError(_scan_message(None, count), path=name)
        return pages
    finally:
        document.close()


def _open_error(code: int | None) -> str:
    import pypdfium2.raw as pdfium_c

    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return (
            "PDF protégé par un mot de passe : ouvrez-le, enregistrez-en une copie sans mot de passe "
            "(ou « Imprimer » vers PDF), puis relancez sur cette copie."
        )
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return "PDF chiffré d'une façon que fichekit ne sait pas lire : enregistrez-en une copie sans protection."
    return "PDF illisible ou endommagé : exportez de nouveau le document en PDF depuis Word, ou donnez le .docx."


def _scan_message(page: int | None, count: int) -> str:
    where = f"page {page} sans texte" if page is not None and count > 1 else "PDF sans texte"
    return (
        f"{where} (document scanné ?) : fichekit ne lit que le texte, pas les images ; passez le document "
        "dans un logiciel de reconnaissance de caractères (OCR), ou donnez le fichier Word d'origine."
    )


def _has_image(page: Any) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


class _PageBox(NamedTuple):
    """A page's number and visible horizontal extent."""

    number: int
    left: float
    right: float

    @property
    def middle(self) -> float:
        return (self.left + self.right) / 2


class _Chars:
    """Cheap per-character queries on one PDFium text page."""

    __slots__ = ("_b", "_c", "_flags", "_handle", "_l", "_name", "_r", "_t", "_x", "_y")

    def __init__(self, handle: Any) -> None:
        import pypdfium2.raw as pdfium_c

        self._c = pdfium_c
        self._handle = handle
        self._x, self._y = ctypes.c_double(), ctypes.c_double()
        self._l, self._r, self._b, self._t = (ctypes.c_double() for _ in range(4))
        self._name = ctypes.create_string_buffer(128)
        self._flags = ctypes.c_int()

    def box(self, index: int) -> tuple[float, float]:
        """Left and right x of the character."""
        self._c.FPDFText_GetCharBox(self._handle, index, self._l, self._r, self._b, self._t)
        return self._l.value, self._r.value

    def baseline(self, index: int) -> float:
        self._c.FPDFText_GetCharOrigin(self._handle, index, self._x, self._y)
        return self._y.value

    def size(self, index: int) -> float:
        return float(self._c.FPDFText_GetFontSize(self._handle, index)) or 10.0

    def bold(self, index: int) -> bool:
        if self._c.FPDFText_GetFontWeight(self._handle, index) >= _BOLD_WEIGHT:
            return True
        # Embedded subsets often declare weight 400 whatever the font: its name ("Arial-BoldMT")
        # or its ForceBold flag says it.
        self._c.FPDFText_GetFontInfo(self._handle, index, self._name, len(self._name), self._flags)
        return b"bold" in self._name.value.lower() or bool(self._flags.value & _FORCE_BOLD)

    def generated(self, index: int) -> bool:
        """Whether PDFium made the character up (a space for a gap, a line break)."""
        return bool(self._c.FPDFText_IsGenerated(self._handle, index))

    def text_object(self, index: int) -> int | None:
        return ctypes.cast(self._c.FPDFText_GetTextObject(self._handle, index), ctypes.c_void_p).value


def _page_lines(page: Any, number: int, name: str) -> list[_PdfLine]:
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count > MAX_CHARS_PER_PAGE:
            raise InputError(
                f"page {number} : plus de {MAX_CHARS_PER_PAGE} caractères, ce n'est pas une fiche "
                "(fichier endommagé ou piégé ?).",
                path=name,
            )
        text = textpage.get_text_range() if count else ""
        chars = _Chars(textpage.raw)
        # Character positions ignore /Rotate: so do the CropBox edges (get_width() would not).
        crop_left, _, crop_right, _ = page.get_cropbox()
        where = _PageBox(number, crop_left, crop_right)
        if len(text) != count:
            # Characters outside the BMP take two UTF-16 units: index by PDFium characters instead.
            text = "".join(chr(chars._c.FPDFText_GetUnicode(textpage.raw, i) or 0xFFFD) for i in range(count))
        lines = [line for match in _SEGMENT.finditer(text) if (line := _make_line(text, match, chars, where)) is not None]
        return _unmerge_columns(_in_rows(lines), where.middle)
    finally:
        textpage.close()


def _make_line(text: str, match: re.Match[str], chars: _Chars, page: _PageBox) -> _PdfLine | None:
    start, end = match.span(1)
    hyphen_at = match.start(2) if match.group(2) in _HYPHEN_MARKS else None
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        if hyphen_at is None:
            return None
        # A hyphen alone on its line: a typed dash, kept as written.
        return _line_from(text, hyphen_at, hyphen_at + 1, "-", chars, page)
    last = hyphen_at if hyphen_at is not None else end - 1
    line = _line_from(text, start, end, text[start:end], chars, page, last=last)
    if hyphen_at is not None:
        soft = chars.text_object(hyphen_at) != chars.text_object(hyphen_at - 1)
        line.hyphen = "soft" if soft else "hard"
    if line.left < page.middle < line.right:
        line.halves = _halves(text, start, end, last, chars, page)
        if line.halves:
            line.halves[1].hyphen = line.hyphen
    return line


def _halves(text: str, start: int, end: int, last: int, chars: _Chars, page: _PageBox) -> tuple[_PdfLine, _PdfLine] | None:
    """The two parts of a line PDFium ran over a wide blank across the middle of the page."""
    middle = page.middle
    index = text.find(" ", start, end)
    while index != -1:
        if chars.generated(index):
            before, after = index - 1, index + 1
            while before > start and text[before].isspace():
                before -= 1
            while after < end - 1 and text[after].isspace():
                after += 1
            left_end, right_start = chars.box(before)[1], chars.box(after)[0]
            if left_end < middle < right_start and right_start - left_end >= chars.size(after):
                return (
                    _line_from(text, start, before + 1, text[start : before + 1], chars, page),
                    _line_from(text, after, end, text[after:end], chars, page, last=last),
                )
        index = text.find(" ", index + 1, end)
    return None


def _line_from(text: str, start: int, end: int, shown: str, chars: _Chars, page: _PageBox, last: int | None = None) -> _PdfLine:
    last = end - 1 if last is None else last
    left, _ = chars.box(start)
    _, right = chars.box(last)
    body = start
    bullet = glyph_only = typed_marker = False
    size = chars.size(start)
    if text[start] in _BULLET_GLYPHS or text[start] in _DASH_GLYPHS:
        body = start + 1
        while body < end and (text[body].isspace() or text[body] in _BULLET_GLYPHS):
            body += 1
        if body == end:
            glyph_only = text[start] in _BULLET_GLYPHS
            body = start
        else:
            size = chars.size(body)
            if text[start] in _BULLET_GLYPHS:
                bullet = True
            else:
                gap = chars.box(body)[0] - chars.box(start)[1]
                bullet = gap >= size
            if not bullet:
                typed_marker = text[start + 1].isspace()
                body = start
    else:
        number = _NUMBER_MARKER.match(text, start, end)
        if number:
            typed_marker = True
            body = number.end()
    word_end = body
    while word_end < end and not text[word_end].isspace():
        word_end += 1
    body_left = chars.box(body)[0]
    word_right = chars.box(word_end - 1)[1] if word_end > body else body_left
    shown_text = text[body:end] if bullet else shown
    return _PdfLine(
        text=shown_text,
        page=page.number,
        page_left=page.left,
        page_right=page.right,
        left=left,
        right=right,
        body_left=body_left,
        first_word_width=word_right - body_left,
        baseline=(baseline := chars.baseline(body)),
        top_baseline=baseline,
        size=size,
        first_bold=not glyph_only and chars.bold(body),
        last_bold=not glyph_only and chars.bold(last),
        bullet=bullet,
        glyph_only=glyph_only,
        typed_marker=typed_marker,
    )


def _in_rows(lines: list[_PdfLine]) -> list[_PdfLine]:
    """Lines top to bottom, left to right within a row; a bullet glyph drawn apart joins the text on its row."""
    lines.sort(key=lambda line: -line.baseline)
    rows: list[list[_PdfLine]] = []
    for line in lines:
        if rows and abs(rows[-1][0].baseline - line.baseline) <= 0.35 * max(rows[-1][0].size, line.size):
            rows[-1].append(line)
        else:
            rows.append([line])
    ordered: list[_PdfLine] = []
    for row in rows:
        row.sort(key=lambda line: line.left)
        for line in row:
            previous = ordered[-1] if ordered else None
            if previous is not None and previous.glyph_only and previous in row and not line.glyph_only and not line.bullet:
                ordered[-1] = replace(line, left=previous.left, bullet=True)
            else:
                ordered.append(line)
    return ordered


def _unmerge_columns(lines: list[_PdfLine], middle: float) -> list[_PdfLine]:
    """Split the rows of a two-column page drawn row by row, which PDFium runs together.

    A wide blank across the middle of the page on several rows is either the
    gutter of two columns of running text, or a table (« Localisation » |
    « Dijon ») to read row by row. The rows are split when most left parts span
    at least 60 % of the left column (running text fills its column), or when
    most left parts start a rubrique's title: a table, which
    :func:`_table_rows` then reads row by row, its titles wrapped or not.
    """
    merged = [line for line in lines if line.halves]
    if len(merged) < 3:
        return lines
    column_width = middle - min(line.left for line in merged)
    full = sum(1 for line in merged if line.halves and line.halves[0].right - line.halves[0].left >= 0.6 * column_width)
    titles = sum(1 for line in merged if line.halves and is_heading_start(line.halves[0].text))
    if (full < 3 or full * 2 < len(merged)) and (titles < 3 or titles * 2 < len(merged)):
        return lines
    return [half for line in lines for half in (line.halves or (line,))]


# --- Page furniture -----------------------------------------------------------------------------


def _furniture_key(text: str) -> str:
    return " ".join(re.sub(r"\d+", "#", text).casefold().split())


def _page_number(text: str) -> tuple[int, bool] | None:
    """The number a page-number line shows, and whether its form alone says it is one."""
    stripped = text.strip()
    match = _DASHED_NUMBER.fullmatch(stripped)
    if match:
        return int(match["n"]), True
    match = _PAGE_NUMBER.fullmatch(stripped)
    if match is None:
        return None
    number = int(match["n"])
    if match["total"] is not None:
        total = int(match["total"])
        return (number, True) if 0 < number <= total else None
    return number, match["word"] is not None


def _remove_furniture(pages: list[list[_PdfLine]]) -> tuple[list[list[_PdfLine]], list[_PdfLine]]:
    """Pages without their running headers, footers and page numbers, and the lines removed.

    Only lines at the page edges (the first and last few, taken from the edge
    inwards until one is content) can be furniture:

    - a page number: « page 3 », « 3/12 », « 3 sur 12 », « - 3 - », or a bare
      « 3 » when it is the page's number, or when the printed numbers follow
      the pages with one offset on most pages; a bare number just above a
      question is the workshop theme's number, not the page's;
    - a running line: the same text, digits aside, at the same height on more
      than half of the pages. The height matters: the last heading of one-page
      sheets ends every page too, but never at the same height. A question is
      the workshop theme every sheet repeats, never furniture.
    """
    page_count = len(pages)
    heights: dict[str, dict[int, float]] = {}
    offsets: Counter[int] = Counter()
    for number, lines in enumerate(pages, start=1):
        for line in _edges(lines):
            shown = _page_number(line.text)
            if shown is not None:
                offsets[shown[0] - number] += 1
            elif not line.text.endswith("?"):
                heights.setdefault(_furniture_key(line.text), {})[number] = line.baseline
    usual_offset, usual_count = offsets.most_common(1)[0] if offsets else (0, 0)
    running = {key for key, found in heights.items() if _same_height_pages(list(found.values())) * 2 > page_count >= 2}

    def is_furniture(line: _PdfLine, below: list[_PdfLine]) -> bool:
        shown = _page_number(line.text)
        if shown is None:
            return _furniture_key(line.text) in running
        number, explicit = shown
        if explicit:
            return True
        if _question_starts(below):
            return False
        consistent = usual_count >= 2 and usual_count * 2 > page_count
        return number == line.page or (consistent and number - line.page == usual_offset)

    kept_pages: list[list[_PdfLine]] = []
    removed: list[_PdfLine] = []
    for lines in pages:
        top = 0
        while top < min(_EDGE_LINES, len(lines)) and is_furniture(lines[top], lines[top + 1 : top + 1 + _QUESTION_LINES]):
            top += 1
        bottom = len(lines)
        while bottom > top and len(lines) - bottom < _EDGE_LINES and is_furniture(lines[bottom - 1], lines[bottom : bottom + _QUESTION_LINES]):
            bottom -= 1
        removed.extend(lines[:top])
        removed.extend(lines[bottom:])
        kept_pages.append(lines[top:bottom])
    removed.sort(key=lambda line: line.page)
    return kept_pages, removed


def _edges(lines: list[_PdfLine]) -> list[_PdfLine]:
    if len(lines) <= 2 * _EDGE_LINES:
        return lines
    return lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]


_QUESTION_LINES = 3
"""A workshop question the page wrapped may span this many lines."""


def _question_starts(lines: list[_PdfLine]) -> bool:
    """Whether ``lines`` begin with a question, perhaps wrapped (« … de la vie associa- » / « tive ? »).

    A bare number just above one is the workshop theme's number, not the page's.
    """
    for line, below in zip(lines, [*lines[1:], None][: len(lines)], strict=True):
        text = line.text.rstrip()
        if text.endswith("?"):
            return True
        if not (line.hyphen or text.endswith("-") or (below is not None and below.text[:1].islower())):
            return False  # the line is not wrapped into the next one
    return False


def _same_height_pages(baselines: list[float]) -> int:
    """How many pages (one baseline each) have the line at its median height, within 2 pt."""
    middle = sorted(baselines)[len(baselines) // 2]
    return sum(1 for baseline in baselines if abs(baseline - middle) <= 2)


# --- Columns and reading order ------------------------------------------------------------------


def _reading_order(lines: list[_PdfLine], text_left: float, text_right: float) -> list[_PdfLine]:
    """One page's lines in reading order, each with its column's edges.

    A page is read as two columns when at least three lines start right of the
    middle of the text area while other lines end left of it on the same rows.
    """
    middle = (text_left + text_right) / 2
    right_starts = [line for line in lines if line.left > middle]
    left_ends = [line for line in lines if line.right < middle]
    two_columns = len(right_starts) >= 3 and len(left_ends) >= 3 and _share_rows(right_starts, left_ends)
    if not two_columns:
        for line in lines:
            line.column, line.column_left, line.column_right = 0, text_left, text_right
        return _narrow_table(lines, text_left, text_right) or lines
    split = min(line.left for line in right_starts)
    columns = {
        1: [line for line in lines if line.right < split],
        2: [line for line in lines if line.left >= split],
    }
    for column, members in columns.items():
        left, right = min(m.left for m in members), max(m.right for m in members)
        for line in members:
            line.column, line.column_left, line.column_right = column, left, right
    for line in lines:
        if split <= line.right and line.left < split:  # across both columns: a band's edge
            line.column, line.column_left, line.column_right = 0, text_left, text_right
    return _in_bands(lines, split, lambda band: _band_order(band, split, text_right))


def _in_bands(lines: list[_PdfLine], split: float, read_band: Callable[[list[_PdfLine]], list[_PdfLine]]) -> list[_PdfLine]:
    """``lines`` (row by row) with each run of lines on either side of ``split`` read by ``read_band``;
    a line across ``split`` ends the run and stays where it is."""
    ordered: list[_PdfLine] = []
    band: list[_PdfLine] = []
    for line in lines:
        if line.right < split or line.left >= split:
            band.append(line)
            continue
        ordered += read_band(band)
        band = []
        ordered.append(line)
    ordered += read_band(band)
    return ordered


def _narrow_table(lines: list[_PdfLine], text_left: float, text_right: float) -> list[_PdfLine] | None:
    """A « Rubrique | contenu » table whose title column is narrower than half the page, read row by row.

    Its content column starts where three lines or more start, right of the
    text's left edge; lines across both columns (« Localisation Autun », a
    title and its content run together) separate the bands read by
    :func:`_table_rows`. None when no band is such a table.
    """
    starts = Counter(round(line.left) for line in lines if line.left > text_left + 3 * line.size)
    if not starts:
        return None
    column, count = starts.most_common(1)[0]
    if count < 3:
        return None
    split = column - 2.0
    found = False

    def read_band(band: list[_PdfLine]) -> list[_PdfLine]:
        nonlocal found
        rows = _table_rows(band, split)
        if rows is None:
            return band
        found = True
        for line in rows:
            if line.title:
                line.column, line.column_left, line.column_right = 1, text_left, split
            else:
                line.column, line.column_left, line.column_right = 2, split, text_right
        return rows

    ordered = _in_bands(lines, split, read_band)
    return ordered if found else None


def _band_order(band: list[_PdfLine], split: float, text_right: float) -> list[_PdfLine]:
    """A band of a two-column page (``band``, row by row) in reading order: its left column, then its right one.

    Unless every text of the left column is a rubrique's title, perhaps wrapped
    (« Contexte et situation initiale/pré- » / « requis »): the band is then a
    « Rubrique | contenu » table, read row by row, each title as one line
    followed by its content lines (see :func:`_table_rows`).
    """
    rows = _table_rows(band, split)
    if rows is None:
        return [line for line in band if line.right < split] + [line for line in band if line.right >= split]
    for line in rows:
        if not line.title:
            # A content cell spans to the table's right edge, not to the longest text in it.
            line.column_right = max(line.column_right, text_right)
    return rows


def _table_rows(band: list[_PdfLine], split: float) -> list[_PdfLine] | None:
    """The rows of a « Rubrique | contenu » table: each title joined into one line, then the row's content lines.

    None when a left-column text is no rubrique title: then the band is two columns of running text.
    Content lines above the first title end the row above the band (a rubrique begun higher on the page);
    left-column lines above both are read first, as they stand (the sheet's « → Avec … » line).
    """
    ordered: list[_PdfLine] = []
    title: list[_PdfLine] = []
    contents: list[_PdfLine] = []
    right_seen = False
    for line in band:
        if line.right >= split:
            (contents if title else ordered).append(line)
            right_seen = True
            continue
        if not title and not right_seen and not is_heading_start(line.text):
            # Short lines above the table (« → Avec … »), alone on their rows: read before it.
            ordered.append(line)
            continue
        if title:
            step = title_row_step(_title_text(title), _title_text([*title, line]), _title_text([line]))
            if step is None:
                return None  # a left-column text that is no title: running text
            if step is False:
                ordered += [_title_line(title), *contents]
                title, contents = [], []
        title.append(line)
        if not is_heading_start(_title_text(title).removesuffix("-")):
            return None
    if not title or not _title_cell(title):
        return None
    return [*ordered, _title_line(title), *contents]


def _title_text(fragments: list[_PdfLine]) -> str:
    """Fragments of one title cell as one text, the page's line-end hyphens undone as :func:`_join_hyphenated` does."""
    text, hyphen = "", None
    for fragment in fragments:
        if not text:
            text = fragment.text
        elif hyphen == "soft":
            text += fragment.text
        elif hyphen == "hard":
            text += "-" + fragment.text
        else:
            text += " " + fragment.text
        hyphen = fragment.hyphen
    return text + "-" if hyphen else text


def _title_cell(fragments: list[_PdfLine]) -> bool:
    """Whether the fragments make a whole rubrique title, with nothing after it."""
    if fragments[-1].hyphen:
        return False
    heading = match_heading(_title_text(fragments))
    return heading is not None and not heading.rest


def _title_line(fragments: list[_PdfLine]) -> _PdfLine:
    """The title cell as one heading line, closed by a colon as typed headings are: what follows is content."""
    first, last = fragments[0], fragments[-1]
    text = _title_text(fragments)
    return replace(
        first,
        text=text if text.endswith(":") else f"{text} :",
        right=max(fragment.right for fragment in fragments),
        baseline=last.baseline,
        last_bold=last.last_bold,
        hyphen=None,
        title=True,
    )


def _share_rows(first: list[_PdfLine], second: list[_PdfLine]) -> bool:
    baselines = sorted(line.baseline for line in second)
    return sum(1 for line in first if any(abs(line.baseline - b) <= line.size for b in baselines)) >= 3


# --- Hints --------------------------------------------------------------------------------------


def _hinted(pages: list[list[_PdfLine]]) -> Iterator[Line]:
    body = [line for lines in pages for line in lines if not line.glyph_only]
    text_left = min((line.left for line in body), default=0.0)
    # Where the text column ends: the longest line, or, when no line is long (a short sheet,
    # left-aligned), the mirror of the left margin, since documents have even margins.
    text_right = max((max(line.right, line.page_right - (text_left - line.page_left)) for line in body), default=0.0)
    ordered_pages = [_join_hyphenated(_reading_order(lines, text_left, text_right)) for lines in pages]
    pitch_limit = _pitch_limit(ordered_pages)
    levels = _bullet_levels(ordered_pages)
    previous: _PdfLine | None = None
    indent = 0.0
    """Where the current item's wrapped lines start, relative to its column's left edge."""
    first_line_indent = False
    """The item is a paragraph whose wrapped lines may start left of its first line (an indented first line)."""
    pending_glyphs = 0
    for number, lines in enumerate(ordered_pages, start=1):
        if number > 1:
            yield Line("", number - 1, Hint.PAGE_BREAK)
        for line in lines:
            if line.glyph_only:
                pending_glyphs += 1
                continue
            relative = line.body_left - line.column_left
            continues = _continues(previous, line, indent, first_line_indent, pitch_limit)
            if line.bullet or (pending_glyphs and not continues):
                if not line.bullet:
                    pending_glyphs -= 1
                yield Line(line.text, line.page, Hint.BULLET, levels.get(round(line.left - line.column_left), 0))
                indent, first_line_indent = relative, False
            elif continues:
                yield Line(line.text, line.page, Hint.CONTINUATION)
                indent, first_line_indent = line.left - line.column_left, False
            else:
                heading = line.title or (line.bold and len(line.text) <= _HEADING_MAX_CHARS)
                yield Line(line.text, line.page, Hint.HEADING if heading else Hint.TEXT, 1 if heading else 0)
                indent, first_line_indent = relative, not line.typed_marker
            previous = line
        pending_glyphs = 0


def _join_hyphenated(lines: list[_PdfLine]) -> list[_PdfLine]:
    """Lines ending with a hyphen joined with the next line: without the hyphen when the layout drew it."""
    joined: list[_PdfLine] = []
    for line in lines:
        previous = joined[-1] if joined else None
        if previous is not None and previous.hyphen and not (line.bullet or line.glyph_only):
            text = previous.text if previous.hyphen == "soft" else previous.text + "-"
            joined[-1] = replace(
                previous,
                text=text + line.text,
                right=line.right,
                baseline=line.baseline,
                last_bold=line.last_bold,
                hyphen=line.hyphen,
                column=line.column,
                column_left=line.column_left,
                column_right=line.column_right,
            )
            continue
        if previous is not None and previous.hyphen:
            # Nothing to join with: the hyphen is shown as drawn.
            joined[-1] = replace(previous, text=previous.text + "-", hyphen=None)
        joined.append(line)
    if joined and joined[-1].hyphen:
        joined[-1] = replace(joined[-1], text=joined[-1].text + "-", hyphen=None)
    return joined


def _pitch_limit(pages: list[list[_PdfLine]]) -> float:
    """Largest baseline distance, in font sizes, between two lines of one paragraph.

    The tightest pitch the document uses often (its 10th percentile) is its
    line spacing; paragraph spacing is larger. Without enough lines, 1.5.
    """
    ratios = sorted(
        ratio
        for lines in pages
        for a, b in pairwise(lines)
        if a.column == b.column and 0.8 <= (ratio := (a.baseline - b.top_baseline) / max(a.size, b.size)) <= 3.0
    )
    if len(ratios) < 5:
        return 1.5
    return ratios[len(ratios) // 10] * 1.3


def _bullet_levels(pages: list[list[_PdfLine]]) -> dict[int, int]:
    """Nesting level of each bullet indent (rounded points from the column's left edge)."""
    indents = sorted({round(line.left - line.column_left) for lines in pages for line in lines if line.bullet})
    levels: dict[int, int] = {}
    level, last = -1, None
    for indent in indents:
        if last is None or indent - last > 6:
            level += 1
            last = indent
        levels[indent] = level
    return levels


def _continues(previous: _PdfLine | None, line: _PdfLine, indent: float, first_line_indent: bool, pitch_limit: float) -> bool:
    """Whether ``line`` is the page width wrapping the previous line.

    Geometry only, except that a line starting with a typed list marker starts
    an item: the first word of the line would not have fitted on the previous
    one, the line starts where the item's wrapped lines start (for a paragraph
    whose first line is indented, anywhere from the column's edge to that
    indent), at the paragraph's line pitch.
    """
    if previous is None or line.bullet or line.typed_marker or line.title:
        return False
    room = previous.column_right - previous.right
    if room >= line.first_word_width + 0.5 * line.size:
        return False  # the first word would have fitted on the previous line
    if line.first_bold and not previous.last_bold:
        return False  # a new bold title, not the same run of text
    relative = line.left - line.column_left
    tolerance = 0.5 * line.size
    lowest = -tolerance if first_line_indent else indent - tolerance
    if not lowest <= relative <= indent + tolerance:
        return False
    if previous.page == line.page and previous.column == line.column:
        pitch = (previous.baseline - line.top_baseline) / max(previous.size, line.size)
        return 0 < pitch <= pitch_limit
    return True


def read(source: Source, findings: list[Finding]) -> Iterator[FicheRecord]:
    """The sheets of a PDF: its line stream through the sheet grammar (page furniture counted in FK107)."""
    local: list[Finding] = []
    # A PDF's lines are joined by geometry; the text rules still join what geometry could not tell.
    lines = pdf_lines(source.read_bytes(), source.name, local)
    yield from iter_records_from_lines(lines, source.name, local, join_lines=True, heading_levels=False)
    findings.extend(merge_layout_findings(local))
