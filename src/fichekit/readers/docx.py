"""Word ``.docx`` -> the line stream of :mod:`fichekit.grammar.lines`.

An adapter, not a parser: it says what Word says about each paragraph (a list
item Word draws, a heading style, a line break, a page break, a table of
contents) and leaves every decision about sheets and rubriques to the grammar.

**Location.** ``Line.number`` is the paragraph number ``§``: 1-based, in body
order, counting every body paragraph (including those inside content controls)
and every table row as one. Every line a row gives (a form table's heading and
content, a nested table) carries the row's number; the lines of one paragraph
(soft line breaks, page breaks) carry the paragraph's number, and its
continuation lines keep the ``level`` of its first line.

**What a paragraph becomes**, in this order:

1. ``LAYOUT``: a paragraph inside a table of contents (a ``TOC`` field result,
   a « Table of Contents » content control, a ``TOC Heading`` / ``toc N``
   style), and fichekit's own empty-rubrique placeholder « Non renseigné » in
   italics (alone, or after a label ending with a colon); the result of a
   page-number field (PAGE, NUMPAGES, SECTIONPAGES, SECTION, PAGEREF) is a
   LAYOUT line of its own after the other lines of its paragraph;
2. ``HEADING`` with its level (1-9): a Heading 1-9 / Titre 1-9 style, or an
   outline level, on the paragraph or inherited through ``basedOn``;
3. ``BULLET`` / ``NUMBER`` with ``level`` = ``ilvl``: a Word list, through the
   paragraph's ``w:numPr`` or its style's (List Bullet, Liste à puces, custom
   styles), bullet or number as the numbering definition's ``w:numFmt`` says;
4. ``HEADING`` with level 0 (the document gives no level): a short paragraph
   (at most 100 characters) whose text is all bold, a colon and spaces aside;
5. ``TEXT`` otherwise, verbatim (« Titre : » in bold then plain text is one
   TEXT line; a no-break space before the colon stays).

Inside a paragraph a soft line break (``w:br`` without type, ``w:cr``, a
column break) starts a ``CONTINUATION`` line; so does a ``w:t`` boundary inside
one run where the previous ``w:t`` ends with a space (fichekit's recueil writes
each source line of an item that way; the joining space is dropped). A page
break (``w:br w:type="page"``, ``w:pageBreakBefore``, a section break that
starts a new page) is a ``PAGE_BREAK`` line; ``w:lastRenderedPageBreak`` only
records where Word last paginated and is ignored. Tabs are ``\\t``, a no-break
hyphen ``-``, a soft hyphen nothing (it only shows when Word hyphenates).
Empty and blank lines are not emitted (the number still counts).

**Tables.** A two-column table whose first cell, in at least one row, is one
of the 13 rubriques (``match_heading``) is a form: such a row gives a
``HEADING`` line (level 0) then the content cell's paragraphs as lines (lists
honoured); its other rows, and every row of any other table, give one TEXT
line, the non-empty cell texts joined by `` : ``.

**Read as the user sees it.** Tracked changes read as accepted (``w:ins`` and
``w:moveTo`` kept, ``w:del`` and ``w:moveFrom`` dropped); fields show their
result (a page number's as LAYOUT, see above); content controls show their content,
but not a placeholder prompt (``w:showingPlcHdr``); hidden text (``w:vanish``)
is skipped; equations give their text. Headers, footers, comments,
footnotes, text boxes, imported chunks (``w:altChunk``) and media live in
other parts, or in drawings, and are never read. What is left out that way, and does
not appear in the stream, is reported in one ``FK107`` finding per file (the
grammar counts the ``LAYOUT`` lines itself).

**Hostile files.** The zip is checked before it is trusted (member count,
declared sizes of the parts read, sizes enforced while decompressing); only
the XML parts needed are read (document, styles, numbering, relationships),
never media; XML is parsed without DTDs, entities or network and any DOCTYPE
is refused; the body is streamed paragraph by paragraph, so memory stays
bounded by the largest top-level paragraph or table. Every problem is one
French :class:`~fichekit.errors.InputError` naming the file.

Styles and numbering are parsed once per distinct content (a small cache):
sheets made from one template do not pay for its styles again.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import IO, TypedDict

from lxml import etree

from ..errors import InputError
from ..findings import Code, Finding, make_finding
from ..fr import counted
from ..grammar import iter_records_from_lines
from ..grammar.lines import Hint, Line
from ..headings import match_heading
from ..records import FicheRecord
from ..sources import Source
from . import merge_layout_findings

__all__ = ["MAX_PART_BYTES", "docx_lines", "refuse_unsupported"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_VAL = f"{_W}val"

MAX_PART_BYTES = 64 * 1024 * 1024
"""Cap on the uncompressed size of each XML part read (a real sheet's document part is ~50 KB)."""
_MAX_MEMBERS = 5_000
_MAX_DIRECTORY_BYTES = _MAX_MEMBERS * 400  # a directory entry is 46 bytes plus its name and extras
_MAX_TABLE_DEPTH = 24
_MAX_BOLD_HEADING = 100
_NOT_FILLED = "Non renseigné"

_SAVE_AS = "ouvrez-le dans Word (ou LibreOffice) puis « Enregistrer sous › Document Word (.docx) »"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_ODF_MIME = b"application/vnd.oasis.opendocument"

_P, _R, _T, _TBL, _TR, _TC = (f"{_W}{n}" for n in ("p", "r", "t", "tbl", "tr", "tc"))
_PPR, _RPR, _SDT, _SDT_CONTENT, _SDT_PR = (f"{_W}{n}" for n in ("pPr", "rPr", "sdt", "sdtContent", "sdtPr"))
_CUSTOM_XML, _SECT_PR, _BODY = f"{_W}customXml", f"{_W}sectPr", f"{_W}body"
_ALT_CHUNK, _DOCUMENT = f"{_W}altChunk", f"{_W}document"
# Inline containers whose runs are shown as they are.
_TRANSPARENT = frozenset(f"{_W}{n}" for n in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "dir", "bdo"))
_PAGE_FIELDS = frozenset({"PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "PAGEREF"})
_FALSE = frozenset({"0", "false", "off"})
_HEADING_STYLE = re.compile(r"(?:heading|titre)\s*([1-9])")
_TOC_STYLE = re.compile(r"toc(?: heading|\s*[1-9])|en-tête de table des matières|tdm\s*[1-9]")


# --------------------------------------------------------------------------- refusing what is not a .docx


def refuse_unsupported(suffix: str, head: bytes, name: str) -> None:
    """Raise the French « Enregistrer sous » InputError for a file fichekit cannot read as Word.

    ``suffix`` is the file's suffix (``.doc``, ``.odt``…, any case), ``head``
    its first bytes (100 tell the format; the whole file also tells a
    password-protected Word file from a .doc). Refused: Word 97-2003 (``.doc``, OLE2
    header), password-protected Word files (also OLE2), RTF, OpenDocument text
    (``.odt``, a zip whose ``mimetype`` says so), whatever the suffix says.
    Returns None for anything else. :func:`docx_lines` calls it for every input, so a
    .doc or .odt renamed .docx is told apart by its content; files named .doc/.odt
    are refused earlier, from their suffix (:data:`fichekit.formats.UNSUPPORTED_SUFFIXES`).
    """
    suffix = suffix.lower()
    if head.startswith(_OLE2):
        if _ENCRYPTED_MARK in head:
            raise InputError(
                "document Word protégé par mot de passe : ouvrez-le dans Word, retirez le mot de passe "
                "(Fichier › Informations › Protéger le document) puis enregistrez-le en .docx",
                path=name,
            )
        raise InputError(f"document Word 97-2003 (.doc), que fichekit ne lit pas : {_SAVE_AS}", path=name)
    if head.startswith(b"{\\rtf"):
        raise InputError(f"document RTF, que fichekit ne lit pas : {_SAVE_AS}", path=name)
    if (head[30:38] == b"mimetype" and head[38:].startswith(_ODF_MIME)) or suffix in (".odt", ".ott"):
        raise InputError(f"document OpenDocument (.odt), que fichekit ne lit pas : {_SAVE_AS}", path=name)
    if suffix in (".doc", ".dot"):  # Word also saves web pages (HTML, MHT) under these names
        raise InputError(f"document Word 97-2003 ({suffix}), que fichekit ne lit pas : {_SAVE_AS}", path=name)
    if suffix == ".rtf":
        raise InputError(f"document RTF, que fichekit ne lit pas : {_SAVE_AS}", path=name)


# --------------------------------------------------------------------------- the package


def _zip_entry_count(data: bytes) -> int | None:
    """Members the end-of-central-directory record declares, read before zipfile builds its list.

    The directory's size is bounded too: zipfile reads entries until that size
    is used up, whatever the count says.
    """
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    entries: int
    directory_size: int
    entries, directory_size = struct.unpack_from("<HI", data, end + 10)
    if entries == 0xFFFF or directory_size > _MAX_DIRECTORY_BYTES:
        return _MAX_MEMBERS + 1  # zip64, or a directory far larger than any Word file's
    return entries


class _Package:
    """The parts of a .docx that are read, found through the package relationships."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        refuse_unsupported("", data, name)
        count = _zip_entry_count(data)
        if count is None:
            raise InputError(f"ce fichier n'est pas un document Word .docx (archive illisible) : {_SAVE_AS}", path=name)
        if count > _MAX_MEMBERS:
            raise InputError(
                f"document Word suspect : l'archive déclare trop de fichiers internes (plus de {_MAX_MEMBERS})", path=name
            )
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error):
            raise InputError(f"ce fichier n'est pas un document Word .docx (archive illisible) : {_SAVE_AS}", path=name) from None
        if len(self.archive.infolist()) > _MAX_MEMBERS:  # the end record understated the count
            raise InputError(
                f"document Word suspect : l'archive contient trop de fichiers internes (plus de {_MAX_MEMBERS})", path=name
            )
        self.infos = {info.filename: info for info in self.archive.infolist()}
        if "mimetype" in self.infos and self.read("mimetype", 200).startswith(_ODF_MIME):
            raise InputError(f"document OpenDocument (.odt), que fichekit ne lit pas : {_SAVE_AS}", path=name)
        self.main = self._main_part()
        targets = self._relationships(self.main)
        self.styles = targets.get("styles")
        self.numbering = targets.get("numbering")

    def _main_part(self) -> str:
        main = self._relationships("").get("officeDocument") or "word/document.xml"
        if main not in self.infos:
            raise InputError("ce fichier zip n'est pas un document Word .docx (document principal absent)", path=self.name)
        return main

    def _relationships(self, part: str) -> dict[str, str]:
        """Internal relationship targets of ``part`` ("" for the package), by type's last word."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{base}.rels")
        if rels not in self.infos:
            return {}
        root = self.parse(rels)
        targets: dict[str, str] = {}
        for rel in root.iterfind(f"{_REL}Relationship"):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            targets.setdefault((rel.get("Type") or "").rpartition("/")[2], path)
        return targets

    def _info(self, part: str) -> zipfile.ZipInfo:
        info = self.infos[part]
        if info.file_size > MAX_PART_BYTES:
            raise InputError(
                f"document Word suspect : la partie {part} ferait {info.file_size // 1_048_576} Mo une fois décompressée "
                f"(maximum {MAX_PART_BYTES // 1_048_576} Mo ; bombe zip ?)",
                path=self.name,
            )
        return info

    def read(self, part: str, limit: int = MAX_PART_BYTES) -> bytes:
        try:
            with self.archive.open(self._info(part)) as member:
                return member.read(limit)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError, ValueError, zlib.error) as exc:
            raise InputError(f"document Word corrompu ({part} : {exc})", path=self.name) from None

    def parse(self, part: str) -> etree._Element:
        """A small XML part (relationships), parsed safely."""
        try:
            return _parse_checked(part, self.read(part))
        except _Refused as exc:
            raise InputError(str(exc), path=self.name) from None

    def definition(self, part: str | None) -> tuple[str, bytes] | None:
        """``(part, XML)`` of the styles or numbering part, if the document has one."""
        return (part, self.read(part)) if part is not None and part in self.infos else None

    def open(self, part: str) -> IO[bytes]:
        """A stream over a part, decompressed as it is read (the declared size is enforced by zipfile)."""
        try:
            return self.archive.open(self._info(part))
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError) as exc:
            raise InputError(f"document Word corrompu ({part} : {exc})", path=self.name) from None


