"""The Word "recueil": every sheet of a collection in one .docx a network can send.

Layout:

- a title page (title, date in French, number of sheets and themes, the themes);
- « Sommaire »: a real Word TOC field (levels 1-2: themes and sheets). Its
  result is pre-filled with the theme and sheet titles, as hyperlinks to their
  headings but without page numbers, followed by a short French hint; Word
  offers to update fields on opening (``w:updateFields``) and then adds the
  numbers. Level 3 (the 13 rubriques) is left out on purpose: the same 13
  titles under every sheet would make the sommaire 13 times longer and no
  more useful;
- one Heading 1 per theme, grouped by first appearance (« Sans thème » for
  sheets without one), starting a new page; the theme number, when the sheet
  had one, is a small label above it;
- each sheet on its own page: Heading 2 = structures with their départements,
  then « Projet : … » and « Localisation : … » as bold-label lines, the text
  found under no heading (« Hors rubrique », so nothing is lost), then the
  other 12 rubriques as Heading 3 under their canonical titles.

Empty rubriques keep their heading followed by a discreet grey italic
« Non renseigné »: the rubriques form a fixed grid that readers compare from
one sheet to the next, and an empty one is information.

Items: « puce » → List Bullet, « numero » → List Number (numbering restarts
at 1 for every list: one ``w:num`` per list with a ``w:startOverride``),
« paragraphe » → Normal. An item's original lines, joined by "\\n", become
line breaks inside one paragraph. Characters XML cannot hold are removed and
reported as findings (FK105), never a crash.

The body is built with lxml directly, not through python-docx's convenience
calls (whose style and numbering look-ups scan the document, quadratic over a
large collection): the writer runs in linear time and reads its input once.
A user's template (``options.template``) supplies styles, page setup, header
and footer; it is checked (size, zip structure, DOCTYPE, required styles)
before use and every problem is a :class:`~fichekit.errors.TemplateError`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.parts.numbering import NumberingPart
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm
from lxml import etree

from ..errors import TemplateError
from ..findings import DEFAULT_SEVERITY, Code, Finding
from ..headings import HEADING_BY_KEY
from ..model import Fiche, Item, ItemType
from . import NO_STRUCTURE, NO_THEME, Format, WriterOptions

__all__ = ["DocxWriter", "WRITERS", "MAX_TEMPLATE_BYTES", "french_date"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_VAL = f"{_W}val"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
"""Cap on a template's total uncompressed size (and on its file size): beyond, it is refused."""
_MAX_TEMPLATE_MEMBERS = 5_000

# XML 1.0 forbids C0 controls except tab, LF and CR, the non-characters
# U+FFFE/U+FFFF and lone surrogates (which can come from JSON input).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BREAKS = re.compile(r"(\r\n|[\n\r\t])")

_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

TOC_INSTRUCTION = ' TOC \\o "1-2" \\h \\z \\u '
NOT_FILLED = "Non renseigné"
OUT_OF_SECTION = "Hors rubrique"
TOC_HINT = (
    "Numéros de page : dans Word, clic droit sur le sommaire › Mettre à jour les champs ; "
    "dans LibreOffice, Outils › Mettre à jour › Tout mettre à jour."
)
_GREY = "767676"
_DARK_BLUE = "1F3864"
_BLUE = "2E75B6"


def french_date(day: dt.date) -> str:
    """``25 novembre 2026``; the first of the month is written ``1er``."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {_MONTHS[day.month - 1]} {day.year}"


def _plural(count: int, word: str) -> str:
    """French agreement: 0 and 1 are singular."""
    return f"{count} {word}{'s' if count > 1 else ''}"


def structures_heading(fiche: Fiche) -> str:
    """The sheet's Heading 2: ``Civam Le Serpolet (39) et Active (BFC)``."""
    return fiche.structures_heading() or NO_STRUCTURE


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True, slots=True)
class _StyleNeed:
    name: str
    """Name as Word stores it in English (compared without case)."""
    french: str
    """Name a French Word shows, for the error message."""


_REQUIRED_STYLES: dict[str, _StyleNeed] = {
    "normal": _StyleNeed("Normal", "Normal"),
    "title": _StyleNeed("Title", "Titre"),
    "h1": _StyleNeed("Heading 1", "Titre 1"),
    "h2": _StyleNeed("Heading 2", "Titre 2"),
    "h3": _StyleNeed("Heading 3", "Titre 3"),
    "bullet": _StyleNeed("List Bullet", "Liste à puces"),
    "number": _StyleNeed("List Number", "Liste numéros"),
}
"""Styles a template must define: they carry the recueil's look."""

