"""What a page made, told apart from what the author wrote: text converted from a PDF.

``pdftotext`` (and other PDF-to-text tools) end every page with a form feed.
When the head of an export holds one, it is read as PDF text: its lines were
wrapped by the page width (:attr:`TextProfile.width`), and the first and last
lines of its pages may be running headers, footers and page numbers. Those are
removed by :func:`strip_page_furniture` — only next to a page break, never from
the middle of a page — and counted, never silently.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..headings import is_heading_end, is_heading_start, match_heading
from .markers import LONE_MARKER

__all__ = ["TextProfile", "is_mail_header", "profile_text", "read_form_tables", "strip_mail", "strip_page_furniture", "title_row_step"]

_EDGE = 2
"""How many non-blank lines at the top and bottom of a page may be furniture."""
_HELD = 4 * _EDGE
"""Lines held back to see whether a page break follows them (blank lines included)."""
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"(?:(?:page|p\.)\s*#(?:\s*(?:/|sur|de|of)\s*#)?|#\s*(?:/|sur)\s*#|[-–—]\s*#\s*[-–—])", re.IGNORECASE
)
"""``page 3 / 12``, ``Page 3 sur 12``, ``3/12``, ``- 3 -`` once digits are ``#`` (a lone ``3`` is the grammar's)."""


@dataclass(slots=True)
class TextProfile:
    """What the head of a raw export says about how it was made."""

    pdf: bool = False
    """Pages end with form feeds: text converted from a PDF."""
    width: int | None = None
    """Usual length of a full line (PDF text): a line this long was cut by the page, not by its author."""
    furniture: frozenset[str] = field(default_factory=frozenset)
    """Lines (digits as ``#``) found at the edge of at least two pages of the head: running headers and footers."""
    tables: bool = False
    """The head holds « Rubrique      contenu » table rows as ``pdftotext -layout`` prints them."""
    quote_depth: int = 0
    """An e-mail quoting the sheets with « > » (or « >> » in a forward of a reply): how many levels to remove."""
    mail: bool = False
    """The head holds e-mail header lines (« De : », « Objet : », « Le … a écrit : »…) to leave out."""


def _shape(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()))


_QUOTE = re.compile(r"[ \t]*>")
_MAIL_HEADER = re.compile(
    r"-{2,}\s*(?:message transféré|forwarded message|original message|message d'origine)\s*-{2,}"
    r"|_{10,}"
    r"|(?:de|from|envoyé|sent|date|à|a|to|cc|cci|bcc|objet|subject|sujet|pour|pièces? jointes?|attachments?|importance|reply-to|répondre à)\s?:.*"
    r"|le .{4,80} a écrit\s?:|on .{4,80} wrote\s?:",
    re.IGNORECASE,
)


def _quote_depth(line: str) -> int:
    depth = 0
    position = 0
    while (match := _QUOTE.match(line, position)) is not None:
        depth += 1
        position = match.end()
    return depth


def _mail_profile(head: str) -> tuple[int, bool]:
    """How deep the head is quoted, and whether it holds e-mail header lines."""
    lines = [line for line in head.splitlines() if line.strip()]
    if not lines:
        return 0, False
    depths = [_quote_depth(line) for line in lines]
    quoted = [depth for depth in depths if depth]
    depth = Counter(quoted).most_common(1)[0][0] if len(quoted) >= 0.6 * len(lines) else 0
    unquoted = [_QUOTE_PREFIX.sub("", line, count=1).strip() if depth else line.strip() for line in lines[:40]]
    mail = any(_MAIL_HEADER.fullmatch(line) for line in unquoted)
    return depth, mail


_QUOTE_PREFIX = re.compile(r"(?:[ \t]*>)+[ \t]?")


def strip_mail(lines: Iterable[str], profile: TextProfile, removed: Callable[[int, str], None]) -> Iterator[str]:
    """``lines`` of a forwarded or quoted e-mail as if unquoted, its header lines blanked (and reported).

    ``profile.quote_depth`` levels of « > » are removed from each line (one more
    « > » stays: it is a bullet of the sheet). Header lines (« -------- Message
    transféré -------- », « De : … », « Objet : … », « Le … a écrit : ») are left
    out while no sheet line has been seen since the last of them.
    """
    depth = profile.quote_depth
    strip = re.compile(rf"(?:[ \t]*>){{1,{depth}}}[ \t]?") if depth else None
    in_header = profile.mail
    for number, raw in enumerate(lines, 1):
        line = strip.sub("", raw, count=1) if strip is not None else raw
        text = line.strip()
        if profile.mail and text and _MAIL_HEADER.fullmatch(text) and (in_header or _ATTRIBUTION.fullmatch(text)):
            removed(number, text)
            in_header = True
            yield ""
            continue
        if text and not _MAIL_HEADER.fullmatch(text):
            in_header = False
        yield line


def is_mail_header(text: str) -> bool:
    """Whether a trimmed line is a mail header, a forwarded message's separator or a reply's
    attribution (« De : … », « -------- Message transféré -------- », « Le … a écrit : »)."""
    return _MAIL_HEADER.fullmatch(text) is not None