class _ParserOptions(TypedDict):
    """The keywords shared by the part parser and the streaming body parser (typed for ``**``)."""

    resolve_entities: bool
    no_network: bool
    huge_tree: bool
    load_dtd: bool
    remove_comments: bool
    remove_pis: bool


_PARSER_OPTIONS = _ParserOptions(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                                 remove_comments=True, remove_pis=True)  # fmt: skip


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(**_PARSER_OPTIONS)


class _Refused(Exception):
    """A French message about a part, before the file's name is known to the code raising it."""


def _refuse_doctype(root: etree._Element, part: str) -> None:
    """Word never writes a DOCTYPE: entity declarations are how XML bombs and external-entity reads work."""
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise _Refused(
            f"document Word refusé : la partie {part} contient une déclaration DOCTYPE (entités XML, risque de sécurité)"
        )


def _xml_refusal(exc: etree.XMLSyntaxError, part: str) -> _Refused:
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "entit" in detail.lower() or "doctype" in detail.lower():
        return _Refused(f"document Word refusé : la partie {part} déclare des entités XML (risque de sécurité)")
    if "depth" in detail.lower():
        return _Refused(f"document Word refusé : la partie {part} est imbriquée trop profondément")
    return _Refused(f"document Word corrompu : XML invalide dans {part} ({detail[:160]})")