_SUPPLIED_STYLES: dict[str, tuple[str, str, str]] = {
    "subtitle": ("Subtitle", "normal", '<w:rPr><w:color w:val="595959"/><w:sz w:val="28"/></w:rPr>'),
    "toc_heading": ("TOC Heading", "h1", '<w:pPr><w:outlineLvl w:val="9"/></w:pPr>'),
    "toc1": ("toc 1", "normal", '<w:pPr><w:spacing w:before="120" w:after="40"/></w:pPr><w:rPr><w:b/></w:rPr>'),
    "toc2": ("toc 2", "normal", '<w:pPr><w:spacing w:after="40"/><w:ind w:left="284"/></w:pPr>'),
}
"""Styles fichekit adds to a template that lacks them, as Word itself does for
TOC styles: (name, based on, properties)."""

# fichekit's own look, used when no template is given: replaces the matching
# styles of python-docx's default template (A4 page set separately).
_HOUSE_DEFAULTS = (
    '<w:docDefaults xmlns:w="{ns}"><w:rPrDefault><w:rPr>'
    '<w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/>'
    '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="fr-FR" w:eastAsia="en-US" w:bidi="ar-SA"/>'
    "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
    '<w:spacing w:after="100" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
)
_HOUSE_STYLES: dict[str, str] = {
    "Title": (
        '<w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="10"/>'
        '<w:qFormat/><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="12" w:color="2E75B6"/>'
        '</w:pBdr><w:spacing w:before="3400" w:after="480" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:color w:val="1F3864"/><w:kern w:val="28"/><w:sz w:val="60"/><w:szCs w:val="60"/></w:rPr>'
    ),
    "Subtitle": (
        '<w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="11"/>'
        '<w:qFormat/><w:pPr><w:spacing w:after="80"/></w:pPr>'
        '<w:rPr><w:color w:val="404040"/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr>'
    ),
    "Heading1": (
        '<w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/>'
        '<w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="0" w:after="360" w:line="240" '
        'w:lineRule="auto"/><w:outlineLvl w:val="0"/></w:pPr>'
        '<w:rPr><w:b/><w:bCs/><w:color w:val="1F3864"/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr>'
    ),
    "Heading2": (
        '<w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/>'
        '<w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>'
        '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="4" w:color="2E75B6"/></w:pBdr>'
        '<w:spacing w:before="120" w:after="160" w:line="240" w:lineRule="auto"/><w:outlineLvl w:val="1"/></w:pPr>'
        '<w:rPr><w:b/><w:bCs/><w:color w:val="2E75B6"/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr>'
    ),
    "Heading3": (
        '<w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/>'
        '<w:unhideWhenUsed/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>'
        '<w:spacing w:before="220" w:after="60"/><w:outlineLvl w:val="2"/></w:pPr>'
        '<w:rPr><w:b/><w:bCs/><w:color w:val="1F3864"/><w:sz w:val="23"/><w:szCs w:val="23"/></w:rPr>'
    ),
    "ListBullet": (
        '<w:name w:val="List Bullet"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="60"/></w:pPr>'
    ),
    "ListNumber": (
        '<w:name w:val="List Number"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:pPr><w:numPr><w:numId w:val="5"/></w:numPr><w:spacing w:after="60"/></w:pPr>'
    ),
    "TOCHeading": (
        '<w:name w:val="TOC Heading"/><w:basedOn w:val="Heading1"/><w:next w:val="Normal"/>'
        '<w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:qFormat/><w:pPr><w:outlineLvl w:val="9"/></w:pPr>'
    ),
    "TOC1": (
        '<w:name w:val="toc 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>'
        '<w:unhideWhenUsed/><w:pPr><w:keepNext/><w:spacing w:before="200" w:after="60"/></w:pPr>'
        '<w:rPr><w:b/><w:bCs/><w:color w:val="1F3864"/></w:rPr>'
    ),
    "TOC2": (
        '<w:name w:val="toc 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>'
        '<w:unhideWhenUsed/><w:pPr><w:spacing w:after="40"/><w:ind w:left="340"/></w:pPr>'
    ),
}
# The default template's two list definitions (bullets: abstractNum 8, numbers: 7):
# indent the marker a little and leave room for two-digit numbers.
_HOUSE_LIST_INDENT = {"8": ("454", "284"), "7": ("454", "340")}


def _xml(fragment: str) -> etree._Element:
    return etree.fromstring(fragment.replace("{ns}", W_NS))


def _style_element(style_id: str, inner: str) -> etree._Element:
    return _xml(f'<w:style xmlns:w="{{ns}}" w:type="paragraph" w:styleId="{style_id}">{inner}</w:style>')


