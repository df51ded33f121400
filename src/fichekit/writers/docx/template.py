"""A user's Word template (``--template``): what may come from it, and nothing else.

The recueil is always built on the house-style document. From a template,
only these are copied in, each parsed and re-serialised by fichekit:

- ``styles.xml``, ``numbering.xml`` (without picture bullets), the theme
  (colours and fonts; left out if it points to other parts) and the font
  table (without embedded fonts);
- the page setup: the body's final ``w:sectPr``, without its references;
- the default header and footer, cleaned: only internal images (PNG, JPEG,
  GIF, BMP, TIFF, EMF, WMF) keep their relationship; OLE objects, ActiveX
  controls, altChunk and subdocuments, comments, tracked changes (they carry
  author names), content bound to custom XML, and every run pointing outside
  (external images and hyperlinks, URLs and file paths in attributes) are
  removed; fields other than page numbers, dates, titles and STYLEREF become
  their plain text, and fields that show a person or a file path go.

Nothing else of the template's package reaches the output, by construction:
not its settings (a remote ``attachedTemplate``), macros (``vbaProject.bin``),
body (images, altChunk, comments), glossary document, ``people.xml``,
``webSettings.xml`` (frames), custom or extended properties (Company,
Manager). The check trusts nothing: the size and the zip are bounded before
anything is decompressed; every XML part is parsed without entities nor
network, and one holding a DOCTYPE is refused whatever its encoding (UTF-16,
UTF-32, UTF-7, with or without BOM). Every problem is a TemplateError with a
French message.
"""

from __future__ import annotations

import codecs
import copy
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.hdrftr import FooterPart, HeaderPart
from docx.parts.numbering import NumberingPart
from docx.parts.styles import StylesPart
from lxml import etree

from ...errors import TemplateError, french_os_error
from .ooxml import VAL, R, W, child_in_schema_order
from .ooxml import field as add_field

__all__ = ["MAX_TEMPLATE_BYTES", "Template", "apply_template", "read_template"]

MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
"""Cap on a template's total uncompressed size (and on its file size): beyond, it is refused."""
_MAX_TEMPLATE_MEMBERS = 5_000

_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_DOCUMENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
}
_MACRO_TYPES = {
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
_SAFE_IMAGE_TYPES = {
    "image/png", "image/jpeg", "image/gif", "image/bmp", "image/tiff", "image/x-emf", "image/x-wmf",
}  # fmt: skip

_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False)


# --------------------------------------------------------------------------- reading, safely


def _declared_text(blob: bytes) -> str:
    """The part's text decoded as its BOM or declaration says: a DOCTYPE cannot hide in an odd encoding."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
    ):  # fmt: skip
        if blob.startswith(bom):
            return blob.decode(codec, errors="replace")
    for start, codec in (
        (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"), (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"),
    ):  # fmt: skip
        if blob.startswith(start):
            return blob.decode(codec, errors="replace")
    declared = re.match(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", blob[:1024])
    codec = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        return blob.decode(codec, errors="replace")
    except LookupError:
        return blob.decode("utf-8", errors="replace")


def _refuse_doctype(path: Path, name: str) -> TemplateError:
    return TemplateError(f"le modèle contient une déclaration DOCTYPE ({name}) : refusé par sécurité (entités XML)", path=path)


def _parse(path: Path, name: str, blob: bytes) -> etree._Element | str:
    """One XML part, parsed without entities nor network, or why it does not parse; a DOCTYPE is refused.

    Both the text, decoded as declared, and the parsed tree are checked: the
    parser reads encodings (UTF-7) where a byte search would see nothing.
    """
    if "<!DOCTYPE" in _declared_text(blob).upper():
        raise _refuse_doctype(path, name)
    try:
        root = etree.fromstring(blob, _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        return str(exc).splitlines()[0][:160]
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise _refuse_doctype(path, name)
    return root


def _read_members(path: Path) -> dict[str, bytes]:
    """The template's members, read without trusting the zip.

    Each member is decompressed in small chunks, so a lying size or a zip bomb
    stops at the declared size (CRC error) or at the cap: memory and time stay
    bounded.
    """
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
        raise TemplateError(f"modèle illisible ({french_os_error(exc, 'lecture')})", path=path) from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise TemplateError("le modèle n'est pas un fichier Word .docx (archive zip illisible)", path=path) from None
    members: dict[str, bytes] = {}
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
        try:
            for info in infos:
                chunks: list[bytes] = []
                with archive.open(info) as member:
                    while chunk := member.read(65_536):
                        chunks.append(chunk)
                members[info.filename] = b"".join(chunks)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
            raise TemplateError(f"le modèle est une archive corrompue ({exc})", path=path) from None
    return members


@dataclass(frozen=True, slots=True)
class _Rel:
    type: str
    target: str
    """Member name inside the zip (resolved), or the raw target when external."""
    external: bool


@dataclass(slots=True)
class HeaderFooter:
    """A cleaned header or footer: its ``w:hdr``/``w:ftr`` and the images it keeps, by relationship id."""

    element: etree._Element
    images: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)
    """rId -> (file extension, bytes, content type)."""


@dataclass(slots=True)
class Template:
    """What may come from a user's template, each part parsed and cleaned."""

    styles: etree._Element | None = None
    numbering: etree._Element | None = None
    theme: etree._Element | None = None
    font_table: etree._Element | None = None
    section: etree._Element | None = None
    """The page setup (``w:sectPr``) without header and footer references."""
    header: HeaderFooter | None = None
    footer: HeaderFooter | None = None


