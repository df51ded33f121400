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
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

__all__ = ["TextProfile", "profile_text", "strip_page_furniture"]

_EDGE = 2
"""How many non-blank lines at the top and bottom of a page may be furniture."""
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


def _shape(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split()))


def profile_text(head: str) -> TextProfile:
    """Profile an export from its first pages (the head already read to decide its encoding)."""
    if "\f" not in head:
        return TextProfile()
    pages = head.split("\f")
    if len(pages) > 2:
        pages = pages[:-1]  # the last one may be cut by the end of the head
    edges: Counter[str] = Counter()
    lengths: list[int] = []
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        lengths.extend(len(line) for line in lines)
        for shape in {_shape(line) for line in (*lines[:_EDGE], *lines[-_EDGE:]) if _may_be_furniture(line)}:
            if not shape.replace("#", "").strip():
                continue  # lone numbers: page or theme numbers, the grammar tells them apart
            edges[shape] += 1
    recurring = frozenset(shape for shape, count in edges.items() if count >= 2)
    width = None
    if len(lengths) >= 10:
        lengths.sort()
        width = lengths[int(len(lengths) * 0.95)]
    return TextProfile(pdf=True, width=width, furniture=recurring)


def _may_be_furniture(line: str) -> bool:
    """Lines that repeat at page edges because each page starts a sheet are the sheets' own:
    a workshop question (several sheets share it), a heading, an « Avec » line."""
    from ..headings import match_heading

    text = line.strip()
    if text.endswith("?") or "avec" in text[:8].lower():
        return False
    return match_heading(text) is None


def _is_furniture(line: str, profile: TextProfile) -> bool:
    shape = _shape(line)
    return bool(_PAGE_NUMBER.fullmatch(shape)) or shape in profile.furniture


def strip_page_furniture(
    lines: Iterable[str], profile: TextProfile, removed: Callable[[int, str], None]
) -> Iterator[str]:
    """``lines`` with the running headers, footers and page numbers next to each page break blanked.

    Blanked lines keep their place (an empty line), so line numbers stay those of
    the file; each one is reported to ``removed(line_number, text)``. Lines are
    held back by at most a few lines, to see whether a page break follows them.
    """
    held: deque[tuple[int, str]] = deque()
    top_left = _EDGE
    for number, raw in enumerate(lines, 1):
        if "\f" in raw:
            before, _, after = raw.rpartition("\f")
            # The last non-blank lines of the page: footers?
            bottom = 0
            for index in range(len(held) - 1, -1, -1):
                held_number, text = held[index]
                if not text.strip() or text.strip().isdigit():
                    continue  # lone numbers are the grammar's (page or theme number)
                if bottom >= _EDGE or not _is_furniture(text, profile):
                    break
                removed(held_number, text.strip())
                held[index] = (held_number, "")
                bottom += 1
            while held:
                yield held.popleft()[1]
            top_left = _EDGE
            if before.strip("\f").strip() and _is_furniture(before.strip("\f"), profile):
                removed(number, before.strip("\f").strip())
                before = "\f" * before.count("\f")
            raw = before + "\f" + after
            if after.strip():
                if top_left and _is_furniture(after, profile):
                    removed(number, after.strip())
                    raw = before + "\f"
                top_left -= 1
            yield raw
            continue
        if raw.strip():
            if top_left:
                top_left -= 1
                if _is_furniture(raw, profile):
                    removed(number, raw.strip())
                    raw = ""
        held.append((number, raw))
        if len(held) > 4 * _EDGE:
            yield held.popleft()[1]
    while held:
        yield held.popleft()[1]