def _apply_house_style(document: Document) -> None:
    """fichekit's look on python-docx's default template: A4, Calibri, blue headings, footer page numbers."""
    styles = document.styles.element
    defaults = styles.find(f"{_W}docDefaults")
    if defaults is not None:
        defaults.getparent().replace(defaults, _xml(_HOUSE_DEFAULTS))
    by_id = {s.get(f"{_W}styleId"): s for s in styles.iterfind(f"{_W}style")}
    for style_id, inner in _HOUSE_STYLES.items():
        new = _style_element(style_id, inner)
        if style_id in by_id:
            styles.replace(by_id[style_id], new)
        else:
            styles.append(new)
    numbering = document.part.numbering_part.element
    for abstract in numbering.iterfind(f"{_W}abstractNum"):
        indent = _HOUSE_LIST_INDENT.get(abstract.get(f"{_W}abstractNumId", ""))
        if indent is None:
            continue
        for ind in abstract.iter(f"{_W}ind"):
            ind.set(f"{_W}left", indent[0])
            ind.set(f"{_W}hanging", indent[1])
        for tab in abstract.iter(f"{_W}tab"):
            tab.set(f"{_W}pos", indent[0])

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.4)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.2)
    section.different_first_page_header_footer = True
    section.first_page_footer.is_linked_to_previous = False
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer._p, " PAGE ", "1", _run_properties(size=18, color=_GREY))


_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _drop_stale_parts(document: Document) -> None:
    """Drop the preview image and Word 2010's copy of the styles: both show the template, not the recueil.

    Parts nothing relates to any more are not saved.
    """
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rel_id]
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            document.part.drop_rel(rel_id)


# --------------------------------------------------------------------------- low-level XML


def _run_properties(*, bold: bool = False, italic: bool = False, small_caps: bool = False,
                    color: str | None = None, size: int | None = None, spacing: int | None = None) -> etree._Element | None:  # fmt: skip
    """A ``w:rPr`` in schema order, or None when nothing is set."""
    if not (bold or italic or small_caps or color or size or spacing):
        return None
    rpr = etree.Element(f"{_W}rPr")
    if bold:
        etree.SubElement(rpr, f"{_W}b")
    if italic:
        etree.SubElement(rpr, f"{_W}i")
    if small_caps:
        etree.SubElement(rpr, f"{_W}smallCaps")
    if color:
        etree.SubElement(rpr, f"{_W}color").set(_VAL, color)
    if spacing:
        etree.SubElement(rpr, f"{_W}spacing").set(_VAL, str(spacing))
    if size:
        etree.SubElement(rpr, f"{_W}sz").set(_VAL, str(size))
    return rpr


def _paragraph(parent: etree._Element, style_id: str, *, page_break: bool = False, keep_next: bool = False,
               num_id: str | None = None, ilvl: str = "0") -> etree._Element:  # fmt: skip
    """An empty ``w:p`` of ``style_id`` appended to ``parent`` (pPr children in schema order)."""
    p = etree.SubElement(parent, f"{_W}p")
    ppr = etree.SubElement(p, f"{_W}pPr")
    etree.SubElement(ppr, f"{_W}pStyle").set(_VAL, style_id)
    if keep_next:
        etree.SubElement(ppr, f"{_W}keepNext")
    if page_break:
        etree.SubElement(ppr, f"{_W}pageBreakBefore")
    if num_id is not None:
        num_pr = etree.SubElement(ppr, f"{_W}numPr")
        etree.SubElement(num_pr, f"{_W}ilvl").set(_VAL, ilvl)
        etree.SubElement(num_pr, f"{_W}numId").set(_VAL, num_id)
    return p


def _text_run(parent: etree._Element, text: str, rpr: etree._Element | None = None) -> None:
    """A run holding ``text``: line breaks become ``w:br``, tabs ``w:tab``; ``rpr`` is moved into it."""
    run = etree.SubElement(parent, f"{_W}r")
    if rpr is not None:
        run.append(rpr)
    pieces = _BREAKS.split(text) if ("\n" in text or "\t" in text or "\r" in text) else (text,)
    for piece in pieces:
        if piece == "\t":
            etree.SubElement(run, f"{_W}tab")
        elif piece in ("\n", "\r", "\r\n"):
            etree.SubElement(run, f"{_W}br")
        elif piece:
            t = etree.SubElement(run, f"{_W}t")
            t.text = piece
            if piece[0].isspace() or piece[-1].isspace():
                t.set(_XML_SPACE, "preserve")


def _field_char(parent: etree._Element, kind: str, *, dirty: bool = False) -> None:
    """``dirty`` marks a field whose stored result is known to be stale (Word recomputes it)."""
    run = etree.SubElement(parent, f"{_W}r")
    char = etree.SubElement(run, f"{_W}fldChar")
    char.set(f"{_W}fldCharType", kind)
    if dirty:
        char.set(f"{_W}dirty", "true")


