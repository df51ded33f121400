"""HTML pages (a web page saved, Word's or LibreOffice's « page Web », an HTML e-mail body):
the page's text as its reader sees it, read by the raw export's grammar.

A paragraph, a heading, a line break or a list item is a line; list items get « - »
or « 1. »; a two-cell table row is its first cell, « : » and its second cell's lines
(« Localisation : Dijon » from a « rubrique | contenu » table), a wider row its cells
joined by « : »; quoted blocks get « > ». Scripts, styles and the page's head are not
text; LibreOffice's running header and footer are layout, counted in a finding.
Entities are decoded, HTML's white space collapsed as a browser shows it (a no-break
space is the author's and stays); every word is kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from ..findings import Code, Finding, make_finding
from ..formats import Format
from ..records import FicheRecord
from ..sources import Source, source_from_bytes
from . import merge_layout_findings

__all__ = ["html_lines", "read"]


def read(source: Source, findings: list[Finding]) -> Iterator[FicheRecord]:
    """The sheets of an HTML page: its lines through the raw export's grammar, numbered as lines of that text.

    Running headers and footers (LibreOffice's « page Web ») are left out and counted in one FK107 finding.
    """
    from .text import read as read_text

    page = _parse("\n".join(source.lines(findings)))
    furniture: list[Finding] = []
    if page.furniture:
        count = len(page.furniture)
        furniture.append(
            make_finding(
                Code.LAYOUT_REMOVED,
                source.name,
                f"{count} ligne{'s' if count > 1 else ''} d'en-tête ou de pied de page laissée{'s' if count > 1 else ''} de côté, "
                f"la première : « {page.furniture[0][:60]} »",
            )
        )
    text = "\n".join(page.lines).encode("utf-8")
    local: list[Finding] = list(furniture)
    yield from read_text(source_from_bytes(text, source.name, Format.TXT, "utf-8"), local)
    findings.extend(merge_layout_findings(local))  # the page's header and footer, the text's own layout: one FK107


_BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 table blockquote section article header footer pre ul ol dl dt dd hr".split())
_SKIPPED = frozenset(("script", "style", "head", "title"))
_SPACES = re.compile(r"[ \t\r\n\f]+")
"""HTML's white space, collapsed as a browser shows it; a no-break space (``&nbsp;``) is the author's and stays."""
_MARKER_ONLY = re.compile(r"-|\d+\.")
_FURNITURE = frozenset(("header", "footer"))
"""``<div title="header">``: the running header and footer LibreOffice writes into its « page Web »."""


class _HtmlText(HTMLParser):
    """Lines of an HTML page as its reader sees them: one per paragraph, line break or list item."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.lists: list[list[int]] = []
        """Open lists: ``[0]`` for a bulleted one, ``[n]`` for a numbered one at item n."""
        self.quote = 0
        self.row: list[list[str]] | None = None
        """The cells of the table row being read, each a list of lines."""
        self.furniture: list[str] = []
        """Lines of running headers and footers, left out (and counted by the reader)."""
        self.marker_waits = False
        """A list item's marker is written and its text not yet come."""
        self.divs: list[bool] = []
        """For each open ``<div>``: whether it is a running header or footer."""

    def _end_line(self) -> None:
        text = _SPACES.sub(" ", "".join(self.current)).strip(" ")
        if self.marker_waits and _MARKER_ONLY.fullmatch(text):
            return  # « <li><p>texte</p></li> »: the item's marker waits for its text
        self.marker_waits = False
        self.current = []
        if not text:
            return
        if any(self.divs):
            self.furniture.append(text)
        elif self.row is not None and self.row:
            self.row[-1].append(text)
        else:
            self.lines.append("> " * self.quote + text)

    def _end_row(self) -> None:
        self._end_line()
        cells = [cell for cell in self.row or [] if cell]
        self.row = None
        if len(cells) == 2:
            # « Localisation | Dijon »: the title, then its content's first line after a colon.
            title, content = cells
            self.lines.append("> " * self.quote + f"{' '.join(title)} : {content[0]}")
            self.lines.extend("> " * self.quote + line for line in content[1:])
        elif cells:
            self.lines.append("> " * self.quote + " : ".join(" ".join(cell) for cell in cells))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self._end_line()
        elif tag in ("ul", "ol"):
            self._end_line()
            self.lists.append([1] if tag == "ol" else [0])
        elif tag == "li":
            self._end_line()
            if self.lists and self.lists[-1][0]:
                self.current.append(f"{self.lists[-1][0]}. ")
                self.lists[-1][0] += 1
            else:
                self.current.append("- ")
            self.marker_waits = True
        elif tag == "tr":
            self._end_line()
            self.row = []
        elif tag in ("td", "th"):
            self._end_line()
            if self.row is not None:
                self.row.append([])
        elif tag in _BLOCKS:
            self._end_line()
            if tag == "blockquote":
                self.quote += 1
            elif tag == "div":
                self.divs.append((dict(attrs).get("title") or "").lower() in _FURNITURE)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in ("ul", "ol"):
            self._end_line()
            if self.lists:
                self.lists.pop()
        elif tag == "tr":
            self._end_row()
        elif tag in ("td", "th"):
            self._end_line()
        elif tag in _BLOCKS or tag == "li":
            self._end_line()
            if tag == "blockquote":
                self.quote = max(self.quote - 1, 0)
            elif tag == "div" and self.divs:
                self.divs.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)

    def finish(self) -> None:
        self.close()
        if self.row is not None:
            self._end_row()
        self._end_line()


def _parse(html: str) -> _HtmlText:
    parser = _HtmlText()
    parser.feed(html)
    parser.finish()
    return parser


def html_lines(html: str) -> list[str]:
    """The lines of an HTML page or mail body: paragraphs, line breaks and list items (« - », « 1. »),
    table rows (cells joined by « : »), quotes as « > »; running headers and footers left out."""
    return _parse(html).lines
