"""Markdown -> fiche records: fichekit's own Markdown, or Markdown of the same shape written by hand.

The blocks are those a CommonMark renderer sees: markdown-it-py parses the
document into block tokens, and this module reads each token's source lines
(token ``map``). The text always comes from those lines, never from the
rendering, so nothing is interpreted but what the writer escapes: backslash
escapes and character references are decoded, ``*emphasis*`` typed by hand
stays as typed. See :mod:`fichekit.writers.markdown` for the layout it reads
back and :mod:`fichekit.markdown_syntax` for the rules both sides share.

What a block is, at the top level of the document:

* front matter (``---`` … ``---`` at the top of the file) -> skipped: the body
  holds everything; keys other than the writer's own (``date``, ``auteur``…)
  are named in a layout finding (FK107), so that none is dropped unseen;
* an ATX heading: ``#`` sets the theme, ``##`` starts a sheet (its
  structures), ``###`` one of the 13 headings (matched like the raw parser
  does, so hand-edited spellings work; a near miss is reported); any other
  heading is content;
* an HTML comment -> skipped, except the ``<!-- fichekit: {…} -->`` comment of
  the current sheet, which holds its metadata. A comment never closed, or one
  that holds a ``#``/``##``/``###`` heading line, is an error naming the line:
  it would hide a sheet, or merge two;
* a thematic break (``---``, ``***``) -> layout, skipped;
* ``**Projet :** …`` as the first thing of a sheet -> its projet;
* a list -> one item per list item, of kind ``puce`` or ``numero``; nested
  lists are flattened, in document order; the lines of an item's paragraphs
  are the lines of its text;
* a paragraph -> a ``paragraphe`` item, its lines joined by ``\\n``;
* a fenced or indented code block, a block quote, any other HTML block -> a
  ``paragraphe`` item holding its lines as typed (fences and ``>`` included;
  code lines are not unescaped, as CommonMark shows them literally).

Headings count only at the top level: ``### Partenaires`` inside a code
block, a block quote, an HTML block or a list item is text of that block
(quoted or code text is someone's words, not the sheet's structure), and a
heading-like line there is reported (FK109) so that a stray indentation or
``>`` is noticed. Setext headings (text underlined with ``===``/``---``) are
not read as headings: fichekit's structure is written with ``#`` only, so
``Titre`` then ``===`` is a paragraph of two lines, and a ``---`` under text
a thematic break.

Metadata: the comment's values are used while the visible headings are still
what the writer renders from them; when a user has edited a heading, the
visible text wins: the theme from ``#``, the structures from ``##`` (read with
:func:`fichekit.grammar.parse_structures`, so ``## A (21) et B (BFC) : projet X``
works), the projet from the ``**Projet :**`` line. The theme number, which
nothing visible shows, comes from the comment (null without one).

Memory: markdown-it needs whole text, so the document is parsed in chunks of
a few thousand lines, each ending just before a top-level ``#`` or ``##``
heading (checked by parsing it: a heading inside an open code block or
comment is no boundary), where no block can span the cut.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pydantic import ValidationError

from ..errors import ParseError, french_validation_error
from ..findings import Code, Finding, make_finding
from ..grammar import near_miss_finding, parse_structures, split_marker, without_avec
from ..headings import SECTION_KEYS, HeadingMatch, MatchKind, match_heading
from ..markdown_syntax import (
    FRONT_MATTER_CLOSE,
    FRONT_MATTER_KEYS,
    FRONT_MATTER_OPEN,
    METADATA_COMMENT,
    METADATA_KEYS,
    NO_STRUCTURE,
    NO_THEME,
    PROJET_LINE,
    fold_spacing,
    heading_text,
    line_text,
    projet_lines,
    structures_heading,
    theme_heading,
    unescape,
)
from ..model import Fiche, Item, ItemType, Source
from ..records import FicheRecord, as_records
from ..sources import Source as InputSource

__all__ = ["iter_fiches_from_markdown"]

HORS_RUBRIQUE = "hors_rubrique"

# Block rules only: the text is read from the source lines, so inline parsing
# would be wasted. No setext headings (see above), no link reference
# definitions (markdown-it drops their lines from the tokens: here they are a
# paragraph, kept). Lists and quotes nested deeper than the limit would lose
# their text: see _MAX_NESTED_LISTS.
_PARSER = MarkdownIt("commonmark", {"maxNesting": 100}).disable(["inline", "lheading", "reference"])
_MAX_NESTED_LISTS = 49
"""Each list level is two token levels (list, item): deeper lists than this are refused."""

_CHUNK_LINES = 4096
"""Lines read before the document is cut at the next top-level ``#``/``##`` (about 80 sheets)."""
_CHUNK_BOUNDARY = re.compile(r"#{1,2}(?:[ \t]|$)")
_ONE_LINE = str.maketrans({"\r": "\ufffd", "\n": "\ufffd"})
"""A CR or LF inside a line would be a line break to markdown-it and shift every line number after it."""

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*))?")
_MARKER = re.compile(r"[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]+(?P<rest>.*))?")
_QUOTE_MARKERS = re.compile(r"(?:[ \t]*>)+")