def _instruction(parent: etree._Element, instruction: str) -> None:
    run = etree.SubElement(parent, f"{_W}r")
    instr = etree.SubElement(run, f"{_W}instrText")
    instr.text = instruction
    instr.set(_XML_SPACE, "preserve")


def _field(parent: etree._Element, instruction: str, result: str, rpr: etree._Element | None) -> None:
    """A complete simple field (begin, instruction, separate, result, end) inside one paragraph."""
    _field_char(parent, "begin")
    _instruction(parent, instruction)
    _field_char(parent, "separate")
    _text_run(parent, result, rpr)
    _field_char(parent, "end")


def _bookmark_name(number: int) -> str:
    # "_Toc" names are hidden from Word's bookmark list, like the ones Word makes for its TOC.
    return f"_Toc{100_000_000 + number}"


def _bookmark(paragraph: etree._Element, number: int) -> None:
    """Bookmark a whole heading paragraph, the target of a sommaire hyperlink."""
    start = etree.Element(f"{_W}bookmarkStart")
    start.set(f"{_W}id", str(number))
    start.set(f"{_W}name", _bookmark_name(number))
    paragraph.insert(1, start)  # after the pPr
    etree.SubElement(paragraph, f"{_W}bookmarkEnd").set(f"{_W}id", str(number))


# --------------------------------------------------------------------------- template


def _check_template_zip(path: Path, data: bytes) -> bool:
    """Validate the zip without trusting it; True if it is a .dotx (template content type).

    Each member is decompressed in small chunks, so a lying size or a zip bomb
    stops at the declared size (CRC error) or at the cap: memory and time stay
    bounded. XML parts with a DOCTYPE are refused: Word never writes one, and
    entity declarations are how XML bombs and external-entity reads work.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise TemplateError("le modèle n'est pas un fichier Word .docx (archive zip illisible)", path=path) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > _MAX_TEMPLATE_MEMBERS:
            raise TemplateError(f"le modèle contient trop de fichiers internes ({len(infos)})", path=path)
        declared = sum(info.file_size for info in infos)
        if declared > MAX_TEMPLATE_BYTES:
            raise TemplateError(
                f"le modèle est trop gros une fois décompressé ({declared // 1_048_576} Mo, "
                f"maximum {MAX_TEMPLATE_BYTES // 1_048_576} Mo) : archive suspecte (bombe zip ?)",
                path=path,
            )
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise TemplateError("le modèle n'est pas un fichier Word .docx (document principal absent)", path=path)
        markers = [b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be")]
        content_types = b""
        try:
            for info in infos:
                is_xml = info.filename.endswith((".xml", ".rels"))
                tail = b""
                with archive.open(info) as member:
                    while chunk := member.read(65_536):
                        if is_xml and any(marker in tail + chunk for marker in markers):
                            raise TemplateError(
                                f"le modèle contient une déclaration DOCTYPE ({info.filename}) : "
                                "refusé par sécurité (entités XML)",
                                path=path,
                            )
                        tail = chunk[-20:]
                        if info.filename == "[Content_Types].xml":
                            content_types += chunk
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
            raise TemplateError(f"le modèle est une archive corrompue ({exc})", path=path) from None
    if b"ms-word.document.macroEnabled" in content_types or b"ms-word.template.macroEnabledTemplate" in content_types:
        raise TemplateError("les modèles avec macros (.docm, .dotm) ne sont pas pris en charge : enregistrez-le en .docx", path=path)
    return b"wordprocessingml.template.main+xml" in content_types


def _as_document_package(data: bytes) -> bytes:
    """A .dotx repackaged as a .docx: only its main part's content type differs."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(
                    b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml"
                )
            target.writestr(info, blob)
    return out.getvalue()


def _open_template(path: Path) -> Document:
    """Open a user's template safely, or raise TemplateError with a French message."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise TemplateError("le modèle n'est pas un fichier", path=path)
        if size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"le modèle est trop gros (plus de {MAX_TEMPLATE_BYTES // 1_048_576} Mo)", path=path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise TemplateError("modèle introuvable", path=path) from None
    except OSError as exc:
        raise TemplateError(f"modèle illisible ({exc.strerror or exc})", path=path) from None
    if _check_template_zip(path, data):
        data = _as_document_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError:  # python-docx: the main part is not a Word document's
        raise TemplateError("le modèle n'est pas un document Word (type de contenu inattendu)", path=path) from None
    except etree.LxmlError as exc:
        detail = str(exc).splitlines()[0][:160]
        raise TemplateError(f"le modèle n'est pas un document Word utilisable (XML invalide : {detail})", path=path) from None
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile) as exc:
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise TemplateError(f"le modèle n'est pas un document Word utilisable ({detail})", path=path) from None
    if document.element.tag != f"{_W}document" or document.element.find(f"{_W}body") is None:
        raise TemplateError("le modèle n'est pas un document Word utilisable (corps du document absent)", path=path)
    return document


def _clear_body(document: Document) -> etree._Element | None:
    """Remove the body's content; return its final sectPr (page setup, header and footer), detached."""
    body = document.element.body
    last = body[-1] if len(body) else None
    section = last if last is not None and last.tag == f"{_W}sectPr" else None
    for child in list(body):
        body.remove(child)
    return section