class _Package:
    """The template's zip members, every XML part parsed and checked, relationships resolved."""

    def __init__(self, path: Path, members: dict[str, bytes]) -> None:
        self.path = path
        self.members = members
        # Every XML part is checked, used or not: a template with a DOCTYPE anywhere is refused.
        self._parsed = {name: _parse(path, name, blob) for name, blob in members.items() if name.endswith((".xml", ".rels"))}
        if "[Content_Types].xml" not in members:
            raise TemplateError("le modèle n'est pas un fichier Word .docx (document principal absent)", path=path)
        types = self.xml("[Content_Types].xml")
        self.defaults = {
            (e.get("Extension") or "").lower(): e.get("ContentType") or "" for e in types.iter(f"{{{_CONTENT_TYPES}}}Default")
        }
        self.overrides = {
            (e.get("PartName") or "").lstrip("/"): e.get("ContentType") or "" for e in types.iter(f"{{{_CONTENT_TYPES}}}Override")
        }

    def xml(self, name: str) -> etree._Element:
        """A used XML part; one that does not parse makes the template unusable.

        A part a relationship names without the usual suffix is parsed (and checked) here.
        """
        if name not in self._parsed:
            self._parsed[name] = _parse(self.path, name, self.members[name])
        root = self._parsed[name]
        if isinstance(root, str):
            raise TemplateError(f"le modèle n'est pas un document Word utilisable (XML invalide : {root})", path=self.path)
        return root

    def content_type(self, name: str) -> str:
        return self.overrides.get(name) or self.defaults.get(posixpath.splitext(name)[1].lstrip(".").lower(), "")

    def rels(self, name: str) -> dict[str, _Rel]:
        """Relationships of part ``name`` (``""`` for the package's), by id."""
        folder, base = posixpath.split(name)
        rels_name = posixpath.join(folder, "_rels", f"{base}.rels")
        if rels_name not in self.members:
            return {}
        out: dict[str, _Rel] = {}
        for rel in self.xml(rels_name).iter(f"{{{_PACKAGE_RELS}}}Relationship"):
            target = rel.get("Target") or ""
            external = rel.get("TargetMode") == "External"
            if not external:
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id") or ""] = _Rel(rel.get("Type") or "", target, external)
        return out

    def related(self, rels: dict[str, _Rel], reltype: str) -> str | None:
        """The member a relationship of ``reltype`` points to, if it is in the package."""
        for rel in rels.values():
            if rel.type == reltype and not rel.external and rel.target in self.members:
                return rel.target
        return None