def _parse_checked(part: str, data: bytes) -> etree._Element:
    """A small XML part parsed safely; raises :class:`_Refused`."""
    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as exc:
        raise _xml_refusal(exc, part) from None
    _refuse_doctype(root, part)
    return root


# --------------------------------------------------------------------------- styles and numbering


def _on(element: etree._Element | None) -> bool | None:
    """A toggle property (``w:b``, ``w:i``…): None when absent, else whether it is on."""
    if element is None:
        return None
    return element.get(_VAL, "true").lower() not in _FALSE


@dataclass(frozen=True, slots=True)
class _RunFormat:
    bold: bool | None = None
    italic: bool | None = None
    vanish: bool | None = None

    def over(self, base: _RunFormat) -> _RunFormat:
        """This format on top of ``base``: set properties win."""
        return _RunFormat(
            base.bold if self.bold is None else self.bold,
            base.italic if self.italic is None else self.italic,
            base.vanish if self.vanish is None else self.vanish,
        )


_B, _I, _VANISH, _RSTYLE = (f"{_W}{n}" for n in ("b", "i", "vanish", "rStyle"))
_NO_FORMAT: tuple[None, None, None, None] = (None, None, None, None)


def _run_properties(rpr: etree._Element | None) -> tuple[bool | None, bool | None, bool | None, str | None]:
    """Bold, italic, hidden and character style a ``w:rPr`` sets (one pass: this runs for every run)."""
    if rpr is None:
        return _NO_FORMAT
    bold = italic = vanish = None
    style: str | None = None
    for child in rpr:
        tag = child.tag
        if tag == _B:
            bold = _on(child)
        elif tag == _I:
            italic = _on(child)
        elif tag == _VANISH:
            vanish = _on(child)
        elif tag == _RSTYLE:
            style = child.get(_VAL)
    return bold, italic, vanish, style


def _run_format(rpr: etree._Element | None) -> _RunFormat:
    bold, italic, vanish, _ = _run_properties(rpr)
    return _RunFormat(bold, italic, vanish)


@dataclass(frozen=True, slots=True)
class _StyleEntry:
    """One ``w:style`` as written: None where it says nothing (the ``basedOn`` chain decides)."""

    name: str
    based_on: str | None
    outline: int | None
    num_id: str | None
    ilvl: int | None
    page_break: bool | None
    run: _RunFormat


@dataclass(frozen=True, slots=True)
class _ParagraphStyle:
    """A paragraph style resolved through ``basedOn``."""

    heading: int | None
    toc: bool
    num_id: str | None
    ilvl: int | None
    page_break: bool
    run: _RunFormat


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.isdigit() else None