class _Styles:
    """Style ids by role, resolved once: paragraphs then refer to ids directly."""

    def __init__(self, document: Document, template: Path | None) -> None:
        self.element = document.styles.element
        ids: dict[str, str] = {}
        taken: set[str] = set()
        for style in self.element.iterfind(f"{_W}style"):
            name = style.find(f"{_W}name")
            taken.add(style.get(f"{_W}styleId") or "")
            if style.get(f"{_W}type") == "paragraph" and name is not None:
                ids.setdefault((name.get(_VAL) or "").casefold(), style.get(f"{_W}styleId") or "")
        self.ids: dict[str, str] = {}
        for role, need in _REQUIRED_STYLES.items():
            style_id = ids.get(need.name.casefold())
            if not style_id:
                raise TemplateError(
                    f"le style « {need.name} » (« {need.french} » dans Word en français) manque dans le modèle : "
                    "ajoutez-le (appliquez-le une fois à un paragraphe puis enregistrez) et réessayez",
                    path=template,
                )
            self.ids[role] = style_id
        for role, (name, based_on, properties) in _SUPPLIED_STYLES.items():
            style_id = ids.get(name.casefold())
            if not style_id:
                style_id = name.replace(" ", "").upper() if name.startswith("toc") else name.replace(" ", "")
                while style_id in taken:  # a character or table style may already use that id
                    style_id += "Fichekit"
                taken.add(style_id)
                self.element.append(
                    _style_element(
                        style_id,
                        f'<w:name w:val="{name}"/><w:basedOn w:val="{self.ids[based_on]}"/>'
                        f'<w:next w:val="{self.ids["normal"]}"/><w:uiPriority w:val="39"/>{properties}',
                    )
                )
            self.ids[role] = style_id

    def numbering_of(self, style_id: str) -> tuple[str, str] | None:
        """``(numId, ilvl)`` a paragraph style (or one it is based on) numbers with."""
        by_id = {s.get(f"{_W}styleId"): s for s in self.element.iterfind(f"{_W}style")}
        seen: set[str] = set()
        current: str | None = style_id
        while current and current not in seen and current in by_id:
            seen.add(current)
            style = by_id[current]
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                num_id = num_pr.find(f"{_W}numId")
                ilvl = num_pr.find(f"{_W}ilvl")
                if num_id is not None:
                    return num_id.get(_VAL, ""), ilvl.get(_VAL, "0") if ilvl is not None else "0"
            based = style.find(f"{_W}basedOn")
            current = based.get(_VAL) if based is not None else None
        return None


_EMPTY_NUMBERING = f'<w:numbering xmlns:w="{W_NS}"/>'
_FALLBACK_ABSTRACT = (
    '<w:abstractNum xmlns:w="{ns}" w:abstractNumId="{id}"><w:nsid w:val="{nsid}"/>'
    '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="454" w:hanging="340"/></w:pPr>'
    "</w:lvl></w:abstractNum>"
)


