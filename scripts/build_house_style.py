"""Build ``src/fichekit/writers/docx/recueil.docx``, the Word file that carries the recueil's house style.

The recueil writer opens that file as its base document: its styles, list
numbering, page setup, header and footer are fichekit's own look. It is a
real Word document, committed as package data: open it in Word to see or
adjust the styles, or change this script and run it again::

    .venv/bin/python scripts/build_house_style.py

Starts from python-docx's default template (whose style set is Word's) and
replaces the styles that shape the recueil.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Cm

from fichekit.writers.docx.ooxml import W, field, run_properties, text_run, xml
from fichekit.writers.docx.settings import RUNNING_HEADER, drop_stale_parts
from fichekit.writers.docx.styles import style_element

TARGET = Path(__file__).resolve().parents[1] / "src" / "fichekit" / "writers" / "docx" / "recueil.docx"

_GREY = "767676"

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


def apply_house_style(document: Document) -> None:
    """fichekit's look on python-docx's default template: A4, Calibri, blue headings, running header, page numbers."""
    styles = document.styles.element
    defaults = styles.find(f"{W}docDefaults")
    if defaults is not None:
        defaults.getparent().replace(defaults, xml(_HOUSE_DEFAULTS))
    by_id = {s.get(f"{W}styleId"): s for s in styles.iterfind(f"{W}style")}
    for style_id, inner in _HOUSE_STYLES.items():
        new = style_element(style_id, inner)
        if style_id in by_id:
            styles.replace(by_id[style_id], new)
        else:
            styles.append(new)
    numbering = document.part.numbering_part.element
    for abstract in numbering.iterfind(f"{W}abstractNum"):
        indent = _HOUSE_LIST_INDENT.get(abstract.get(f"{W}abstractNumId", ""))
        if indent is None:
            continue
        for ind in abstract.iter(f"{W}ind"):
            ind.set(f"{W}left", indent[0])
            ind.set(f"{W}hanging", indent[1])
        for tab in abstract.iter(f"{W}tab"):
            tab.set(f"{W}pos", indent[0])

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.4)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.2)
    section.different_first_page_header_footer = True  # the title page has neither
    section.first_page_header.is_linked_to_previous = False
    section.first_page_footer.is_linked_to_previous = False
    # Running header: the current theme (the last Heading 1 met), small, grey, right-aligned.
    # "STYLEREF 1" names Heading 1 by its level, so it works in every language of Word.
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    field(header._p, RUNNING_HEADER, "Recueil des fiches d'expérience", run_properties(size=17, color=_GREY))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in ("Page ", " PAGE ", " sur ", " NUMPAGES "):
        grey = run_properties(size=18, color=_GREY)
        if piece.strip().isupper():
            field(footer._p, piece, "1", grey)
        else:
            text_run(footer._p, piece, grey)

def build(target: Path) -> None:
    """Write the house-style document to ``target``."""
    document = docx.Document()
    apply_house_style(document)
    drop_stale_parts(document)
    # Word would save a preview image of the first page, which fichekit drops anyway.
    for preview in document.settings.element.findall(f"{W}savePreviewPicture"):
        document.settings.element.remove(preview)
    # The default template's bibliography sources: nothing of the recueil's.
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML:
            document.part.drop_rel(rel_id)
    properties = document.core_properties
    properties.title = "Recueil des fiches d'expérience"
    properties.author = properties.last_modified_by = "fichekit"
    properties.comments = "Style maison du recueil Word de fichekit (scripts/build_house_style.py)"
    document.save(str(target))


def main() -> None:
    build(TARGET)
    print(f"écrit : {TARGET}")


if __name__ == "__main__":
    main()