_ATTRIBUTION = re.compile(r"le .{4,80} a écrit\s?:|on .{4,80} wrote\s?:|-{2,}.*-{2,}|_{10,}", re.IGNORECASE)


def profile_text(head: str) -> TextProfile:
    """Profile an export from its first pages (the head already read to decide its encoding)."""
    depth, mail = _mail_profile(head)
    if "\f" not in head:
        return TextProfile(quote_depth=depth, mail=mail)
    pages = head.split("\f")
    if len(pages) > 2:
        pages = pages[:-1]  # the last one may be cut by the end of the head
    edges: Counter[str] = Counter()
    lengths: list[int] = []
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        lengths.extend(len(line) for line in lines)
        edge = [*range(min(_EDGE, len(lines))), *range(max(len(lines) - _EDGE, 0), len(lines))]
        candidates = {lines[i] for i in edge if _may_be_furniture(lines[i]) and not _starts_question(lines[i : i + _QUESTION_LINES])}
        for shape in {_shape(line) for line in candidates}:
            if not shape.replace("#", "").strip():
                continue  # lone numbers: page or theme numbers, the grammar tells them apart
            edges[shape] += 1
    recurring = frozenset(shape for shape, count in edges.items() if count >= 2)
    width = None
    if len(lengths) >= 10:
        lengths.sort()
        width = lengths[int(len(lengths) * 0.95)]
    tables = any(
        (cells := _CELL_GAP.fullmatch(line.rstrip())) is not None and _heading_cell(cells.group("left"))
        for line in head.splitlines()
        if "   " in line and not line[:1].isspace()
    )
    return TextProfile(pdf=True, width=width, furniture=recurring, tables=tables, quote_depth=depth, mail=mail)


_QUESTION_LINES = 3
"""A workshop question the page wrapped may span this many lines."""


def _starts_question(lines: list[str]) -> bool:
    """Whether ``lines`` begin with a question the page wrapped (« … les producteurs lo- » / « caux ? »):
    the theme every sheet of a workshop repeats at the top of its page, never furniture."""
    for line, below in zip(lines, [*lines[1:], ""][: len(lines)], strict=True):
        if line.endswith("?"):
            return True
        if not (line.endswith("-") or below[:1].islower()):
            return False  # the line is not wrapped into the next one
    return False


def _may_be_furniture(line: str) -> bool:
    """Lines that repeat at page edges because each page starts a sheet are the sheets' own:
    a workshop question (several sheets share it), a heading or its wrapped last line, an « Avec » line."""
    text = line.strip()
    if text.endswith("?") or "avec" in text[:8].lower() or text[:9].casefold() == "thème n° ":
        return False
    if LONE_MARKER.fullmatch(text):
        return False  # a list's bullet, dash or number alone on its line, its text below: the sheet's own
    # A title's last line (« de vigilance » under « … territoires et points »), a table's last row on every page.
    return match_heading(text) is None and not is_heading_end(text)


def _is_furniture(line: str, profile: TextProfile) -> bool:
    shape = _shape(line)
    return bool(_PAGE_NUMBER.fullmatch(shape)) or shape in profile.furniture


def _clean_edges(
    page: list[str], first: int, top_left: int, bottom: bool, profile: TextProfile, removed: Callable[[int, str], None]
) -> None:
    """Blank the furniture among the first ``top_left`` and (``bottom``) the last non-blank lines of ``page``."""
    seen = 0
    for index, raw in enumerate(page):
        if seen >= top_left:
            break
        text = raw.strip()
        if not text:
            continue
        seen += 1
        if _is_furniture(raw, profile):
            removed(first + index, text)
            page[index] = ""
    if not bottom:
        return
    seen = 0
    for index in range(len(page) - 1, -1, -1):
        text = page[index].strip()
        if not text or text.isdigit():
            continue  # lone numbers are the grammar's (page or theme number)
        if seen >= _EDGE or not _is_furniture(page[index], profile):
            break
        removed(first + index, text)
        page[index] = ""
        seen += 1


def _form_feed_lines(batch: list[str]) -> list[int]:
    """Indices of the lines of ``batch`` holding a form feed, found by C string searches."""
    joined = "\n".join(batch)
    found: list[int] = []
    position = joined.find("\f")
    index = previous = 0
    while position != -1:
        index += joined.count("\n", previous, position)
        previous = position
        if not found or found[-1] != index:
            found.append(index)
        position = joined.find("\f", position + 1)
    return found