class _Numbering:
    """Numbered lists that each restart at 1, tracked without searching the document."""

    def __init__(self, document: Document, styles: _Styles) -> None:
        part = self._numbering_part(document)
        self.root = part.element
        nums = {n.get(f"{_W}numId"): n for n in self.root.iterfind(f"{_W}num")}
        abstract_ids = [a.get(f"{_W}abstractNumId") or "" for a in self.root.iterfind(f"{_W}abstractNum")]
        self.next_id = max((int(n) for n in nums if n and n.isdigit()), default=0) + 1
        self.anchor = self.root.find(f"{_W}numIdMacAtCleanup")
        self.abstract_id: str | None = None
        self.ilvl = "0"
        style_numbering = styles.numbering_of(styles.ids["number"])
        if style_numbering is not None and style_numbering[0] in nums:
            abstract = nums[style_numbering[0]].find(f"{_W}abstractNumId")
            if abstract is not None:
                self.abstract_id, self.ilvl = abstract.get(_VAL), style_numbering[1]
        if self.abstract_id is None:
            # The template's List Number style is not numbered: give it plain "1." numbering.
            self.abstract_id = str(max((int(a) for a in abstract_ids if a.isdigit()), default=-1) + 1)
            element = _xml(_FALLBACK_ABSTRACT.replace("{id}", self.abstract_id).replace("{nsid}", "5F1C4B01"))
            first_num = self.root.find(f"{_W}num")
            if first_num is not None:
                first_num.addprevious(element)
            elif self.anchor is not None:
                self.anchor.addprevious(element)
            else:
                self.root.append(element)

    @staticmethod
    def _numbering_part(document: Document) -> NumberingPart:
        part = document.part
        try:
            return part.part_related_by(RT.NUMBERING)  # type: ignore[return-value]
        except KeyError:
            partname = PackURI("/word/numbering.xml")
            if any(p.partname == partname for p in part.package.iter_parts()):
                partname = part.package.next_partname("/word/numbering%d.xml")
            numbering = NumberingPart(partname, CT.WML_NUMBERING, _xml(_EMPTY_NUMBERING), part.package)
            part.relate_to(numbering, RT.NUMBERING)
            return numbering

    def new_list(self) -> str:
        """A new ``w:num`` on the List Number definition, restarting at 1; returns its id."""
        num_id = str(self.next_id)
        self.next_id += 1
        num = etree.Element(f"{_W}num")
        num.set(f"{_W}numId", num_id)
        etree.SubElement(num, f"{_W}abstractNumId").set(_VAL, self.abstract_id or "0")
        override = etree.SubElement(num, f"{_W}lvlOverride")
        override.set(f"{_W}ilvl", self.ilvl)
        etree.SubElement(override, f"{_W}startOverride").set(_VAL, "1")
        if self.anchor is not None:
            self.anchor.addprevious(num)
        else:
            self.root.append(num)
        return num_id


# --------------------------------------------------------------------------- the writer


@dataclass(slots=True)
class _Theme:
    """One theme group: its sheets' paragraphs are built in ``container`` as they stream in."""

    title: str
    number: int | None
    bookmark: int
    container: etree._Element
    sheets: list[tuple[str, int]] = field(default_factory=list)
    """(Heading 2 text, bookmark number) of each sheet, for the sommaire."""


class _Cleaner:
    """Removes characters XML cannot hold, noting where, for one finding per sheet and place."""

    def __init__(self) -> None:
        self.removed: dict[tuple[str, int | None], set[str]] = {}

    def __call__(self, text: str, place: str, line: int | None) -> str:
        if _FORBIDDEN.search(text) is None:
            return text
        self.removed.setdefault((place, line), set()).update(_FORBIDDEN.findall(text))
        return _FORBIDDEN.sub("", text)

    def findings(self, file: str, subject: str) -> Iterator[Finding]:
        """One finding per place where something was removed since the last call."""
        for (place, line), chars in self.removed.items():
            codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(chars))
            yield Finding(
                code=Code.CONTROL_CHARACTERS,
                severity=DEFAULT_SEVERITY[Code.CONTROL_CHARACTERS],
                file=file,
                line=line,
                message=(
                    f"caractères de contrôle retirés du recueil Word ({codes}) : {subject}, {place} ; "
                    "corrigez le texte source si ces caractères avaient un sens"
                ),
            )
        self.removed.clear()


def _theme_key(theme: str | None) -> str | None:
    """Themes differing only by spacing (no-break spaces before « ? ») or case are one group."""
    return " ".join(theme.split()).casefold() if theme is not None else None


class DocxWriter:
    """The Word recueil (see the module docstring for its layout)."""

    def __init__(self, options: WriterOptions) -> None:
        self.options = options

    def write(self, fiches: Iterable[Fiche], out: BinaryIO) -> None:
        template = self.options.template
        document = _open_template(template) if template is not None else docx.Document()
        if template is None:
            _apply_house_style(document)
        recueil = _Recueil(document, self.options)
        for fiche in fiches:
            recueil.add_sheet(fiche)
        recueil.finish()
        document.save(out)


