"""Document-wide settings: French language, fields updated on opening, the file's properties."""

from __future__ import annotations

import datetime as dt

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from ...recueil_labels import sheets_count
from .ooxml import VAL, W, child_in_schema_order

__all__ = ["RUNNING_HEADER", "drop_stale_parts", "fill_running_header", "set_core_properties", "set_language", "set_update_fields"]

RUNNING_HEADER = " STYLEREF 1 "
"""The house header's field: the text of the last Heading 1 (the theme) met on or before the page."""


def set_language(document: Document) -> None:
    """French for spelling and hyphenation: ``w:lang`` in the document defaults."""
    styles = document.styles.element
    defaults = styles.find(f"{W}docDefaults")
    if defaults is None:
        defaults = etree.Element(f"{W}docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(f"{W}rPrDefault")
    if rpr_default is None:
        rpr_default = etree.Element(f"{W}rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(f"{W}rPr")
    if rpr is None:
        rpr = etree.SubElement(rpr_default, f"{W}rPr")
    child_in_schema_order(rpr, f"{W}lang", _AFTER_LANG).set(VAL, "fr-FR")


_AFTER_LANG = {f"{W}eastAsianLayout", f"{W}specVanish", f"{W}oMath"}

# Elements that follow w:updateFields in CT_Settings, in schema order (Word is strict about it).
_AFTER_UPDATE_FIELDS = {
    f"{W}{name}"
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


def set_update_fields(document: Document) -> None:
    """Ask Word to update fields on opening, so the sommaire gets its page numbers."""
    child_in_schema_order(document.settings.element, f"{W}updateFields", _AFTER_UPDATE_FIELDS).set(VAL, "true")


def set_core_properties(document: Document, title: str, count: int) -> None:
    """Title, subject and author of the file; a template's own properties are not carried over."""
    properties = document.core_properties
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    properties.title = title
    properties.subject = "Fiches d'expérience"
    properties.author = "fichekit"
    properties.last_modified_by = "fichekit"
    properties.comments = sheets_count(count)
    properties.keywords = "fiches d'expérience"
    properties.category = ""
    properties.language = "fr-FR"
    properties.created = now
    properties.modified = now
    properties.revision = 1


_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def drop_stale_parts(document: Document) -> None:
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


def fill_running_header(document: Document, text: str) -> None:
    """Store ``text`` as the running header's result, shown where fields are not recomputed.

    Word recomputes the ``STYLEREF`` of each page as it lays it out and shows
    the theme; a viewer that only shows stored results (LibreOffice before
    7.6) shows this text, the recueil's title, on every page.
    """
    for rel in document.part.rels.values():
        if rel.reltype != RT.HEADER or rel.is_external:
            continue
        for p in rel.target_part.element.iter(f"{W}p"):
            codes = "".join(t.text or "" for t in p.iter(f"{W}instrText"))
            if codes != RUNNING_HEADER:
                continue
            state = None
            for run in p.iter(f"{W}r"):
                char = run.find(f"{W}fldChar")
                if char is not None:
                    state = char.get(f"{W}fldCharType")
                elif state == "separate":
                    for old in run.findall(f"{W}t"):
                        run.remove(old)
                    etree.SubElement(run, f"{W}t").text = text
                    state = "filled"