@dataclass(slots=True)
class _Block:
    """An item being read: its lines, joined by ``\\n`` when the sheet is built."""

    kind: ItemType
    lines: list[str]


@dataclass(slots=True)
class _Sheet:
    line: int
    theme_raw: str | None
    """Content of the ``#`` heading in force, raw; None when the file has none."""
    structures_raw: str | None
    """Content of the ``##`` heading, raw; None when the sheet began at a ``###``."""
    metadata: Fiche | None = None
    projet_raw: list[str] | None = None
    projet: list[str] | None = None
    sections: dict[str, list[_Block]] = field(default_factory=dict)
    rubriques: dict[str, list[int]] = field(default_factory=dict)
    current: str = HORS_RUBRIQUE
    fresh: bool = True
    """Nothing read yet under the ``##`` line (but its comment): the projet line may come."""

    def build(self, file: str) -> Fiche:
        meta = self.metadata
        projet_from_heading: str | None = None
        if self.theme_raw is None:
            theme = meta.theme if meta is not None else None
        elif meta is not None and fold_spacing(self.theme_raw) == fold_spacing(theme_heading(meta.theme)):
            theme = meta.theme
        else:
            visible = unescape(self.theme_raw)
            theme = None if visible in (NO_THEME, "") else visible
        if self.structures_raw is None:
            structures = meta.structures if meta is not None else []
        elif meta is not None and fold_spacing(self.structures_raw) == fold_spacing(structures_heading(meta.structures)):
            structures = meta.structures
        else:
            visible = without_avec(unescape(self.structures_raw))  # « ## → Avec A (21) », typed by hand
            structures, projet_from_heading = ([], None) if visible == NO_STRUCTURE else parse_structures(visible)
        if self.projet is None:
            projet = projet_from_heading
        elif meta is not None and meta.projet is not None and self.projet_raw == projet_lines(meta.projet):
            projet = meta.projet
        else:
            projet = "\n".join(self.projet) or None
        values: dict[str, Any] = {
            key: [Item(texte="\n".join(b.lines), type=b.kind) for b in blocks]
            for key, blocks in self.sections.items()
        }
        return Fiche.model_construct(
            theme=theme,
            theme_number=meta.theme_number if meta is not None else None,
            structures=structures,
            projet=projet,
            **{key: values.get(key, []) for key in (*SECTION_KEYS, HORS_RUBRIQUE)},
            source=Source.model_construct(
                file=file,
                line=self.line,
                structures_line=self.line if self.structures_raw is not None else None,
                rubriques=self.rubriques,
            ),
        )


@dataclass(slots=True)
class _ListItem:
    """A list item being read; its own text is one block, nested items are blocks of their own."""

    kind: ItemType
    line: int
    """Index of its first line in the chunk: the line whose list markers precede its text."""
    block: _Block | None = None
    """Its text read so far; None again once a nested list interrupts it."""
    started: bool = False
    """Some text of its own was read: its markers are behind."""
    nested: bool = False
    """A nested list was opened in it: text after that is a paragraph of its own."""


def _skip(tokens: list[Token], index: int) -> int:
    """Index just after the closing token of the container opened at ``index``."""
    level = tokens[index].level
    index += 1
    while tokens[index].level != level:
        index += 1
    return index + 1


def _without_markers(line: str, count: int) -> str:
    """``line`` without the ``count`` list markers that open it (``- 1. texte`` -> ``texte``)."""
    for _ in range(count):
        marker = _MARKER.fullmatch(line)
        if marker is None:
            break
        line = marker.group("rest") or ""
    return line