def read_template(path: Path) -> Template:
    """Read and check a user's template, keeping only what may reach the recueil."""
    package = _Package(path, _read_members(path))
    main = package.related(package.rels(""), RT.OFFICE_DOCUMENT) or "word/document.xml"
    if main not in package.members:
        raise TemplateError("le modèle n'est pas un fichier Word .docx (document principal absent)", path=path)
    content_type = package.content_type(main)
    if content_type in _MACRO_TYPES:
        raise TemplateError("les modèles avec macros (.docm, .dotm) ne sont pas pris en charge : enregistrez-le en .docx", path=path)
    if content_type not in _DOCUMENT_TYPES:
        raise TemplateError("le modèle n'est pas un document Word (type de contenu inattendu)", path=path)
    document = package.xml(main)
    body = document.find(f"{W}body")
    if document.tag != f"{W}document" or body is None:
        raise TemplateError("le modèle n'est pas un document Word utilisable (corps du document absent)", path=path)
    rels = package.rels(main)
    template = Template()
    if (name := package.related(rels, RT.STYLES)) is not None:
        template.styles = _without_references(package.xml(name))
    if (name := package.related(rels, RT.NUMBERING)) is not None:
        template.numbering = _clean_numbering(package.xml(name))
    if (name := package.related(rels, RT.THEME)) is not None:
        theme = package.xml(name)
        template.theme = None if _references(theme) else theme
    if (name := package.related(rels, RT.FONT_TABLE)) is not None:
        template.font_table = _clean_font_table(package.xml(name))
    section = body[-1] if len(body) and body[-1].tag == f"{W}sectPr" else None
    if section is not None:
        template.section, references = _page_setup(section)
        for kind, rel_id in references:
            rel = rels.get(rel_id)
            if rel is None or rel.external or rel.target not in package.members:
                continue
            part = _clean_header_footer(package, rel.target)
            if kind == "header":
                template.header = part
            else:
                template.footer = part
    return template


# --------------------------------------------------------------------------- cleaning


def _references(root: etree._Element) -> bool:
    """Whether any element points to another part (an attribute in the relationships namespace)."""
    return any(key.startswith(R) for element in root.iter() for key in element.attrib)


def _without_references(root: etree._Element) -> etree._Element:
    """Elements pointing to other parts removed (styles never need any)."""
    _remove([e for e in root.iter() if any(key.startswith(R) for key in e.attrib)])
    return root


def _clean_numbering(root: etree._Element) -> etree._Element:
    """Picture bullets point to images: they go, each level keeping its text bullet."""
    _remove(list(root.iter(f"{W}numPicBullet", f"{W}lvlPicBulletId")))
    return _without_references(root)


def _clean_font_table(root: etree._Element) -> etree._Element:
    """Embedded (obfuscated) font files are not copied: their references go."""
    embedded = {f"{W}{kind}" for kind in ("embedRegular", "embedBold", "embedItalic", "embedBoldItalic")}
    _remove([e for e in root.iter() if e.tag in embedded])
    return _without_references(root)


def _page_setup(section: etree._Element) -> tuple[etree._Element, list[tuple[str, str]]]:
    """The sectPr without references, and its default header and footer relationship ids."""
    section = copy.deepcopy(section)
    references: list[tuple[str, str]] = []
    for element in list(section):
        if element.tag in (f"{W}headerReference", f"{W}footerReference"):
            if element.get(f"{W}type", "default") == "default":
                references.append(("header" if element.tag == f"{W}headerReference" else "footer", element.get(f"{R}id") or ""))
            section.remove(element)
        elif element.tag == f"{W}titlePg" or any(key.startswith(R) for key in element.attrib):
            section.remove(element)  # printer settings (a binary part); titlePg is the recueil's choice
    return section, references


# Removed with their content: embedded or linked objects, comments, deleted text and
# everything that names a person (tracked changes, permissions) or binds to custom XML.
_DROPPED = {
    f"{W}{name}"
    for name in (
        "object", "altChunk", "subDoc", "control", "commentRangeStart", "commentRangeEnd", "commentReference",
        "del", "moveFrom", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange",
        "numberingChange", "permStart", "permEnd", "dataBinding", "moveFromRangeStart", "moveFromRangeEnd",
        "moveToRangeStart", "moveToRangeEnd", "customXmlInsRangeStart", "customXmlInsRangeEnd",
        "customXmlDelRangeStart", "customXmlDelRangeEnd",
    )
}  # fmt: skip
# Kept for their content only: inserted text, custom XML and smart tags wrappers.
_UNWRAPPED = {f"{W}{name}" for name in ("ins", "moveTo", "customXml", "smartTag")}
# Fields kept as fields: they show the page, a date or the document's own title.
_SAFE_FIELDS = {
    "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "STYLEREF", "DATE", "TIME", "CREATEDATE", "SAVEDATE",
    "PRINTDATE", "TITLE", "SUBJECT",
}  # fmt: skip
# Fields whose shown text is a person or a path: removed with it.
_PERSONAL_FIELDS = {"AUTHOR", "LASTSAVEDBY", "USERNAME", "USERINITIALS", "USERADDRESS", "DOCPROPERTY", "FILENAME", "INFO"}
_OUTSIDE = re.compile(r"^\s*(?:(?:https?|ftps?|file|mailto|smb|nfs|webdav|javascript|vbscript|data):|\\\\|//)", re.IGNORECASE)
"""An attribute value pointing outside: a URL (http:, file:, mailto: …) or a network path."""
_IDENTIFIER = re.compile(r"^http://schemas\.(?:openxmlformats\.org|microsoft\.com)/")
"""Namespace names (DrawingML's ``graphicData/@uri``): identifiers, never fetched."""


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