class _Styles:
    """Styles by id, resolved lazily and memoised: ``basedOn`` chains are followed once per style."""

    def __init__(self, root: etree._Element | None) -> None:
        self.elements: dict[str, etree._Element] = {}
        self.default_paragraph: str | None = None
        self.defaults = _RunFormat(False, False, False)
        self._entries: dict[str, _StyleEntry] = {}
        self._paragraph: dict[str | None, _ParagraphStyle] = {}
        self._character: dict[str, _RunFormat] = {}
        if root is None:
            return
        defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self.defaults = _run_format(defaults).over(self.defaults)
        # Only indexed here: a template defines hundreds of styles and a sheet uses a handful.
        for style in root.iterfind(f"{_W}style"):
            style_id = style.get(f"{_W}styleId")
            if not style_id:
                continue
            self.elements.setdefault(style_id, style)
            if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in ("1", "true", "on"):
                self.default_paragraph = style_id

    def _entry(self, style_id: str) -> _StyleEntry:
        entry = self._entries.get(style_id)
        if entry is not None:
            return entry
        style = self.elements[style_id]
        name = style.find(f"{_W}name")
        based = style.find(f"{_W}basedOn")
        ppr = style.find(_PPR)
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        outline = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
        num_id = num_pr.find(f"{_W}numId") if num_pr is not None else None
        ilvl = num_pr.find(f"{_W}ilvl") if num_pr is not None else None
        entry = self._entries[style_id] = _StyleEntry(
            name=(name.get(_VAL, "") if name is not None else "").strip().casefold(),
            based_on=based.get(_VAL) if based is not None else None,
            outline=_int(outline.get(_VAL)) if outline is not None else None,
            num_id=num_id.get(_VAL) if num_id is not None else None,
            ilvl=_int(ilvl.get(_VAL)) if ilvl is not None else None,
            page_break=_on(ppr.find(f"{_W}pageBreakBefore")) if ppr is not None else None,
            run=_run_format(style.find(_RPR)),
        )
        return entry

    def _chain(self, style_id: str | None) -> Iterator[_StyleEntry]:
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.elements:
            seen.add(style_id)
            entry = self._entry(style_id)
            yield entry
            style_id = entry.based_on

    def paragraph(self, style_id: str | None) -> _ParagraphStyle:
        if style_id is None or style_id not in self.elements:
            style_id = self.default_paragraph
        cached = self._paragraph.get(style_id)
        if cached is not None:
            return cached
        heading: int | None = None
        decided = toc = False
        num_id: str | None = None
        ilvl: int | None = None
        page_break: bool | None = None
        run = _RunFormat()
        for entry in self._chain(style_id):
            if not decided:
                named = _HEADING_STYLE.fullmatch(entry.name)
                if _TOC_STYLE.fullmatch(entry.name):
                    toc = decided = True
                elif named:
                    heading, decided = int(named.group(1)), True
                elif entry.outline is not None:
                    heading, decided = (entry.outline + 1 if entry.outline < 9 else None), True
            num_id = entry.num_id if num_id is None else num_id
            ilvl = entry.ilvl if ilvl is None else ilvl
            page_break = entry.page_break if page_break is None else page_break
            run = run.over(entry.run)
        resolved = _ParagraphStyle(heading, toc, num_id, ilvl, bool(page_break), run.over(self.defaults))
        self._paragraph[style_id] = resolved
        return resolved

    def character(self, style_id: str) -> _RunFormat:
        cached = self._character.get(style_id)
        if cached is not None:
            return cached
        run = _RunFormat()
        for entry in self._chain(style_id):
            run = run.over(entry.run)
        self._character[style_id] = run
        return run

    def num_id(self, style_id: str) -> str | None:
        """The list a numbering style (``numStyleLink`` target) stands for."""
        return next((entry.num_id for entry in self._chain(style_id) if entry.num_id is not None), None)


class _Numbering:
    """Bullet or number for a ``(numId, ilvl)``, from ``w:numFmt`` (overrides, then the abstract definition)."""

    def __init__(self, root: etree._Element | None, styles: _Styles) -> None:
        self.styles = styles
        self.abstract: dict[str, tuple[dict[int, str], dict[str, int], str | None]] = {}
        self.nums: dict[str, tuple[str, dict[int, str]]] = {}
        if root is None:
            return
        for abstract in root.iterfind(f"{_W}abstractNum"):
            formats: dict[int, str] = {}
            style_levels: dict[str, int] = {}
            for lvl in abstract.iterfind(f"{_W}lvl"):
                ilvl = _int(lvl.get(f"{_W}ilvl")) or 0
                fmt = lvl.find(f"{_W}numFmt")
                formats[ilvl] = fmt.get(_VAL, "decimal") if fmt is not None else "decimal"
                pstyle = lvl.find(f"{_W}pStyle")
                if pstyle is not None:
                    style_levels[pstyle.get(_VAL, "")] = ilvl
            link = abstract.find(f"{_W}numStyleLink")
            linked = link.get(_VAL) if link is not None else None
            self.abstract[abstract.get(f"{_W}abstractNumId", "")] = (formats, style_levels, linked)
        for num in root.iterfind(f"{_W}num"):
            abstract_id = num.find(f"{_W}abstractNumId")
            overrides: dict[int, str] = {}
            for override in num.iterfind(f"{_W}lvlOverride"):
                fmt = override.find(f"{_W}lvl/{_W}numFmt")
                if fmt is not None:
                    overrides[_int(override.get(f"{_W}ilvl")) or 0] = fmt.get(_VAL, "decimal")
            self.nums[num.get(f"{_W}numId", "")] = (abstract_id.get(_VAL, "") if abstract_id is not None else "", overrides)

    def level_of_style(self, num_id: str, style_id: str | None) -> int:
        """The level whose ``w:pStyle`` is the paragraph's style, else 0 (the numPr gave no ilvl)."""
        num = self.nums.get(num_id)
        abstract = self.abstract.get(num[0]) if num is not None else None
        return abstract[1].get(style_id or "", 0) if abstract is not None else 0

    def hint(self, num_id: str, ilvl: int, hops: int = 0) -> Hint | None:
        num = self.nums.get(num_id)
        if num is None or hops > 3:
            return None
        fmt = num[1].get(ilvl)
        abstract = self.abstract.get(num[0])
        if fmt is None and abstract is not None:
            formats, _, link = abstract
            fmt = formats.get(ilvl)
            if fmt is None and formats and link is None:
                # A single-level definition used at a deeper level: Word draws the nearest level above.
                fmt = formats[max((level for level in formats if level <= ilvl), default=min(formats))]
            if fmt is None and link is not None:
                linked = self.styles.num_id(link)
                return self.hint(linked, ilvl, hops + 1) if linked is not None else None
        if fmt is None or fmt == "none":
            return None
        return Hint.BULLET if fmt == "bullet" else Hint.NUMBER