def _after_comment(raw: list[str]) -> str:
    """Text after ``-->`` on a comment's closing line: renderers show it, so it is content."""
    last = raw[-1]
    return line_text(last[last.index("-->") + 3 :])


def _parse(lines: list[str]) -> list[Token]:
    text = "\n".join(lines)
    if "\r" in text or text.count("\n") != len(lines) - 1:
        text = "\n".join(line.translate(_ONE_LINE) for line in lines)
    return _PARSER.parse(text)


def _ends_at_top_level_heading(tokens: list[Token], index: int) -> bool:
    """Whether the last line (``index``) was parsed as a top-level heading: nothing before spans it."""
    opening = tokens[-3] if len(tokens) >= 3 else None
    return opening is not None and opening.type == "heading_open" and opening.level == 0 and opening.map is not None and opening.map[0] == index


class _Reader:
    def __init__(self, file: str, findings: list[Finding]) -> None:
        self.file = file
        self.findings = findings
        self.theme_raw: str | None = None
        self.sheet: _Sheet | None = None
        self.closed: _Sheet | None = None
        """A sheet ended by a ``#`` heading, kept until the next one in case text with no sheet follows."""
        self.loose: list[_Block] = []
        """Text under no sheet (before the first one, or between a ``#`` and the next ``##``)."""
        self.lines: list[str] = []
        """The chunk being read."""
        self.start = 0
        """Index in the document of the chunk's first line."""

    # -- sheets --------------------------------------------------------------
    def _open(self, line_no: int, structures_raw: str | None) -> Iterator[Fiche]:
        """Start a sheet at a ``##`` (or at a first ``###``): the previous one is complete."""
        self._close()
        if self.closed is not None:
            yield self.closed.build(self.file)
            self.closed = None
        self.sheet = _Sheet(line=line_no, theme_raw=self.theme_raw, structures_raw=structures_raw)
        if self.loose:
            self.sheet.sections[HORS_RUBRIQUE] = self.loose
            self.loose = []

    def _close(self) -> None:
        """End the current sheet: a ``#`` or a ``##`` follows."""
        if self.sheet is not None:
            self.closed, self.sheet = self.sheet, None

    def finish(self, first_line: int | None) -> Iterator[Fiche]:
        last = self.sheet or self.closed
        if last is None:
            raise ParseError(
                "aucune fiche reconnue dans ce Markdown (ni titre « ## » de fiche ni titre de rubrique comme « ### Localisation »)",
                path=self.file,
                line=first_line or 1,
            )
        if self.loose:
            # Text after the last theme heading but under no sheet: kept, not lost.
            last.sections.setdefault(HORS_RUBRIQUE, []).extend(self.loose)
        yield last.build(self.file)

    def _add(self, block: _Block) -> None:
        if self.sheet is None:
            self.loose.append(block)
        else:
            self.sheet.sections.setdefault(self.sheet.current, []).append(block)
            self.sheet.fresh = False

    # -- blocks --------------------------------------------------------------
    def read(self, tokens: list[Token], lines: list[str], start: int) -> Iterator[Fiche]:
        """Read the top-level blocks of one chunk (``lines``, the document's from index ``start``)."""
        self.lines, self.start = lines, start
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                yield from self._heading(token, tokens[index + 1])
                index += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                index = self._list(tokens, index)
            elif kind == "paragraph_open":
                yield from self._paragraph(token)
                index += 3
            elif kind == "html_block" and self._is_comment(token):
                self._comment(token)
                index += 1
            elif kind == "hr":
                index += 1
            else:
                # Code blocks, block quotes, other HTML: text as typed.
                self._add(_Block(ItemType.PARAGRAPHE, self._verbatim(token, self._raw(token))))
                index = _skip(tokens, index) if token.nesting == 1 else index + 1

    def _raw(self, token: Token, markers: int = 0) -> list[str]:
        """The source lines of a block, without the ``markers`` list markers opening its first line."""
        assert token.map is not None
        first, end = token.map
        raw = self.lines[first:end]
        if markers:
            raw[0] = _without_markers(raw[0], markers)
        return raw

    def _line_no(self, index: int) -> int:
        return self.start + index + 1

    def _verbatim(self, token: Token, raw: list[str]) -> list[str]:
        """Lines of a block read as text (code, quote, HTML, a heading in a list); heading-like lines are reported."""
        assert token.map is not None
        first = self._line_no(token.map[0])
        if token.type == "fence":
            where = f"dans le bloc de code ouvert ligne {first} par « {token.markup} »"
            fix = f"fermez le bloc par « {token.markup} » avant lui"
        elif token.type == "code_block":
            where, fix = "en retrait de 4 espaces ou plus (bloc de code)", "retirez le retrait"
        elif token.type == "blockquote_open":
            where, fix = "dans une citation « > »", "retirez le « > »"
        elif token.type == "html_block":
            where, fix = f"dans le bloc HTML ouvert ligne {first}", "terminez le HTML (balise fermante, ligne vide) avant lui"
        else:
            where, fix = "dans un élément de liste", "retirez la puce ou le retrait"
        for offset, line in enumerate(raw):
            if (heading := self._heading_like(line)) is not None:
                message = f"titre « {heading} » {where} : lu comme du texte ; {fix} pour en faire un titre"
                self.findings.append(make_finding(Code.UNKNOWN_HEADING, self.file, message, first + offset))
        while len(raw) > 1 and not raw[-1].strip(" \t"):
            # Blank lines a fence never closed ran over at the end of the document.
            raw = raw[:-1]
        if token.type in ("code_block", "fence"):
            # CommonMark shows code literally: no escape to decode.
            return [line.strip(" \t") for line in raw]
        return [line_text(line) for line in raw]

    @staticmethod
    def _heading_like(line: str) -> str | None:
        """``line`` trimmed when it would be a sheet's ``#``/``##``/``###`` heading at the top level."""
        text = _QUOTE_MARKERS.sub("", line, count=1) if line.lstrip(" \t").startswith(">") else line
        text = text.strip(" \t")
        heading = _ATX.fullmatch(text)
        if heading is None or len(heading.group(1)) > 3:
            return None
        if len(heading.group(1)) == 3 and match_heading(unescape(heading_text(heading.group(2)))) is None:
            return None
        return text

    def _paragraph(self, token: Token) -> Iterator[Fiche]:
        raw = self._raw(token)
        sheet = self.sheet
        if sheet is not None and sheet.fresh and (projet := PROJET_LINE.fullmatch(raw[0].strip(" \t"))) is not None:
            sheet.fresh = False
            sheet.projet_raw = [line.strip(" \t") for line in raw]
            sheet.projet = [line_text(projet.group("rest")), *(line_text(line) for line in raw[1:])]
            return
        if sheet is not None and sheet.metadata is not None:
            # fichekit's own Markdown: its rubriques are « ### » headings, a paragraph is content.
            self._add(_Block(ItemType.PARAGRAPHE, [line_text(line) for line in raw]))
            return
        # Markdown written by hand: « **Localisation :** Dijon », « Résultats : … » start a rubrique,
        # read as the raw export's grammar reads them, one per line even without a blank line between.
        assert token.map is not None
        pending: list[str] = []
        for offset, line in enumerate(raw):
            match = match_heading(line.strip(" \t"))
            if match is None:
                pending.append(line_text(line))
                continue
            if pending:
                self._add(_Block(ItemType.PARAGRAPHE, pending))
                pending = []
            line_no = self._line_no(token.map[0] + offset)
            if self.sheet is None:
                yield from self._open(line_no, None)  # a rubrique before any « ## »: the sheet starts here
            self._enter(match, line_no)
        if pending:
            self._add(_Block(ItemType.PARAGRAPHE, pending))

    def _list(self, tokens: list[Token], index: int) -> int:
        """Read a top-level list, flattened: every list item is an item, in document order."""
        end = _skip(tokens, index)
        kinds: list[ItemType] = []
        items: list[_ListItem] = []
        while index < end:
            token = tokens[index]
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                kinds.append(ItemType.PUCE if kind == "bullet_list_open" else ItemType.NUMERO)
                if len(kinds) > _MAX_NESTED_LISTS:
                    raise ParseError(
                        f"listes imbriquées sur plus de {_MAX_NESTED_LISTS} niveaux : réduisez l'imbrication",
                        path=self.file,
                        line=self._line_no(token.map[0]),  # type: ignore[index]  # block tokens always carry a map
                    )
            elif kind in ("bullet_list_close", "ordered_list_close"):
                kinds.pop()
            elif kind == "list_item_open":
                if items:
                    items[-1].block = None
                    items[-1].nested = True
                items.append(_ListItem(kinds[-1], token.map[0]))  # type: ignore[index]  # block tokens always carry a map
            elif kind == "list_item_close":
                item = items.pop()
                if not item.started and not item.nested:
                    # A bare marker: CommonMark's empty list item.
                    self._add(_Block(item.kind, [""]))
            elif kind == "html_block" and self._is_comment(token):
                if after := _after_comment(self._check_comment(token)):
                    self._item_text(token, items, [after])
            else:
                self._item_text(token, items)
                index = _skip(tokens, index) if token.nesting == 1 else index + 1
                continue
            index += 1
        return end

    def _item_text(self, token: Token, items: list[_ListItem], texts: list[str] | None = None) -> None:
        """A block inside a list item (or ``texts`` read from it): more text of that item."""
        assert token.map is not None
        if texts is None:
            # Every item opened on this line and still without text has its marker there ("- 1. texte").
            markers = sum(1 for item in items if item.line == token.map[0] and not item.started)
            raw = self._raw(token, markers)
            texts = [line_text(line) for line in raw] if token.type == "paragraph_open" else self._verbatim(token, raw)
        item = items[-1]
        if item.block is None:
            # Text after a nested list cannot join the item's first lines: it is a paragraph.
            item.block = _Block(ItemType.PARAGRAPHE if item.nested else item.kind, texts)
            self._add(item.block)
        else:
            item.block.lines.extend(texts)
        item.started = True

    # -- comments ------------------------------------------------------------
    @staticmethod
    def _is_comment(token: Token) -> bool:
        return token.content.lstrip(" \t").startswith("<!--")

    def _check_comment(self, token: Token) -> list[str]:
        """The comment's lines; an error if it is never closed or hides a heading (it would hide a sheet)."""
        raw = self._raw(token)
        first = self._line_no(token.map[0])  # type: ignore[index]  # block tokens always carry a map
        closed = "-->" in token.content
        for offset, line in enumerate(raw[1:], 1):
            if (heading := self._heading_like(line)) is not None:
                state = "jamais fermé" if not closed else f"fermé seulement ligne {first + len(raw) - 1}"
                raise ParseError(
                    f"le titre « {heading} » est pris dans le commentaire HTML « <!-- » ouvert ligne {first} et {state} : "
                    "fermez le commentaire par « --> » avant ce titre",
                    path=self.file,
                    line=first + offset,
                )
        if not closed:
            raise ParseError(
                "commentaire HTML « <!-- » jamais fermé : il masque tout ce qui suit ; fermez-le par « --> »",
                path=self.file,
                line=first,
            )
        return raw

    def _comment(self, token: Token) -> None:
        raw = self._check_comment(token)
        if after := _after_comment(raw):
            # Text after "-->" on the closing line is shown by renderers: it is content.
            self._add(_Block(ItemType.PARAGRAPHE, [after]))
        metadata = METADATA_COMMENT.fullmatch(raw[0]) if len(raw) == 1 else None
        if metadata is None:
            return
        sheet = self.sheet
        if sheet is None or sheet.metadata is not None or sheet.rubriques:
            # A stray copy: only the comment right under a sheet's "##" describes it.
            return
        line_no = self._line_no(token.map[0])  # type: ignore[index]  # block tokens always carry a map
        try:
            data = json.loads(metadata.group("json"))
            if not isinstance(data, dict):
                raise ValueError("un objet JSON {…} est attendu")
            sheet.metadata = Fiche.model_validate({key: data[key] for key in METADATA_KEYS if key in data})
        except json.JSONDecodeError as exc:
            raise ParseError(f"commentaire fichekit illisible (JSON invalide : {exc.msg})", path=self.file, line=line_no) from None
        except ValidationError as exc:
            raise ParseError(f"commentaire fichekit : {french_validation_error(exc)}", path=self.file, line=line_no) from None
        except ValueError as exc:
            raise ParseError(f"commentaire fichekit illisible ({exc})", path=self.file, line=line_no) from None

    # -- headings ------------------------------------------------------------
    def _heading(self, token: Token, inline: Token) -> Iterator[Fiche]:
        assert token.map is not None
        line_no = self._line_no(token.map[0])
        heading = _ATX.fullmatch(self.lines[token.map[0]])
        level, raw = (len(heading.group(1)), heading_text(heading.group(2))) if heading else (len(token.markup), inline.content)
        if level == 1:
            self._close()
            self.theme_raw = raw
            return
        if level == 2:
            yield from self._open(line_no, raw)
            return
        text = unescape(raw)
        match = match_heading(text) if level == 3 else None
        if match is None:
            # A heading fichekit does not know ("### Objectif", "####…"): its text is content.
            self._add(_Block(ItemType.PARAGRAPHE, [text]))
            return
        if self.sheet is None:
            yield from self._open(line_no, None)
        self._enter(match, line_no)

    def _enter(self, match: HeadingMatch, line_no: int) -> None:
        """Make the rubrique of ``match`` (read on line ``line_no``) the current one, its text after the colon its first item."""
        sheet = self.sheet
        assert sheet is not None
        if match.kind is MatchKind.NEAR_MISS:
            self.findings.append(near_miss_finding(match, self.file, line_no))
        sheet.rubriques.setdefault(match.key, []).append(line_no)
        sheet.current = match.key
        sheet.fresh = False
        if match.rest:
            kind, body = split_marker(match.rest)
            self._add(_Block(kind, [body]))


