"""Markdown (CommonMark): one document grouped by theme, or one page per sheet for a static site.

Layout of the document::

    # Comment accompagner le pouvoir d'agir des personnes concernées ?

    ## Civam Le Serpolet (39) et Active (BFC)
    <!-- fichekit: {"theme": "…", "theme_number": 2, "structures": […], "projet": "projet MIAM"} -->

    **Projet :** projet MIAM

    (text under no heading, if any)

    ### Localisation

    Dole

    ### Chiffres clés

    - 3 salariés
    ...

A ``#`` heading per theme (« Sans thème » for sheets without one), groups in
order of first appearance and sheets in their order within a group; sheets
whose themes render to the same heading up to spacing (a no-break space before
« ? » in one of them) share one group. A ``##`` heading per sheet naming its
structures, then the 13 ``###`` headings, always all of them and in order.
A ``paragraphe`` item is a paragraph whose source lines stay on consecutive
lines; ``puce`` items are ``- `` lists and ``numero`` items ``1.``, ``2.``…
lists, numbered afresh for each list, with the continuation lines of an item
indented under its text.

The text is the users' own: it is escaped so that a CommonMark renderer shows
exactly it, and nothing more than needed, so the file stays pleasant to edit:

* everywhere: backslash, backtick, ``*``, ``[``, ``~`` and ``|`` (GitHub
  strikethrough and tables), ``_`` unless inside a word, ``<`` before a
  tag-like character, ``&`` before an entity-like name;
* at the start of a line: ``#``, ``>``, ``-``/``+`` list markers, ``1.``/``1)``,
  lines of only ``-`` or ``=`` (thematic breaks, setext underlines);
* spaces, tabs and other whitespace at the edges of a line become character
  references (``&#32;``, ``&#9;``, ``&#160;``: renderers would drop them), a
  carriage return ``&#13;``; an empty line inside a text is a lone ``\\`` (a
  hard line break: a blank line would end the block), an empty list item a
  bare marker.

The comment after each ``##`` holds, as JSON, what headings cannot carry
losslessly: theme number, null theme, structure boundaries, exact spacing.
:mod:`fichekit.readers.markdown` trusts it only while the visible headings are
still what this module renders from it; an edited heading wins. ``--``
never appears in it (written ``-\\u002d``), so no text can end the comment.

With ``options.single`` (``--split``), each page starts with YAML front matter
for Hugo or Jekyll (title, theme, theme_number, structures, departements,
projet, localisation, tags). Values are written as JSON scalars and flow
lists, which YAML reads as such, so no YAML library is needed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from ..errors import OutputError
from ..headings import HEADINGS
from ..markdown_syntax import (
    NO_STRUCTURE,
    escape_line,
    fold_spacing,
    metadata_comment,
    projet_lines,
    structures_heading,
    theme_heading,
)
from ..model import Fiche, Item, ItemType
from ..records import FicheRecord, as_fiches
from . import Format, WriterOptions

__all__ = ["MarkdownWriter", "WRITERS", "front_matter"]

# Characters YAML does not accept raw in a double-quoted scalar (C1 controls,
# YAML 1.1 line breaks, BOM, non-characters): written as \\u escapes.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _atx(level: int, content: str) -> str:
    return "#" * level + (f" {content}" if content else "")


def _item_blocks(items: list[Item]) -> Iterator[list[str]]:
    """Markdown blocks of a list of items: one per paragraph, one per run of list items."""
    block: list[str] = []
    kind: ItemType | None = None
    number = 0
    for item in items:
        first, *rest = item.texte.split("\n")
        if item.type == ItemType.PARAGRAPHE:
            if block:
                yield block
            block, kind = [], None
            yield [escape_line(line) for line in (first, *rest)]
            continue
        if item.type != kind:
            if block:
                yield block
            block, kind, number = [], item.type, 0
        number += 1
        marker = "- " if item.type == ItemType.PUCE else f"{number}. "
        # An empty item is a bare marker, which CommonMark reads as an empty list item.
        block.append(marker + escape_line(first) if item.texte else marker.rstrip())
        block.extend(" " * len(marker) + escape_line(line) for line in rest)
    if block:
        yield block


def _sheet_blocks(fiche: Fiche) -> Iterator[list[str]]:
    yield [_atx(2, structures_heading(fiche.structures)), metadata_comment(fiche)]
    if fiche.projet is not None:
        yield projet_lines(fiche.projet)
    yield from _item_blocks(fiche.hors_rubrique)
    for heading, (_, items) in zip(HEADINGS, fiche.sections(), strict=True):
        yield [_atx(3, heading.title)]
        yield from _item_blocks(items)


def _yaml_value(value: object) -> str:
    """A JSON scalar or flow list, valid YAML 1.1 and 1.2 (Jekyll, Hugo)."""
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def front_matter(fiche: Fiche) -> list[str]:
    """YAML front matter of a one-sheet page, ``---`` lines included.

    ``localisation`` is one line (items joined by `` ; ``, an item's lines by a
    space) and ``tags`` the département codes then the structure names, the two
    ways sites usually browse sheets. The page body keeps everything exactly.
    """
    departements = fiche.departements()
    localisation = " ; ".join(" ".join(item.texte.split("\n")) for item in fiche.localisation)
    fields: dict[str, object] = {
        "title": " ".join((fiche.structures_heading() or NO_STRUCTURE).split("\n")),
        "theme": fiche.theme,
        "theme_number": fiche.theme_number,
        "structures": [s.label() for s in fiche.structures],
        "departements": departements,
        "projet": fiche.projet,
        "localisation": localisation or None,
        "tags": list(dict.fromkeys([*departements, *(s.nom for s in fiche.structures)])),
    }
    return ["---", *(f"{key}: {_yaml_value(value)}" for key, value in fields.items()), "---"]


class MarkdownWriter:
    """The collection as one Markdown document grouped by theme (or one page, with ``single``).

    Grouping needs every sheet before the first group can be written, so each
    sheet is rendered as it arrives and kept as UTF-8 bytes until the end
    (about the size of the output; the records themselves are not kept).
    """

    def __init__(self, options: WriterOptions) -> None:
        self.options = options

    def write(self, fiches: Iterable[Fiche | FicheRecord], out: BinaryIO) -> None:
        groups: dict[str, list[bytes]] = {}
        front: list[str] = []
        count = 0
        for fiche in as_fiches(fiches):
            count += 1
            if self.options.single and count == 1:
                front = front_matter(fiche)
            heading = theme_heading(fiche.theme)
            group = groups.setdefault(fold_spacing(heading), [_atx(1, heading).encode("utf-8")])
            group.append("\n\n".join("\n".join(block) for block in _sheet_blocks(fiche)).encode("utf-8"))
        if self.options.single and count != 1:
            raise OutputError(f"une page Markdown avec en-tête YAML contient une seule fiche (ici {count})")
        if front:
            out.write(("\n".join(front) + "\n\n").encode("utf-8"))
        separator = b""
        for group in groups.values():
            for chunk in group:
                out.write(separator)
                out.write(chunk)
                separator = b"\n\n"
        if count:
            out.write(b"\n")


WRITERS = {Format.MD: MarkdownWriter}