@lru_cache(maxsize=8)
def _definitions(styles: tuple[str, bytes] | None, numbering: tuple[str, bytes] | None) -> tuple[_Styles, _Numbering]:
    """Styles and numbering from ``(part name, XML)``, parsed once per distinct content.

    Sheets made from one template share them, so a batch of files does not
    parse the same 350 KB of styles again and again. Raises :class:`_Refused`.
    """
    style_table = _Styles(_parse_checked(*styles) if styles else None)
    return style_table, _Numbering(_parse_checked(*numbering) if numbering else None, style_table)


# --------------------------------------------------------------------------- paragraphs


class _Field:
    """A complex field being read: instruction until ``separate``, then its result."""

    __slots__ = ("instruction", "in_result", "kind")

    def __init__(self) -> None:
        self.instruction: list[str] = []
        self.in_result = False
        self.kind = ""


def _field_kind(instruction: str) -> str:
    word = instruction.split(None, 1)[0].upper() if instruction.strip() else ""
    return "toc" if word == "TOC" else "page" if word in _PAGE_FIELDS else "other"


_Piece = tuple[str, bool, bool]
"""(text, bold, italic) of one run's text."""


class _Paragraph:
    """Pieces of one paragraph, in segments cut by line breaks; ``None`` marks a page break."""

    __slots__ = ("parts", "current", "layout")

    def __init__(self) -> None:
        self.current: list[_Piece] = []
        self.parts: list[list[_Piece] | None] = [self.current]
        self.layout: list[str] = []

    def line_break(self) -> None:
        self.current = []
        self.parts.append(self.current)

    def page_break(self) -> None:
        self.parts.append(None)
        self.line_break()


@dataclass(slots=True)
class _Dropped:
    """What was left out and appears nowhere in the stream: the file's FK107 finding."""

    headers_footers: bool = False
    comments: int = 0
    notes: int = 0
    hidden: int = 0
    text_boxes: int = 0
    prompts: int = 0
    imported: int = 0

    def message(self) -> str | None:
        parts = ["en-têtes et pieds de page (non lus)"] if self.headers_footers else []
        if self.comments:
            parts.append(counted(self.comments, "commentaire (non lu)", "commentaires (non lus)"))
        if self.notes:
            parts.append(counted(self.notes, "note de bas de page (non lue)", "notes de bas de page (non lues)"))
        if self.hidden:
            parts.append(counted(self.hidden, "passage de texte masqué", "passages de texte masqué"))
        if self.text_boxes:
            parts.append(counted(self.text_boxes, "zone de texte (non lue)", "zones de texte (non lues)"))
        if self.prompts:
            parts.append(counted(self.prompts, "texte d'invite de contrôle de contenu", "textes d'invite de contrôle de contenu"))
        if self.imported:
            imported = ("contenu importé d'un autre fichier (non lu)", "contenus importés d'un autre fichier (non lus)")
            parts.append(counted(self.imported, *imported))
        if not parts:
            return None
        return (
            "laissé de côté dans ce document Word : " + ", ".join(parts)
            + " ; vérifiez qu'il n'y avait là rien de la fiche (copiez-le dans le corps du texte sinon)"
        )


_NO_BREAK_HYPHEN, _SOFT_HYPHEN, _TAB, _PTAB = (f"{_W}{n}" for n in ("noBreakHyphen", "softHyphen", "tab", "ptab"))
_BR, _CR, _SYM, _FLD_CHAR, _INSTR = (f"{_W}{n}" for n in ("br", "cr", "sym", "fldChar", "instrText"))
_PSTYLE, _NUM_PR, _NUM_ID, _ILVL = (f"{_W}{n}" for n in ("pStyle", "numPr", "numId", "ilvl"))
_OUTLINE, _PAGE_BREAK_BEFORE, _FLD_SIMPLE = f"{_W}outlineLvl", f"{_W}pageBreakBefore", f"{_W}fldSimple"
_TYPE, _CHAR, _FLD_CHAR_TYPE = f"{_W}type", f"{_W}char", f"{_W}fldCharType"
_COMMENT_REF = f"{_W}commentReference"
_NOTE_REFS = frozenset({f"{_W}footnoteReference", f"{_W}endnoteReference"})
_SHAPES = frozenset({f"{_W}drawing", f"{_W}pict", f"{_MC}AlternateContent", f"{_W}object"})
_TEXT_BOX = f"{_W}txbxContent"