_FRONT_MATTER_KEY = re.compile(r"([^\s:#][^:]*?)\s*:(?:\s|$)")
"""A top-level key of YAML front matter (``date: 2025-03-12``), not an indented or list line."""


def _note_front_matter(keys: list[str], findings: list[Finding], file: str, line: int) -> None:
    """A layout finding when the front matter holds more than fichekit's own keys (see ``--split``)."""
    others = [key for key in dict.fromkeys(keys) if key not in FRONT_MATTER_KEYS]
    if others:
        shown = ", ".join(f"« {key} »" for key in others[:5]) + (" …" if len(others) > 5 else "")
        findings.append(
            make_finding(
                Code.LAYOUT_REMOVED,
                file,
                f"en-tête YAML laissé de côté ({shown}) : fichekit lit le corps du document ; "
                "copiez dans une rubrique ce qui appartient à la fiche",
                line=line,
                column=1,
            )
        )


def iter_fiches_from_markdown(
    lines: Iterable[str], file: str = "<markdown>", findings: list[Finding] | None = None
) -> Iterator[Fiche]:
    """Yield the sheets of a Markdown document one by one, reading ``lines`` lazily.

    ``lines`` are the document's lines without their line endings. ``source``
    gives the line of each sheet's ``##`` and, as ``rubriques``, the lines of
    its ``###`` headings. Near-miss headings and heading-like lines read as
    text are appended to ``findings``. Raises
    :class:`~fichekit.errors.ParseError` when the document holds no sheet, a
    fichekit comment cannot be read or an HTML comment hides the rest.
    """
    reader = _Reader(file, findings if findings is not None else [])
    chunk: list[str] = []
    start = 0
    cut_at = _CHUNK_LINES
    front_matter_line: int | None = None
    first_line: int | None = None
    front_matter_keys: list[str] = []
    for index, line in enumerate(lines):
        if front_matter_line is not None:
            if line.rstrip(" \t") in FRONT_MATTER_CLOSE:
                _note_front_matter(front_matter_keys, reader.findings, file, front_matter_line)
                front_matter_line = None
            elif (key := _FRONT_MATTER_KEY.match(line)) is not None:
                front_matter_keys.append(key.group(1))
            line = ""
        elif first_line is None:
            if line.strip(" \t"):
                first_line = index + 1
                if line.rstrip(" \t") == FRONT_MATTER_OPEN:
                    front_matter_line, line = first_line, ""
        elif len(chunk) >= cut_at and _CHUNK_BOUNDARY.match(line):
            tokens = _parse([*chunk, line])
            if _ends_at_top_level_heading(tokens, len(chunk)):
                yield from reader.read(tokens[:-3], chunk, start)
                chunk, start, cut_at = [], index, _CHUNK_LINES
            else:
                # An open block (code, comment) runs over this heading: try again later,
                # after twice as many lines, so that parsing stays linear.
                cut_at = 2 * len(chunk)
        chunk.append(line)
    if front_matter_line is not None:
        raise ParseError("en-tête YAML non fermé : ajoutez une ligne « --- » après lui", path=file, line=front_matter_line)
    yield from reader.read(_parse(chunk), chunk, start)
    yield from reader.finish(first_line)


def read(source: InputSource, findings: list[Finding]) -> Iterator[FicheRecord]:
    """The sheets of a Markdown document (read in chunks cut at top-level headings), as records."""
    return as_records(iter_fiches_from_markdown(source.lines(findings), source.name, findings))
