"""Markdown -> fiche records: fichekit's own Markdown, or Markdown of the same shape written by hand.

What a line is, in the order the reader asks (see :mod:`fichekit.writers.markdown`
for the layout it reads back):

1. front matter (``---`` … ``---`` at the top of the file) -> skipped: the body
   holds everything;
2. an HTML comment -> skipped, except the ``<!-- fichekit: {…} -->`` comment of
   the current sheet, which holds its metadata;
3. blank -> ends a paragraph;
4. an ATX heading: ``#`` sets the theme, ``##`` starts a sheet (its structures),
   ``###`` one of the 13 headings (matched like the raw parser does, so
   hand-edited spellings work; a near miss is reported); any other heading is
   content;
5. a thematic break (``---``, ``***``) -> layout, skipped;
6. ``**Projet :** …`` as the first thing of a sheet -> its projet;
7. a list marker (``-``, ``*``, ``+``, ``1.``, ``1)``, at any indentation:
   nested lists are flattened) -> an item of kind ``puce`` or ``numero``;
8. anything else -> a paragraph, or one more line of the paragraph or list
   item just above (``\\n`` between lines, as in the records).

Backslash escapes and character references are decoded; nothing else is
interpreted (``*emphasis*`` written by hand stays as typed).

Metadata: the comment's values are used while the visible headings are still
what the writer renders from them; when a user has edited a heading, the
visible text wins: the theme from ``#``, the structures from ``##`` (read with
:func:`fichekit.grammar.parse_structures`, so ``## A (21) et B (BFC) : projet X``
works), the projet from the ``**Projet :**`` line. The theme number, which
nothing visible shows, comes from the comment (null without one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.entities import html5

from pydantic import ValidationError

from .errors import ParseError
from .findings import Finding
from .headings import SECTION_KEYS, MatchKind, match_heading
from .model import Fiche, ItemType, Source, trusted_item
from .grammar import near_miss_finding, parse_structures, split_marker
from .writers import NO_STRUCTURE, NO_THEME
from .writers.markdown import (
    METADATA_KEYS,
    fold_spacing,
    projet_lines,
    structures_heading,
    theme_heading,
)

__all__ = ["iter_fiches_from_markdown", "unescape"]

HORS_RUBRIQUE = "hors_rubrique"

_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*))?")
_CLOSING_SEQUENCE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*")
_MARKER = re.compile(r"[ \t]*(?:(?P<bullet>[-+*])|(?P<number>\d{1,9})[.)])(?:[ \t]+(?P<rest>.*))?")
_COMMENT_START = re.compile(r" {0,3}<!--")
_METADATA = re.compile(r" {0,3}<!--[ \t]*fichekit:[ \t]*(?P<json>.*?)[ \t]*-->[ \t]*")
_PROJET = re.compile(r"\*\*projet[ \t]*(?::[ \t]*\*\*|\*\*[ \t]*:)(?P<rest>.*)", re.IGNORECASE)
_FRONT_MATTER_END = ("---", "...")
_ESCAPE_OR_REFERENCE = re.compile(
    r"\\(?P<char>[!-/:-@\[-`{-~])|&(?P<ref>#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)


def _decode(match: re.Match[str]) -> str:
    if match.group("char") is not None:
        return match.group("char")
    ref = match.group("ref")
    if ref.startswith("#"):
        code = int(ref[2:], 16) if ref[1:2] in ("x", "X") else int(ref[1:])
        # As CommonMark: NUL and invalid code points become U+FFFD.
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return html5.get(f"{ref};", match.group(0))


def unescape(text: str) -> str:
    """Decode CommonMark backslash escapes and character references (``&#32;``, ``&eacute;``)."""
    return _ESCAPE_OR_REFERENCE.sub(_decode, text)


def _line_text(raw: str) -> str:
    """The text of one Markdown line: edges trimmed, a trailing hard break dropped, unescaped."""
    text = raw.strip(" \t")
    trailing = len(text) - len(text.rstrip("\\"))
    if trailing % 2:
        # An unescaped backslash at the end is a hard line break (alone: EMPTY_LINE).
        text = text[:-1]
    return unescape(text)


def _heading_content(raw: str | None) -> str:
    """ATX heading content, raw Markdown, without the optional closing ``#`` sequence."""
    content = (raw or "").strip(" \t")
    closing = _CLOSING_SEQUENCE.search(content)
    if closing is not None:
        content = content[: closing.start()]
    return content


@dataclass(slots=True)
class _Block:
    """An item being read: more lines may still join it."""

    kind: ItemType
    lines: list[str]
    indent: int = 0
    """Column of a list item's text: a line indented that far after a blank line still belongs to it."""


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
            visible = unescape(self.structures_raw)
            structures, projet_from_heading = ([], None) if visible == NO_STRUCTURE else parse_structures(visible)
        if self.projet is None:
            projet = projet_from_heading
        elif meta is not None and meta.projet is not None and self.projet_raw == projet_lines(meta.projet):
            projet = meta.projet
        else:
            projet = "\n".join(self.projet) or None
        values = {
            key: [trusted_item("\n".join(b.lines), b.kind) for b in blocks]
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
        self.block: _Block | None = None
        self.after_blank = False
        self.in_comment = False
        self.front_matter_line: int | None = None
        """Line of the opening ``---`` while inside the front matter."""
        self.first_line: int | None = None
        """First non-blank line: where front matter may open, and where an empty document is reported."""

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
        self.block = None
        if self.sheet is not None:
            self.closed, self.sheet = self.sheet, None

    def finish(self) -> Iterator[Fiche]:
        if self.front_matter_line is not None:
            raise ParseError("en-tête YAML non fermé : ajoutez une ligne « --- » après lui", path=self.file, line=self.front_matter_line)
        last = self.sheet or self.closed
        if last is None:
            raise ParseError(
                "aucune fiche reconnue dans ce Markdown (ni titre « ## » de fiche ni titre de rubrique comme « ### Localisation »)",
                path=self.file,
                line=self.first_line or 1,
            )
        if self.loose:
            # Text after the last theme heading but under no sheet: kept, not lost.
            last.sections.setdefault(HORS_RUBRIQUE, []).extend(self.loose)
        yield last.build(self.file)

    # -- lines ---------------------------------------------------------------
    def feed(self, line_no: int, line: str) -> Iterator[Fiche]:
        if self.in_comment:
            self.in_comment = "-->" not in line
            return
        if self.front_matter_line is not None:
            if line.rstrip(" \t") in _FRONT_MATTER_END:
                self.front_matter_line = None
            return
        if not line.strip(" \t"):
            self.after_blank = True
            return
        if self.first_line is None:
            self.first_line = line_no
            if line.rstrip(" \t") == "---":
                self.front_matter_line = line_no
                return
        after_blank, self.after_blank = self.after_blank, False
        heading = _ATX.fullmatch(line)
        if heading is not None:
            yield from self._heading(line_no, len(heading.group(1)), _heading_content(heading.group(2)))
            return
        if _COMMENT_START.match(line):
            self._comment(line_no, line)
            return
        if _THEMATIC_BREAK.fullmatch(line):
            self.block = None
            return
        sheet = self.sheet
        if sheet is not None and sheet.fresh and (projet := _PROJET.fullmatch(line.strip(" \t"))) is not None:
            sheet.fresh = False
            sheet.projet_raw = [line.strip(" \t")]
            sheet.projet = [_line_text(projet.group("rest"))]
            self.block = _Block(ItemType.PARAGRAPHE, sheet.projet)
            return
        marker = _MARKER.fullmatch(line)
        if marker is not None:
            kind = ItemType.PUCE if marker.group("bullet") else ItemType.NUMERO
            indent = marker.start("rest") if marker.group("rest") is not None else len(line)
            self._add(_Block(kind, [_line_text(marker.group("rest") or "")], indent))
            return
        block = self.block
        indent = len(line) - len(line.lstrip(" \t"))
        if block is not None and (not after_blank or (block.kind is not ItemType.PARAGRAPHE and indent >= block.indent)):
            block.lines.append(_line_text(line))
            if sheet is not None and sheet.projet is block.lines:
                assert sheet.projet_raw is not None
                sheet.projet_raw.append(line.strip(" \t"))
            return
        self._add(_Block(ItemType.PARAGRAPHE, [_line_text(line)]))

    def _add(self, block: _Block) -> None:
        if self.sheet is None:
            self.loose.append(block)
        else:
            self.sheet.sections.setdefault(self.sheet.current, []).append(block)
            self.sheet.fresh = False
        self.block = block

    def _comment(self, line_no: int, line: str) -> None:
        self.block = None
        metadata = _METADATA.fullmatch(line)
        if metadata is None:
            self.in_comment = "-->" not in line[line.index("<!--") + 4 :]
            return
        sheet = self.sheet
        if sheet is None or sheet.metadata is not None or sheet.rubriques:
            # A stray copy: only the comment right under a sheet's "##" describes it.
            return
        try:
            data = json.loads(metadata.group("json"))
            if not isinstance(data, dict):
                raise ValueError("un objet JSON {…} est attendu")
            sheet.metadata = Fiche.model_validate({key: data[key] for key in METADATA_KEYS if key in data})
        except json.JSONDecodeError as exc:
            raise ParseError(f"commentaire fichekit illisible (JSON invalide : {exc.msg})", path=self.file, line=line_no) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise ParseError(f"commentaire fichekit : champ « {where} » invalide ({first['msg']})", path=self.file, line=line_no) from None
        except ValueError as exc:
            raise ParseError(f"commentaire fichekit illisible ({exc})", path=self.file, line=line_no) from None

    def _heading(self, line_no: int, level: int, raw: str) -> Iterator[Fiche]:
        self.block = None
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
            self.block = None
            return
        if self.sheet is None:
            yield from self._open(line_no, None)
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
            self.block = None


def iter_fiches_from_markdown(
    lines: Iterable[str], file: str = "<markdown>", findings: list[Finding] | None = None
) -> Iterator[Fiche]:
    """Yield the sheets of a Markdown document one by one, reading ``lines`` lazily.

    ``source`` gives the line of each sheet's ``##`` and, as ``rubriques``, the
    lines of its ``###`` headings. Near-miss headings are appended to
    ``findings``. Raises :class:`~fichekit.errors.ParseError` when the document
    holds no sheet or a fichekit comment cannot be read.
    """
    reader = _Reader(file, findings if findings is not None else [])
    for line_no, line in enumerate(lines, 1):
        yield from reader.feed(line_no, line)
    yield from reader.finish()