def strip_page_furniture(
    batches: Iterable[list[str]], profile: TextProfile, removed: Callable[[int, str], None]
) -> Iterator[list[str]]:
    """``batches`` of lines with the running headers, footers and page numbers next to each page break blanked.

    Blanked lines keep their place (an empty line), so line numbers stay those of
    the file; each one is reported to ``removed(line_number, text)``. A page's
    lines are held until its page break (a page is a few dozen lines), so that
    its last lines can be told from furniture too. Lines come and go in batches
    (a decoded chunk's lines): a line without form feed costs no Python step.
    """
    page: list[str] = []
    first = 1
    top_left = _EDGE
    number = 0
    for batch in batches:
        breaks = _form_feed_lines(batch)
        if not breaks:
            page.extend(batch)
            number += len(batch)
            continue
        out: list[str] = []
        start = 0
        for index in breaks:
            page.extend(batch[start:index])
            start = index + 1
            line_number = number + index + 1
            before, _, after = batch[index].rpartition("\f")
            count = before.count("\f") + 1
            page.append(before.replace("\f", ""))  # the page's last words, on the break's line
            _clean_edges(page, first, top_left, True, profile, removed)
            before = page.pop()
            out.extend(page)
            page = []
            first = line_number + 1
            top_left = _EDGE
            if after.strip():
                top_left -= 1
                if _is_furniture(after, profile):
                    removed(line_number, after.strip())
                    after = ""
            out.append(before + "\f" * count + after)
        page.extend(batch[start:])
        number += len(batch)
        yield out
    _clean_edges(page, first, top_left, False, profile, removed)
    if page:
        yield page


_CELL_GAP = re.compile(r"(?P<left>\S(?:.*?\S)?)(?P<gap>[ \t]{3,})(?P<right>\S.*)")
"""A line of ``pdftotext -layout`` holding two table cells: text, three spaces or more, text."""


def _heading_cell(text: str) -> bool:
    heading = match_heading(text)
    return heading is not None and not heading.rest


def read_form_tables(lines: Iterable[str]) -> Iterator[str]:
    """« Rubrique | contenu » tables as ``pdftotext -layout`` prints them, as a heading line then its content.

    A table starts at a line whose left cell is a heading and whose right cell,
    after three spaces or more, is content (``Localisation      Vesoul``): the
    content column is where that right cell starts. In the table, a line is a
    row of its own when its left cell is a heading; left-column text that
    completes the heading above (« … initiale/pré- » / « requis ») belongs to
    it; right-column text is the row's content, each line as written. The table
    ends at a blank line, a page break or a left-column line that is no heading.
    Each row comes out as ``Heading : first line`` then its other content
    lines, then blank lines, so that line numbers stay those of the file.
    """
    column: int | None = None
    row: list[tuple[str, str]] = []

    def flush() -> Iterator[str]:
        # « Chiffres clés :      80 familles »: a colon already typed in the title cell is not doubled.
        title = unwrap_fragments([left for left, _ in row if left]).removesuffix(":").rstrip()
        contents = [right for _, right in row if right]
        yield f"{title} : {contents[0]}" if contents else f"{title} :"
        yield from contents[1:]
        yield from ("" for _ in range(len(row) - max(1, len(contents))))
        row.clear()

    for raw in lines:
        text = raw.rstrip()
        if column is None:
            cells = _CELL_GAP.fullmatch(text) if "   " in text and not text[:1].isspace() else None
            if cells is not None and _heading_cell(cells.group("left")):
                column = cells.start("right")
                row.append((cells.group("left"), cells.group("right")))
            else:
                yield raw
            continue
        if not text.strip() or "\f" in raw:
            yield from flush()
            column = None
            yield raw
            continue
        indent = len(text) - len(text.lstrip())
        if indent >= column - 2:
            row.append(("", text.strip()))
            continue
        cells = _CELL_GAP.fullmatch(text)
        left, right = (cells.group("left"), cells.group("right")) if cells is not None else (text.strip(), "")
        title = unwrap_fragments([fragment for fragment, _ in row if fragment])
        step = title_row_step(title, unwrap_fragments([title, left]), left)
        if step is False:
            yield from flush()  # the next row
        elif step is None:
            yield from flush()
            column = None
            yield raw
            continue
        row.append((left, right))
    if row:
        yield from flush()


def title_row_step(title: str, joined: str, fragment: str) -> bool | None:
    """In the title column of a « Rubrique | contenu » table, what a new left-cell ``fragment`` is.

    ``title`` is the current row's title so far, ``joined`` the two read together as the
    page wrapped them (a trailing « - » marks a word cut at the line end). True: the title
    goes on (« Contexte et si- » / « tuation », « Conseils pour la mise en oeuvre » /
    « sur d'autres territoires… »); False: the fragment starts the next row's title, whole
    or wrapped (« Publics tou- »); None: it is no title, the table ends. The one rule of
    :func:`read_form_tables` and of the PDF reader's tables.
    """
    complete = _heading_cell(title) and not title.endswith("-")
    goes_on = is_heading_start(joined.removesuffix("-"))
    if complete and (_heading_cell(fragment) or (not goes_on and is_heading_start(fragment.removesuffix("-")))):
        return False
    if not complete or goes_on:
        return True
    return None


def unwrap_fragments(fragments: list[str]) -> str:
    """Pieces of one heading cell joined as the page wrapped them (an end-of-line hyphen undone)."""
    from .sheet import unwrap

    return unwrap(fragments) if fragments else ""
