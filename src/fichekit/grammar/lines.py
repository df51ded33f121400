"""The line stream every reader feeds the sheet grammar.

A raw text export is already a stream of lines. A Word document or a PDF is
turned into the same stream by its reader (an adapter, not a second parser):
each :class:`Line` carries the text as written plus what the document itself
says about it (a list item drawn by Word, a heading style, a page break), so
the grammar can use that knowledge where plain text would leave it guessing.
"""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

__all__ = ["Hint", "Line"]


class Hint(IntEnum):
    """What the document says about a line, beyond its text."""

    TEXT = 0
    """A line as typed: the grammar decides what it is (heading, bullet written with its marker, content)."""
    BULLET = 1
    """A bulleted list item whose bullet the document draws (Word list, PDF bullet glyph): the text has no marker."""
    NUMBER = 2
    """A numbered list item whose number the document draws: the text has no number."""
    HEADING = 3
    """The document marks the line as a heading (a Word heading style, a paragraph that is one bold run).

    The grammar still decides which kind: theme, structures or one of the 13 rubriques; a heading
    style on a line that is none of them is content."""
    CONTINUATION = 4
    """The line continues the previous line of the same paragraph (a line break inside a Word
    paragraph, a line the PDF page width wrapped): joined to the previous item with ``\\n``."""
    PAGE_BREAK = 5
    """A page ends here; the text is empty."""
    LAYOUT = 6
    """Text the document shows that is not the author's (a table of contents, a page field):
    never content; the grammar counts it in a finding."""


class Line(NamedTuple):
    """One line of the stream."""

    text: str
    """The text as written, edges not yet trimmed; for BULLET and NUMBER lines, without the marker."""
    number: int
    """Where the line is, in the reader's unit: line (text export), paragraph ``§`` (Word), page (PDF)."""
    hint: Hint = Hint.TEXT
    """What the document says about the line."""
    level: int = 0
    """Heading level (1 to 9) for HEADING lines, list nesting (0 first level) for BULLET and NUMBER lines."""