def _drop_enclosing_run(element: etree._Element, root: etree._Element) -> None:
    """Remove the run holding ``element`` (or the element itself outside any run)."""
    target = element
    ancestor: etree._Element | None = element
    while ancestor is not None and ancestor is not root:
        if ancestor.tag == f"{W}r":
            target = ancestor
            break
        ancestor = ancestor.getparent()
    _remove([target])


def _field_keyword(instruction: str) -> str:
    words = instruction.split()
    return words[0].upper() if words else ""


@dataclass(slots=True)
class _OpenField:
    """A complex field being read: its code runs (begin, instruction, separate, end) and result runs."""

    code: list[etree._Element] = field(default_factory=list)
    result: list[etree._Element] = field(default_factory=list)
    instruction: str = ""
    in_result: bool = False

    def add(self, runs: list[etree._Element]) -> None:
        (self.result if self.in_result else self.code).extend(runs)


def _remove(elements: list[etree._Element]) -> None:
    """Detach each element from its parent (one already detached stays as it is)."""
    for element in elements:
        if (parent := element.getparent()) is not None:
            parent.remove(element)


def _strip_fields(root: etree._Element) -> None:
    """Unsafe fields become their plain text result; personal ones are removed with it."""
    for simple in list(root.iter(f"{W}fldSimple")):
        keyword = _field_keyword(simple.get(f"{W}instr") or "")
        if keyword in _PERSONAL_FIELDS:
            _remove([simple])
        elif keyword not in _SAFE_FIELDS:
            _unwrap(simple)
    stack: list[_OpenField] = []
    for run in list(root.iter(f"{W}r")):
        char = run.find(f"{W}fldChar")
        kind = char.get(f"{W}fldCharType") if char is not None else None
        if kind == "begin":
            stack.append(_OpenField(code=[run]))
        elif not stack:
            continue
        elif kind == "separate":
            stack[-1].code.append(run)
            stack[-1].in_result = True
        elif kind == "end":
            done = stack.pop()
            done.code.append(run)
            keyword = _field_keyword(done.instruction)
            if keyword in _PERSONAL_FIELDS:
                _remove(done.code + done.result)
            elif keyword not in _SAFE_FIELDS:
                _remove(done.code)
            if stack:  # a nested field belongs to its parent's code or result
                stack[-1].add([r for r in done.code + done.result if r.getparent() is not None])
        else:
            instruction = run.find(f"{W}instrText")
            if instruction is not None and not stack[-1].in_result:
                stack[-1].instruction += instruction.text or ""
            stack[-1].add([run])


def _clean_header_footer(package: _Package, name: str) -> HeaderFooter:
    """A header or footer with only safe, internal content (see the module docstring)."""
    root = copy.deepcopy(package.xml(name))
    _remove([e for e in root.iter() if e.tag in _DROPPED])
    for element in [e for e in root.iter() if e.tag in _UNWRAPPED]:
        _unwrap(element)
    _strip_fields(root)
    rels = package.rels(name)
    kept: dict[str, tuple[str, bytes, str]] = {}
    for rel_id, rel in rels.items():
        content_type = package.content_type(rel.target)
        if rel.type == RT.IMAGE and not rel.external and rel.target in package.members and content_type in _SAFE_IMAGE_TYPES:
            extension = posixpath.splitext(rel.target)[1].lstrip(".").lower() or "bin"
            kept[rel_id] = (extension, package.members[rel.target], content_type)
    for element in list(root.iter()):
        if element.getparent() is None and element is not root:
            continue  # already removed with an ancestor
        for key, value in list(element.attrib.items()):
            if key.endswith("}gfxdata"):
                del element.attrib[key]  # VML's embedded copy of a shape: an opaque package
            elif (key.startswith(R) and value not in kept) or (_OUTSIDE.match(value) and not _IDENTIFIER.match(value)):
                if element.tag == f"{W}hyperlink":
                    _unwrap(element)
                else:
                    _drop_enclosing_run(element, root)
                break
    return HeaderFooter(root, {rel_id: kept[rel_id] for rel_id in kept if _uses(root, rel_id)})