class _Recueil:
    """One document being built: sheets stream in, the front matter is written once all are known."""

    def __init__(self, document: Document, options: WriterOptions) -> None:
        self.document = document
        self.options = options
        self.section = _clear_body(document)
        styles = _Styles(document, options.template)
        self._ids = styles.ids
        self._numbering = _Numbering(document, styles)
        # Labels take fichekit's colours only in fichekit's own look: a template's colours rule otherwise.
        self._dark = _DARK_BLUE if options.template is None else None
        self._light = _BLUE if options.template is None else None
        self._cleaner = _Cleaner()
        self._themes: dict[str | None, _Theme] = {}
        self._bookmarks = 0
        self._count = 0

    def finish(self) -> None:
        """Title page, sommaire and the theme groups in order of first appearance; document settings."""
        document = self.document
        body = document.element.body
        themes = list(self._themes.values())
        title = self._clean_option(self.options.title)
        self._title_page(body, title, themes)
        self._sommaire(body, themes)
        for theme in themes:
            self._theme_heading(body, theme)
            body.extend(list(theme.container))
        if self.section is not None:
            body.append(self.section)
        _set_language(document)
        _set_update_fields(document)
        _set_core_properties(document, title, self._count)
        _drop_stale_parts(document)

    # ----------------------------------------------------------------- sheets

    def _clean_option(self, text: str) -> str:
        cleaned = self._cleaner(text, "titre", None)
        self.options.findings.extend(self._cleaner.findings("--title", "recueil"))
        return cleaned

    def add_sheet(self, fiche: Fiche) -> None:
        """Build one sheet's paragraphs at the end of its theme's group."""
        self._count += 1
        clean = self._cleaner
        source = fiche.source
        first_line = source.line if source is not None else None
        theme_text = clean(fiche.theme, "thème", first_line) if fiche.theme and fiche.theme.strip() else None
        key = _theme_key(theme_text)
        theme = self._themes.get(key)
        if theme is None:
            container = etree.Element(f"{_W}body", nsmap={"w": W_NS})
            self._bookmarks += 1
            theme = self._themes[key] = _Theme(
                theme_text if theme_text is not None else NO_THEME, fiche.theme_number, self._bookmarks, container
            )
        elif theme.number is None:
            theme.number = fiche.theme_number
        parent = theme.container
        ids = self._ids

        label = clean(structures_heading(fiche), "structures", first_line)
        heading = _paragraph(parent, ids["h2"], page_break=bool(theme.sheets))
        _text_run(heading, label)
        self._bookmarks += 1
        _bookmark(heading, self._bookmarks)
        theme.sheets.append((label, self._bookmarks))

        def line_of(key: str) -> int | None:
            if source is None:
                return None
            return source.rubriques.get(key, [source.line])[0]

        if fiche.projet is not None:
            self._labelled(parent, "Projet", [clean(fiche.projet, "projet", first_line)])
        localisation = HEADING_BY_KEY["localisation"].title
        place = f"rubrique « {localisation} »"
        self._labelled(
            parent, localisation, [clean(item.texte, place, line_of("localisation")) for item in fiche.localisation]
        )
        if fiche.hors_rubrique:
            _text_run(_paragraph(parent, ids["h3"]), OUT_OF_SECTION)
            self._items(parent, fiche.hors_rubrique, "texte hors rubrique", first_line)
        for section_key, items in fiche.sections():
            if section_key == "localisation":
                continue
            title = HEADING_BY_KEY[section_key].title
            _text_run(_paragraph(parent, ids["h3"]), title)
            if items:
                self._items(parent, items, f"rubrique « {title} »", line_of(section_key))
            else:
                _text_run(_paragraph(parent, ids["normal"]), NOT_FILLED, _run_properties(italic=True, color=_GREY))

        file = source.file if source is not None else "<entrée>"
        sheet = fiche.structures_label() or f"n° {self._count}"
        self.options.findings.extend(clean.findings(file, f"fiche « {sheet} »"))

    def _labelled(self, parent: etree._Element, label: str, lines: list[str]) -> None:
        """``Label : text`` with a bold label; several lines stay separate lines."""
        p = _paragraph(parent, self._ids["normal"])
        _text_run(p, f"{label} : ", _run_properties(bold=True, color=self._dark))
        if lines:
            _text_run(p, "\n".join(lines))
        else:
            _text_run(p, NOT_FILLED, _run_properties(italic=True, color=_GREY))

    def _items(self, parent: etree._Element, items: list[Item], place: str, line: int | None) -> None:
        ids = self._ids
        num_id: str | None = None
        for item in items:
            text = self._cleaner(item.texte, place, line)
            if item.type is ItemType.NUMERO:
                if num_id is None:
                    num_id = self._numbering.new_list()
                p = _paragraph(parent, ids["number"], num_id=num_id, ilvl=self._numbering.ilvl)
            else:
                num_id = None
                p = _paragraph(parent, ids["bullet" if item.type is ItemType.PUCE else "normal"])
            _text_run(p, text)

    # ----------------------------------------------------------------- front matter

    def _title_page(self, body: etree._Element, title: str, themes: list[_Theme]) -> None:
        ids = self._ids
        _text_run(_paragraph(body, ids["title"]), title)
        day = self.options.date or dt.date.today()
        _text_run(_paragraph(body, ids["subtitle"]), french_date(day))
        _text_run(_paragraph(body, ids["subtitle"]), f"{_plural(self._count, 'fiche')} · {_plural(len(themes), 'thème')}")
        if not themes:
            return
        intro = _paragraph(body, ids["normal"], keep_next=True)
        spacing = etree.SubElement(intro[0], f"{_W}spacing")
        spacing.set(f"{_W}before", "720")
        _text_run(intro, "Thèmes abordés", _run_properties(bold=True, small_caps=True, color=self._dark, size=24))
        for theme in themes:
            _text_run(_paragraph(body, ids["bullet"]), f"{theme.title} ({_plural(len(theme.sheets), 'fiche')})")

    def _sommaire(self, body: etree._Element, themes: list[_Theme]) -> None:
        ids = self._ids
        _text_run(_paragraph(body, ids["toc_heading"], page_break=True), "Sommaire")
        entries: list[tuple[str, str, int]] = []
        for theme in themes:
            entries.append((ids["toc1"], theme.title, theme.bookmark))
            entries.extend((ids["toc2"], text, mark) for text, mark in theme.sheets)
        started = False
        for style_id, text, anchor in entries:
            p = _paragraph(body, style_id)
            if not started:
                self._begin_toc(p)
                started = True
            link = etree.SubElement(p, f"{_W}hyperlink")
            link.set(f"{_W}anchor", _bookmark_name(anchor))
            link.set(f"{_W}history", "1")
            _text_run(link, text)
        hint = _paragraph(body, ids["normal"])
        if not started:
            self._begin_toc(hint)
        spacing = etree.SubElement(hint[0], f"{_W}spacing")
        spacing.set(f"{_W}before", "360")
        message = TOC_HINT if entries else "Aucune fiche dans ce recueil."
        _text_run(hint, message, _run_properties(italic=True, color=_GREY, size=18))
        _field_char(hint, "end")

    @staticmethod
    def _begin_toc(paragraph: etree._Element) -> None:
        _field_char(paragraph, "begin", dirty=True)
        _instruction(paragraph, TOC_INSTRUCTION)
        _field_char(paragraph, "separate")

    def _theme_heading(self, body: etree._Element, theme: _Theme) -> None:
        ids = self._ids
        if theme.number is not None:
            label = _paragraph(body, ids["normal"], page_break=True, keep_next=True)
            _text_run(label, f"Thème n° {theme.number}", _run_properties(bold=True, small_caps=True, color=self._light, spacing=20))
        heading = _paragraph(body, ids["h1"], page_break=theme.number is None)
        _text_run(heading, theme.title)
        _bookmark(heading, theme.bookmark)