class _Reader:
    """One document's body read in order, with the state that spans paragraphs (fields, numbering)."""

    def __init__(self, styles: _Styles, numbering: _Numbering) -> None:
        self.styles = styles
        self.numbering = numbering
        self.fields: list[_Field] = []
        self.number = 0
        self.toc_parts = 0
        self.dropped = _Dropped()

    # ----------------------------------------------------------------- blocks

    def block(self, element: etree._Element, fixed: int | None = None, depth: int = 0) -> Iterator[Line]:
        """Lines of one block (paragraph, table, content control); ``fixed`` is the row number inside tables."""
        tag = element.tag
        if tag == _P:
            yield from self.paragraph(element, fixed)
        elif tag == _TBL:
            yield from self.table(element, fixed, depth + 1)
        elif tag == _SDT:
            content = element.find(_SDT_CONTENT)
            properties = element.find(_SDT_PR)
            if content is None:
                return
            if properties is not None and properties.find(f"{_W}showingPlcHdr") is not None:
                self.dropped.prompts += 1
                for child in content:  # read for the paragraph count only: the prompt is not the user's text
                    for _ in self.block(child, fixed, depth):
                        pass
                return
            gallery = properties.find(f"{_W}docPartObj/{_W}docPartGallery") if properties is not None else None
            is_toc = gallery is not None and "contents" in gallery.get(_VAL, "").lower()
            self.toc_parts += is_toc
            try:
                for child in content:
                    yield from self.block(child, fixed, depth)
            finally:
                self.toc_parts -= is_toc
        elif tag == _CUSTOM_XML:
            for child in element:
                yield from self.block(child, fixed, depth)
        elif tag == _SECT_PR:
            self.section(element)
        elif tag == _ALT_CHUNK:
            self.dropped.imported += 1

    def section(self, sect_pr: etree._Element) -> bool:
        """Note headers and footers; True if this section break starts a new page."""
        if sect_pr.find(f"{_W}headerReference") is not None or sect_pr.find(f"{_W}footerReference") is not None:
            self.dropped.headers_footers = True
        kind = sect_pr.find(f"{_W}type")
        return kind is None or kind.get(_VAL, "nextPage") != "continuous"

    # ----------------------------------------------------------------- tables

    def _rows(self, table: etree._Element) -> Iterator[etree._Element]:
        for child in table:
            if child.tag == _TR:
                yield child
            elif child.tag in (_SDT, _CUSTOM_XML):
                content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
                if content is not None:
                    yield from self._rows(content)

    def _cells(self, row: etree._Element) -> list[etree._Element]:
        cells: list[etree._Element] = []
        for child in row:
            if child.tag == _TC:
                merge = child.find(f"{_W}tcPr/{_W}vMerge")
                if merge is None or merge.get(_VAL) == "restart":
                    cells.append(child)
            elif child.tag in (_SDT, _CUSTOM_XML):
                content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
                if content is not None:
                    cells.extend(self._cells(content))
        return cells

    def table(self, table: etree._Element, fixed: int | None, depth: int) -> Iterator[Line]:
        """A form table gives headings and content lines; any other table one line per row."""
        if depth > _MAX_TABLE_DEPTH:
            raise _TooDeep()
        rows = [self._cells(row) for row in self._rows(table)]
        # Each cell is read once: first cells now (they decide whether this is a form), the others below.
        firsts = [self.cell_text(cells[0], depth) if cells else "" for cells in rows]
        form = all(len(cells) <= 2 for cells in rows) and any(
            len(cells) == 2 and match_heading(first.strip()) is not None for cells, first in zip(rows, firsts, strict=True)
        )
        header = not form and _header_row(self._rows(table), rows, firsts, self, depth)
        for index, (cells, first) in enumerate(zip(rows, firsts, strict=True)):
            if fixed is None:
                self.number += 1
            number = self.number if fixed is None else fixed
            if header and index == 0:
                # « Quand | Quoi »: the column titles of a table inside a section are its layout, not an item.
                texts = [first.strip(), *(self.cell_text(cell, depth).strip() for cell in cells[1:])]
                yield Line(" : ".join(text for text in texts if text), number, Hint.LAYOUT)
                continue
            if form and len(cells) == 2 and match_heading(first.strip()) is not None:
                yield Line(first.strip(), number, Hint.HEADING, 0)
                for child in cells[1]:
                    yield from self.block(child, number, depth)
                continue
            texts = [first.strip(), *(self.cell_text(cell, depth).strip() for cell in cells[1:])]
            joined = " : ".join(text for text in texts if text)
            if joined:
                yield Line(joined, number, Hint.TEXT)

    def header_cells(self, cells: list[etree._Element], depth: int) -> list[str]:
        return [self.cell_text(cell, depth).strip() for cell in cells]

    def cell_text(self, cell: etree._Element, depth: int) -> str:
        """A cell's visible text on one line: its paragraphs' lines and nested tables' rows, joined by spaces."""
        texts: list[str] = []
        for child in cell:
            if child.tag == _TBL:
                if depth + 1 > _MAX_TABLE_DEPTH:
                    raise _TooDeep()
                for row in self._rows(child):
                    cells = (self.cell_text(inner, depth + 1).strip() for inner in self._cells(row))
                    texts.append(" : ".join(text for text in cells if text))
            else:
                texts.extend(
                    line.text.strip() for line in self.block(child, 0, depth) if line.hint not in _NOT_CELL_TEXT
                )
        return " ".join(text for text in texts if text)

    # ----------------------------------------------------------------- paragraphs

    def paragraph(self, p: etree._Element, fixed: int | None) -> Iterator[Line]:
        if fixed is None:
            self.number += 1
        number = self.number if fixed is None else fixed
        if not len(p):
            return
        ppr = p[0] if p[0].tag == _PPR else None
        style_id = num_id = outline = None
        ilvl: int | None = None
        page_break: bool | None = None
        section_break = False
        if ppr is not None:
            for child in ppr:
                tag = child.tag
                if tag == _PSTYLE:
                    style_id = child.get(_VAL)
                elif tag == _NUM_PR:
                    for item in child:
                        if item.tag == _NUM_ID:
                            num_id = item.get(_VAL)
                        elif item.tag == _ILVL:
                            ilvl = _int(item.get(_VAL))
                elif tag == _OUTLINE:
                    outline = _int(child.get(_VAL))
                elif tag == _PAGE_BREAK_BEFORE:
                    page_break = _on(child)
                elif tag == _SECT_PR:
                    section_break = self.section(child)
        style = self.styles.paragraph(style_id)
        para = _Paragraph()
        self.inline(p, para, style.run)
        if page_break if page_break is not None else style.page_break:
            yield Line("", number, Hint.PAGE_BREAK)
        yield from self._lines(para, style, number, num_id, ilvl, outline, style_id)
        if para.layout:
            yield Line("".join(para.layout), number, Hint.LAYOUT)
        if section_break:
            yield Line("", number, Hint.PAGE_BREAK)

    def _lines(self, para: _Paragraph, style: _ParagraphStyle, number: int, num_id: str | None,
               ilvl: int | None, outline: int | None, style_id: str | None) -> Iterator[Line]:  # fmt: skip
        parts = para.parts
        placeholder = False
        last = next((part for part in reversed(parts) if part), None)
        if last is not None:
            placeholder = _strip_placeholder(last)
        texts = [None if part is None else "".join(piece[0] for piece in part) for part in parts]
        if not any(text and text.strip() for text in texts):
            if placeholder:
                yield Line(_NOT_FILLED, number, Hint.LAYOUT)
            else:
                yield from (Line("", number, Hint.PAGE_BREAK) for text in texts if text is None)
            return
        hint, level = self._hint(para, style, num_id, ilvl, outline, style_id, texts)
        first = True
        for text in texts:
            if text is None:
                yield Line("", number, Hint.PAGE_BREAK)
            elif text.strip():
                yield Line(text, number, hint if first or hint is Hint.LAYOUT else Hint.CONTINUATION, level)
                first = False
        if placeholder:
            yield Line(_NOT_FILLED, number, Hint.LAYOUT)

    def _hint(self, para: _Paragraph, style: _ParagraphStyle, num_id: str | None, ilvl: int | None,
              outline: int | None, style_id: str | None, texts: list[str | None]) -> tuple[Hint, int]:  # fmt: skip
        if style.toc or self.toc_parts:
            return Hint.LAYOUT, 0
        if outline is not None and outline < 9:
            return Hint.HEADING, outline + 1
        if outline is None and style.heading is not None:
            return Hint.HEADING, style.heading
        if num_id is None:
            num_id = style.num_id
        if num_id is not None and num_id != "0":
            if ilvl is None:
                ilvl = style.ilvl if style.ilvl is not None else self.numbering.level_of_style(num_id, style_id)
            hint = self.numbering.hint(num_id, ilvl)
            if hint is not None:
                return hint, ilvl
        pieces = [piece for part in para.parts if part for piece in part]
        if sum(len(text) for text in texts if text) <= _MAX_BOLD_HEADING and _all_bold(pieces):
            return Hint.HEADING, 0
        return Hint.TEXT, 0

    # ----------------------------------------------------------------- runs

    def _hidden_by_field(self) -> bool:
        """Inside a field's instruction: not shown."""
        return any(not field.in_result for field in self.fields)

    def _in_layout_field(self) -> bool:
        """Inside a table of contents or a page number: shown, but not the author's text."""
        return any(field.kind != "other" for field in self.fields)

    def inline(self, container: etree._Element, para: _Paragraph, base: _RunFormat) -> None:
        for child in container:
            tag = child.tag
            if tag == _R:
                self.run(child, para, base)
            elif tag in _TRANSPARENT:
                self.inline(child, para, base)
            elif tag == _SDT:
                properties = child.find(_SDT_PR)
                content = child.find(_SDT_CONTENT)
                if properties is not None and properties.find(f"{_W}showingPlcHdr") is not None:
                    self.dropped.prompts += 1
                elif content is not None:
                    self.inline(content, para, base)
            elif tag == _FLD_SIMPLE:
                field = _Field()
                field.in_result, field.kind = True, _field_kind(child.get(f"{_W}instr", ""))
                self.fields.append(field)
                try:
                    self.inline(child, para, base)
                finally:
                    self.fields.pop()
            elif tag in (f"{_M}oMath", f"{_M}oMathPara"):
                self._text(para, "".join(t.text or "" for t in child.iter(f"{_M}t")), base)
            # w:del, w:moveFrom (deleted), bookmarks, comment ranges, proofing marks: nothing shown.

    def _text(self, para: _Paragraph, text: str, fmt: _RunFormat) -> bool:
        """Add visible text; True if it went into the paragraph's content."""
        if not text or self._hidden_by_field():
            return False
        if self._in_layout_field():
            para.layout.append(text)
            return False
        para.current.append((text, bool(fmt.bold), bool(fmt.italic)))
        return True

    def run(self, run: etree._Element, para: _Paragraph, base: _RunFormat) -> None:
        rpr = run[0] if len(run) and run[0].tag == _RPR else None
        fmt = base
        if rpr is not None:
            bold, italic, vanish, style = _run_properties(rpr)
            if style is not None:
                fmt = self.styles.character(style).over(fmt)
            if bold is not None or italic is not None or vanish is not None:
                fmt = _RunFormat(bold, italic, vanish).over(fmt)
        if fmt.vanish:
            self._hidden_run(run)
            return
        joiner = False  # the previous child was a w:t of this run, added, ending with a space
        for child in run:
            tag = child.tag
            if tag == _T:
                text = child.text or ""
                if joiner and text:
                    # fichekit's recueil: each source line its own w:t, joined by a trailing space.
                    last_text, bold, italic = para.current[-1]
                    para.current[-1] = (last_text[:-1], bold, italic)
                    para.line_break()
                joiner = self._text(para, text, fmt) and text.endswith(" ")
                continue
            joiner = False
            if tag in (_TAB, _PTAB):
                self._text(para, "\t", fmt)
            elif tag in (_BR, _CR):
                if not self._hidden_by_field():
                    if child.get(_TYPE) == "page":
                        para.page_break()
                    else:
                        para.line_break()  # text wrapping and column breaks: a new line, same paragraph
            elif tag == _NO_BREAK_HYPHEN:
                self._text(para, "-", fmt)
            elif tag == _SYM:
                code = child.get(_CHAR, "")
                if code and all(c in "0123456789abcdefABCDEF" for c in code) and len(code) <= 6:
                    self._text(para, chr(int(code, 16)), fmt)
            elif tag == _FLD_CHAR:
                self._field_char(child.get(_FLD_CHAR_TYPE))
            elif tag == _INSTR:
                if self.fields and not self.fields[-1].in_result:
                    self.fields[-1].instruction.append(child.text or "")
            elif tag == _COMMENT_REF:
                self.dropped.comments += 1
            elif tag in _NOTE_REFS:
                self.dropped.notes += 1
            elif tag in _SHAPES and next(child.iter(_TEXT_BOX), None) is not None:
                self.dropped.text_boxes += 1
            # w:softHyphen (shown only where Word hyphenates), w:delText, w:lastRenderedPageBreak: nothing.

    def _hidden_run(self, run: etree._Element) -> None:
        """Hidden text is not shown, but a field may begin or end in it."""
        shown = False
        for child in run:
            if child.tag == _FLD_CHAR:
                self._field_char(child.get(_FLD_CHAR_TYPE))
            elif child.tag == _INSTR and self.fields and not self.fields[-1].in_result:
                self.fields[-1].instruction.append(child.text or "")
            elif child.tag == _T and child.text and not self._hidden_by_field():
                shown = True
        self.dropped.hidden += shown

    def _field_char(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append(_Field())
        elif kind == "separate" and self.fields:
            field = self.fields[-1]
            if not field.in_result:
                field.in_result, field.kind = True, _field_kind("".join(field.instruction))
        elif kind == "end" and self.fields:
            self.fields.pop()


_NOT_CELL_TEXT = frozenset({Hint.PAGE_BREAK, Hint.LAYOUT})


class _TooDeep(Exception):
    """Tables nested beyond any real sheet: turned into an InputError naming the file."""


def _all_bold(pieces: list[_Piece]) -> bool:
    """All text in bold runs, except spaces and the colon after a bold label."""
    bold_text = False
    for text, bold, _ in pieces:
        if bold:
            bold_text = bold_text or bool(text.strip())
        elif text.strip(" \t\u00a0\u202f:"):
            return False
    return bold_text


def _strip_placeholder(part: list[_Piece]) -> bool:
    """Remove fichekit's italic « Non renseigné » from the end of ``part`` when it is alone or follows a label's colon."""
    tail = ""
    index = len(part)
    while index > 0 and len(tail.strip()) < len(_NOT_FILLED):
        text, _, italic = part[index - 1]
        if not italic and text.strip():
            return False
        tail = text + tail
        index -= 1
    if tail.strip() != _NOT_FILLED:
        return False
    before = "".join(piece[0] for piece in part[:index]).rstrip(" \t\u00a0\u202f")
    if before and not before.endswith(":"):
        return False
    del part[index:]
    return True


# --------------------------------------------------------------------------- entry point

_BLOCK_TAGS = (_P, _TBL, _SDT, _CUSTOM_XML, _SECT_PR, _ALT_CHUNK)


def _header_row(
    row_elements: Iterator[etree._Element], rows: list[list[etree._Element]], firsts: list[str], reader: _Reader, depth: int
) -> bool:
    """Whether a table's first row holds column titles: marked as a repeated header row in Word,
    or short titles without digits (« Quand | Quoi ») above rows that are not."""
    first_row = next(iter(row_elements), None)
    if len(rows) < 2 or first_row is None:
        return False
    if first_row.find(f"{_W}trPr/{_W}tblHeader") is not None:
        return True
    titles = [firsts[0].strip(), *(t for t in reader.header_cells(rows[0][1:], depth))]
    if len(titles) < 2 or not all(t and len(t.split()) <= 2 and not any(c.isdigit() for c in t) and t[0].isupper() for t in titles):
        return False
    return any(any(c.isdigit() for c in first) or len(first.split()) > 2 for first in firsts[1:])


def docx_lines(data: bytes, name: str, findings: list[Finding]) -> Iterator[Line]:
    """The line stream of a .docx given as bytes (see the module docstring for the rules).

    Lines come as the body is read; the FK107 finding (what was left out) is
    appended to ``findings`` once the stream is exhausted. Raises
    :class:`~fichekit.errors.InputError`, when iteration starts, for anything
    that is not a readable Word document (``.doc``, ``.odt``, corrupt or
    hostile files).
    """
    package = _Package(data, name)
    try:
        definitions = _definitions(package.definition(package.styles), package.definition(package.numbering))
    except _Refused as exc:
        raise InputError(str(exc), path=name) from None
    reader = _Reader(*definitions)
    yield from _body_lines(package, reader)
    message = reader.dropped.message()
    if message is not None:
        findings.append(make_finding(Code.LAYOUT_REMOVED, name, message))


def _body_lines(package: _Package, reader: _Reader) -> Iterator[Line]:
    """Stream the main part: each top-level block is read at its end tag, then freed."""
    part, name = package.main, package.name
    stream = package.open(part)
    context = etree.iterparse(stream, events=("end",), tag=_BLOCK_TAGS, **_PARSER_OPTIONS)
    checked = False
    try:
        for _, element in context:
            if not checked:
                _refuse_doctype(element, part)
                if element.getroottree().getroot().tag != _DOCUMENT:
                    break
                checked = True
            parent = element.getparent()
            if parent is None or parent.tag != _BODY:
                continue
            yield from reader.block(element)
            element.clear()
            while element.getprevious() is not None:
                del parent[0]
        if not checked and context.root is not None:
            _refuse_doctype(context.root, part)
    except _Refused as exc:
        raise InputError(str(exc), path=name) from None
    except etree.XMLSyntaxError as exc:
        raise InputError(str(_xml_refusal(exc, part)), path=name) from None
    except _TooDeep:
        raise InputError(
            f"document Word refusé : tableaux imbriqués sur plus de {_MAX_TABLE_DEPTH} niveaux (§{reader.number + 1})",
            path=name,
        ) from None
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise InputError(f"document Word corrompu ({part} : {exc})", path=name) from None
    finally:
        stream.close()
        package.archive.close()
    if context.root is None or context.root.tag != _DOCUMENT:
        raise InputError("ce fichier n'est pas un document Word .docx (document principal inattendu)", path=name)



def read(source: Source, findings: list[Finding]) -> Iterator[FicheRecord]:
    """The sheets of a Word document: its line stream through the sheet grammar.

    What the document shows but the author did not write (headers, footers,
    page fields, a table of contents, fichekit's « Non renseigné ») is reported
    in one FK107 finding per file.
    """
    local: list[Finding] = []
    yield from iter_records_from_lines(docx_lines(source.read_bytes(), source.name, local), source.name, local)
    findings.extend(merge_layout_findings(local))