def _uses(root: etree._Element, rel_id: str) -> bool:
    return any(key.startswith(R) and value == rel_id for element in root.iter() for key, value in element.attrib.items())


# --------------------------------------------------------------------------- copying in


def _replace_related(source: Part, reltype: str, new: Part) -> str:
    """Relate ``source`` to ``new`` instead of its current part of ``reltype``; the new rId."""
    for rel_id, rel in list(source.rels.items()):
        if rel.reltype == reltype and not rel.is_external:
            source.drop_rel(rel_id)
    return source.relate_to(new, reltype)


def _oxml(element: etree._Element) -> BaseOxmlElement:
    """Re-parse with python-docx's parser, so that its element classes apply (UTF-8 from now on)."""
    return parse_xml(etree.tostring(element, encoding="UTF-8", xml_declaration=True, standalone=True))


def _has_page_field(root: etree._Element) -> bool:
    instructions = [e.get(f"{W}instr") or "" for e in root.iter(f"{W}fldSimple")]
    instructions += [e.text or "" for e in root.iter(f"{W}instrText")]
    return any(_field_keyword(text) == "PAGE" for text in instructions)


def _page_number_paragraph(footer: etree._Element) -> None:
    """A centred PAGE field at the end of a footer that shows no page number."""
    p = etree.SubElement(footer, f"{W}p")
    ppr = etree.SubElement(p, f"{W}pPr")
    etree.SubElement(ppr, f"{W}jc").set(VAL, "center")
    add_field(p, " PAGE ", "1")


def apply_template(document: Document, template: Template) -> None:
    """Copy the template's allowed parts into the house-style ``document``."""
    part = document.part
    package = part.package
    if template.styles is not None:
        _replace_related(part, RT.STYLES, StylesPart(PackURI("/word/styles.xml"), CT.WML_STYLES, _oxml(template.styles), package))
    if template.numbering is not None:
        _replace_related(
            part, RT.NUMBERING, NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, _oxml(template.numbering), package)
        )
    if template.theme is not None:
        _replace_related(part, RT.THEME, XmlPart(PackURI("/word/theme/theme1.xml"), CT.OFC_THEME, _oxml(template.theme), package))
    if template.font_table is not None:
        _replace_related(
            part, RT.FONT_TABLE, XmlPart(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, _oxml(template.font_table), package)
        )
    section = document.element.body.find(f"{W}sectPr")
    assert section is not None, "the house style has a page setup"
    footer = template.footer
    if footer is not None and not _has_page_field(footer.element):
        _page_number_paragraph(footer.element)
    for kind, content, part_class, content_type, reltype in (
        ("header", template.header, HeaderPart, CT.WML_HEADER, RT.HEADER),
        ("footer", footer, FooterPart, CT.WML_FOOTER, RT.FOOTER),
    ):
        if content is None:
            continue  # the house style's own (running header, page numbers)
        reference = section.find(f"{W}{kind}Reference[@{W}type='default']")
        assert reference is not None, f"the house style has a default {kind}"
        old = reference.get(f"{R}id") or ""
        element = _oxml(content.element)
        new = part_class(package.next_partname(f"/word/{kind}%d.xml"), content_type, element, package)
        renamed: dict[str, str] = {}
        for rel_id, (extension, blob, image_type) in content.images.items():
            image = Part(package.next_partname(f"/word/media/{kind}-image%d.{extension}"), image_type, blob, package)
            renamed[rel_id] = new.relate_to(image, RT.IMAGE)
        for e in element.iter():
            for key, value in e.attrib.items():
                if key.startswith(R) and value in renamed:
                    e.set(key, renamed[value])
        reference.set(f"{R}id", part.relate_to(new, reltype))
        part.drop_rel(old)
    if template.section is not None:
        replacement = copy.deepcopy(template.section)
        for position, reference in enumerate(
            e for e in section if e.tag in (f"{W}headerReference", f"{W}footerReference")
        ):
            replacement.insert(position, copy.deepcopy(reference))
        if section.find(f"{W}titlePg") is not None:
            child_in_schema_order(replacement, f"{W}titlePg", _AFTER_TITLE_PG)
        section.getparent().replace(section, _oxml(replacement))


_AFTER_TITLE_PG = {f"{W}{name}" for name in ("textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")}