# --------------------------------------------------------------------------- document settings


def _set_language(document: Document) -> None:
    """French for spelling and hyphenation: ``w:lang`` in the document defaults."""
    styles = document.styles.element
    defaults = styles.find(f"{_W}docDefaults")
    if defaults is None:
        defaults = etree.Element(f"{_W}docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(f"{_W}rPrDefault")
    if rpr_default is None:
        rpr_default = etree.Element(f"{_W}rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(f"{_W}rPr")
    if rpr is None:
        rpr = etree.SubElement(rpr_default, f"{_W}rPr")
    _child_in_schema_order(rpr, f"{_W}lang", _AFTER_LANG).set(_VAL, "fr-FR")


def _child_in_schema_order(parent: etree._Element, tag: str, followers: set[str]) -> etree._Element:
    """``parent``'s ``tag`` child, created before the first of ``followers`` when missing (Word checks the order)."""
    child = parent.find(tag)
    if child is None:
        child = etree.Element(tag)
        successor = next((c for c in parent if c.tag in followers), None)
        if successor is not None:
            successor.addprevious(child)
        else:
            parent.append(child)
    return child


_AFTER_LANG = {f"{_W}eastAsianLayout", f"{_W}specVanish", f"{_W}oMath"}

# Elements that follow w:updateFields in CT_Settings, in schema order (Word is strict about it).
_AFTER_UPDATE_FIELDS = {
    f"{_W}{name}"
    for name in (
        "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "attachedSchema",
        "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
        "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "shapeDefaults",
        "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
    )
} | {
    "{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr",
    "{http://schemas.openxmlformats.org/schemaLibrary/2006/main}schemaLibrary",
}  # fmt: skip


def _set_update_fields(document: Document) -> None:
    """Ask Word to update fields on opening, so the sommaire gets its page numbers."""
    _child_in_schema_order(document.settings.element, f"{_W}updateFields", _AFTER_UPDATE_FIELDS).set(_VAL, "true")


def _set_core_properties(document: Document, title: str, count: int) -> None:
    """Title, subject and author of the file; a template's own properties are not carried over."""
    properties = document.core_properties
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    properties.title = title
    properties.subject = "Fiches d'expérience"
    properties.author = "fichekit"
    properties.last_modified_by = "fichekit"
    properties.comments = _plural(count, "fiche")
    properties.keywords = "fiches d'expérience"
    properties.category = ""
    properties.language = "fr-FR"
    properties.created = now
    properties.modified = now
    properties.revision = 1


WRITERS = {Format.DOCX: DocxWriter}
