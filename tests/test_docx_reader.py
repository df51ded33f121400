"""The Word reader: .docx built with python-docx the way people type sheets -> the exact line stream.

Documents are built in the tests (python-docx, plus raw WordprocessingML for
what python-docx cannot make: tracked changes, fields, content controls,
numbering definitions), so each case shows the Word markup it is about.
"""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

import docx
import pytest
from conftest import SAMPLES_DIR
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt
from docx.text.paragraph import Paragraph

import fichekit
from fichekit.errors import InputError
from fichekit.findings import Code, Finding
from fichekit.grammar.lines import Hint, Line
from fichekit.readers.docx import docx_lines, refuse_unsupported

NBSP = "\u00a0"
DATE = 'w:author="Marie" w:date="2026-11-20T10:00:00Z"'


# --------------------------------------------------------------------------- helpers


def save(document: Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def read(data: bytes, name: str = "fiche.docx") -> tuple[list[Line], list[Finding]]:
    findings: list[Finding] = []
    return list(docx_lines(data, name, findings)), findings


def lines_of(document: Document) -> list[Line]:
    return read(save(document))[0]


def body_xml(document: Document, fragment: str) -> None:
    """Append raw body XML (one or more ``w:p`` / ``w:tbl`` / ``w:sdt``) before the final section properties."""
    wrapper = parse_xml(f"<w:body {nsdecls('w')}>{fragment}</w:body>")
    sect_pr = document.element.body[-1]
    for child in list(wrapper):
        sect_pr.addprevious(child)


def inline_xml(paragraph: Paragraph, fragment: str) -> None:
    """Append raw run-level XML to a paragraph."""
    wrapper = parse_xml(f"<w:p {nsdecls('w')}>{fragment}</w:p>")
    for child in list(wrapper):
        paragraph._p.append(child)


def bold_paragraph(document: Document, text: str) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.add_run(text).bold = True
    return paragraph


def labelled(document: Document, label: str, text: str) -> Paragraph:
    """« Titre : contenu » the way people type it: the label in bold, the content plain."""
    paragraph = document.add_paragraph()
    paragraph.add_run(label).bold = True
    paragraph.add_run(text)
    return paragraph


def add_numbering(document: Document, num_id: int, formats: Iterable[str]) -> None:
    """A numbering definition (one level per format) and the ``w:num`` ``num_id`` using it."""
    root = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%{i + 1}."/></w:lvl>'
        for i, fmt in enumerate(formats)
    )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">{levels}</w:abstractNum>')
    root.find(abstract.tag.replace("abstractNum", "num")).addprevious(abstract)
    root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))


def field(instruction: str, result: str) -> str:
    """A complex field as Word writes it: begin, instruction, separate, result, end."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{instruction}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{result}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def T(text: str, number: int, level: int = 0) -> Line:
    return Line(text, number, Hint.TEXT, level)


def H(text: str, number: int, level: int = 0) -> Line:
    return Line(text, number, Hint.HEADING, level)


def B(text: str, number: int, level: int = 0) -> Line:
    return Line(text, number, Hint.BULLET, level)


def N(text: str, number: int, level: int = 0) -> Line:
    return Line(text, number, Hint.NUMBER, level)


def C(text: str, number: int, level: int = 0) -> Line:
    return Line(text, number, Hint.CONTINUATION, level)


def L(text: str, number: int) -> Line:
    return Line(text, number, Hint.LAYOUT)


def PB(number: int) -> Line:
    return Line("", number, Hint.PAGE_BREAK)


def to_text(lines: Iterable[Line]) -> str:
    """Temporary bridge to today's text grammar, until it reads hints itself."""
    out: list[str] = []
    for line in lines:
        if line.hint is Hint.BULLET:
            out.append("- " + line.text)
        elif line.hint is Hint.NUMBER:
            out.append("1. " + line.text)
        elif line.hint is Hint.PAGE_BREAK:
            out.append("\f")
        elif line.hint is not Hint.LAYOUT:
            out.append(line.text)
    return "\n".join(out)


# --------------------------------------------------------------------------- a sheet as people type it


def typed_sheet() -> Document:
    """One sheet the way a coordinator types it in Word, with the furniture Word adds around it."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Réseau régional – fiches 2024"
    inline_xml(section.footer.paragraphs[0], '<w:r><w:t xml:space="preserve">Page </w:t></w:r>' + field(" PAGE ", "1"))

    # §1-3: a table of contents Word inserted (field result: entries with their page numbers), then the end.
    body_xml(
        document,
        "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:hyperlink w:anchor="_Toc1"><w:r><w:t>Chiffres clés</w:t></w:r><w:r><w:tab/></w:r>'
        + field(" PAGEREF _Toc1 \\h ", "1")
        + "</w:hyperlink></w:p>"
        '<w:p><w:hyperlink w:anchor="_Toc2"><w:r><w:t>Résultats</w:t></w:r><w:r><w:tab/></w:r>'
        + field(" PAGEREF _Toc2 \\h ", "2")
        + '</w:hyperlink></w:p><w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    )
    bold_paragraph(document, "Comment associer les personnes accueillies à la gouvernance ?")  # §4
    document.add_paragraph("→ Avec Épicerie solidaire La Passerelle (14)")  # §5
    labelled(document, f"Localisation{NBSP}:", " Vireval")  # §6
    document.add_heading("Chiffres clés", level=2)  # §7
    figures = document.add_paragraph("3 salariés")  # §8, with a soft line break (Maj+Entrée)
    figures.runs[0].add_break()
    figures.add_run("28 bénévoles")
    table = document.add_table(rows=2, cols=3)  # §9-10: a table inside the section
    for row, values in zip(table.rows, (("Foyers", "", "640"), ("Budget", "184 500 €", "2023")), strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    heading = document.add_paragraph()  # §11: bold heading, the colon not bold
    heading.add_run("Publics touchés").bold = True
    heading.add_run(f"{NBSP}:")
    publics = document.add_paragraph()  # §12: another font
    run = publics.add_run("Familles monoparentales, retraités")
    run.font.name, run.font.size = "Arial", Pt(13)
    bold_paragraph(document, "Partenaires :")  # §13
    partner = document.add_paragraph(style="List Bullet")  # §14: a tracked deletion and insertion
    partner.add_run("Centre ")
    inline_xml(
        partner,
        f'<w:del w:id="11" {DATE}><w:r><w:delText>communal</w:delText></w:r></w:del>'
        f'<w:ins w:id="12" {DATE}><w:r><w:t>social</w:t></w:r></w:ins>'
        '<w:r><w:t xml:space="preserve"> de Vireval</w:t></w:r>',
    )
    commented = document.add_paragraph("Banque alimentaire", style="List Bullet")  # §15, commented
    document.add_comment(commented.runs, text="Vérifier le nom exact", author="Marie", initials="M")
    body_xml(  # §16: a real Word list item, second level, through numPr (numId 1: bullets)
        document,
        '<w:p><w:pPr><w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        "<w:r><w:t>Antenne de Bréval</w:t></w:r></w:p>",
    )
    document.add_page_break()  # §17
    document.add_heading("Résultats", level=3)  # §18
    document.add_paragraph("Comité des adhérents élu", style="List Number")  # §19
    document.add_paragraph("Baisse des tensions", style="List Number")  # §20
    hidden = document.add_paragraph("Gazette créée")  # §21, with a hidden note
    note = hidden.add_run(" (à confirmer)")
    note.font.hidden = True
    inline_xml(document.add_paragraph(), field(" PAGE ", "3"))  # §22: a page number typed in the body
    return document


TYPED_STREAM = [
    L("Chiffres clés\t1", 1),
    L("Résultats\t2", 2),
    H("Comment associer les personnes accueillies à la gouvernance ?", 4),
    T("→ Avec Épicerie solidaire La Passerelle (14)", 5),
    T(f"Localisation{NBSP}: Vireval", 6),
    H("Chiffres clés", 7, 2),
    T("3 salariés", 8),
    C("28 bénévoles", 8),
    T("Foyers : 640", 9),
    T("Budget : 184 500 € : 2023", 10),
    H(f"Publics touchés{NBSP}:", 11),
    T("Familles monoparentales, retraités", 12),
    H("Partenaires :", 13),
    B("Centre social de Vireval", 14),
    B("Banque alimentaire", 15),
    B("Antenne de Bréval", 16, 1),
    PB(17),
    H("Résultats", 18, 3),
    N("Comité des adhérents élu", 19),
    N("Baisse des tensions", 20),
    T("Gazette créée", 21),
    L("3", 22),
]


def test_typed_sheet_gives_the_exact_line_stream() -> None:
    lines, _ = read(save(typed_sheet()))
    assert lines == TYPED_STREAM


def test_what_is_left_out_is_one_finding_per_file() -> None:
    _, findings = read(save(typed_sheet()))
    assert [(f.code, f.file, f.line) for f in findings] == [(Code.LAYOUT_REMOVED, "fiche.docx", None)]
    assert findings[0].message == (
        "laissé de côté dans ce document Word : en-têtes et pieds de page (non lus), "
        "1 commentaire (non lu), 1 passage de texte masqué ; vérifiez qu'il n'y avait là rien de la fiche "
        "(copiez-le dans le corps du texte sinon)"
    )


def test_a_plain_sheet_has_no_finding() -> None:
    document = docx.Document()
    document.add_paragraph("Localisation : Vireval")
    assert read(save(document)) == ([T("Localisation : Vireval", 1)], [])


def test_typed_sheet_through_the_text_grammar() -> None:
    """End to end with the temporary bridge: theme, structures and rubriques come out of the Word sheet."""
    (fiche,) = fichekit.parse(to_text(read(save(typed_sheet()))[0]), "fiche.docx")
    assert fiche.theme == "Comment associer les personnes accueillies à la gouvernance ?"
    assert [s.nom for s in fiche.structures] == ["Épicerie solidaire La Passerelle"]
    assert [i.texte for i in fiche.localisation] == ["Vireval"]
    # Until the grammar joins CONTINUATION lines, the bridge's text grammar reads the soft break as two items.
    assert [i.texte for i in fiche.chiffres_cles] == ["3 salariés", "28 bénévoles", "Foyers : 640", "Budget : 184 500 € : 2023"]
    assert [i.texte for i in fiche.publics_touches] == ["Familles monoparentales, retraités"]
    assert [(i.type.value, i.texte) for i in fiche.partenaires] == [
        ("puce", "Centre social de Vireval"),
        ("puce", "Banque alimentaire"),
        ("puce", "Antenne de Bréval"),
    ]
    assert [(i.type.value, i.texte) for i in fiche.resultats] == [
        ("numero", "Comité des adhérents élu"),
        ("numero", "Baisse des tensions"),
        ("paragraphe", "Gazette créée"),
    ]


# --------------------------------------------------------------------------- lists and headings


def test_lists_from_styles_and_numbering_definitions() -> None:
    document = docx.Document()
    styles = document.styles
    french = styles.add_style("Liste à puces", WD_STYLE_TYPE.PARAGRAPH)  # a French template's own name
    french.base_style = styles["List Bullet"]
    add_numbering(document, 60, ["lowerLetter", "upperRoman"])
    custom = styles.add_style("Étapes numérotées", WD_STYLE_TYPE.PARAGRAPH)
    custom.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="1"/><w:numId w:val="60"/></w:numPr>')
    )
    document.add_paragraph("Rencontrer les producteurs", style="Liste à puces")
    document.add_paragraph("Diagnostic", style="Étapes numérotées")
    body_xml(
        document,
        '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="60"/></w:numPr></w:pPr><w:r><w:t>Test</w:t></w:r></w:p>'
        # numId 0 removes the style's numbering: plain text
        '<w:p><w:pPr><w:pStyle w:val="ListBullet"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr>'
        "<w:r><w:t>Suite du texte</w:t></w:r></w:p>"
        # a list Word no longer defines: text as typed
        '<w:p><w:pPr><w:numPr><w:numId w:val="99"/></w:numPr></w:pPr><w:r><w:t>- tiret tapé</w:t></w:r></w:p>',
    )
    assert lines_of(document) == [
        B("Rencontrer les producteurs", 1),
        N("Diagnostic", 2, 1),
        N("Test", 3),
        T("Suite du texte", 4),
        T("- tiret tapé", 5),
    ]


def test_headings_whatever_their_style() -> None:
    document = docx.Document()
    styles = document.styles
    styles.add_style("Titre 1", WD_STYLE_TYPE.PARAGRAPH)  # named like French Word's heading style
    rubrique = styles.add_style("Rubrique", WD_STYLE_TYPE.PARAGRAPH)
    rubrique.base_style = styles["Heading 3"]
    outlined = styles.add_style("Intertitre", WD_STYLE_TYPE.PARAGRAPH)
    outlined.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="1"/>'))
    document.add_paragraph("Quels liens avec les producteurs ?", style="Titre 1")
    document.add_paragraph("Résultats", style="Rubrique")
    document.add_paragraph("Partenaires", style="Intertitre")
    strong = document.add_paragraph()
    strong.add_run("Clés du succès").style = styles["Strong"]  # bold through a character style
    long_bold = bold_paragraph(document, "Très long paragraphe en gras " * 4)
    demoted = document.add_heading("", level=2)  # outline level 9 on the paragraph: body text
    demoted.add_run("Texte").bold = False
    demoted._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="9"/>'))
    labelled(document, "Chiffres clés : ", "3 salariés")
    not_bold = document.add_paragraph()
    not_bold.add_run("Partenaires").bold = True
    not_bold.add_run("").bold = False
    unbolded = document.add_paragraph(style="Heading 4")  # the heading style wins over direct formatting
    unbolded.add_run("Obstacles et freins").bold = False
    assert lines_of(document) == [
        H("Quels liens avec les producteurs ?", 1, 1),
        H("Résultats", 2, 3),
        H("Partenaires", 3, 2),
        H("Clés du succès", 4),
        T(long_bold.text, 5),
        T("Texte", 6),
        T("Chiffres clés : 3 salariés", 7),
        H("Partenaires", 8),
        H("Obstacles et freins", 9, 4),
    ]


# --------------------------------------------------------------------------- inside a paragraph


def test_breaks_tabs_and_hyphens() -> None:
    document = docx.Document()
    body_xml(
        document,
        # soft break, carriage return, tab, no-break and soft hyphens, a symbol-font bullet, Word's pagination mark
        '<w:p><w:r><w:t xml:space="preserve">Saint</w:t><w:noBreakHyphen/><w:t>Clair</w:t><w:tab/>'
        '<w:t>agri</w:t><w:softHyphen/><w:t>culture</w:t><w:lastRenderedPageBreak/><w:br/><w:t>suite</w:t>'
        '<w:cr/><w:sym w:font="Symbol" w:char="F0B7"/><w:t xml:space="preserve"> fin</w:t></w:r></w:p>'
        # a page break inside a paragraph: the rest continues it on the next page
        '<w:p><w:r><w:t>avant</w:t><w:br w:type="page"/><w:t>après</w:t></w:r></w:p>'
        # page break before (paragraph property), then a section break to a new page, then a continuous one
        '<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>Nouvelle page</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:sectPr/></w:pPr><w:r><w:t>Fin de section</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:sectPr><w:type w:val="continuous"/></w:sectPr></w:pPr><w:r><w:t>Colonnes</w:t></w:r></w:p>'
        # blank lines and empty paragraphs are not emitted, but they count
        "<w:p/><w:p><w:r><w:t xml:space=\"preserve\">   </w:t><w:br/></w:r></w:p>"
        "<w:p><w:r><w:t>dernier</w:t></w:r></w:p>",
    )
    assert lines_of(document) == [
        T("Saint-Clair\tagriculture", 1),
        C("suite", 1),
        C("\uf0b7 fin", 1),
        T("avant", 2),
        PB(2),
        C("après", 2),
        PB(3),
        T("Nouvelle page", 3),
        T("Fin de section", 4),
        PB(4),
        T("Colonnes", 5),
        T("dernier", 8),
    ]


def test_recueil_convention_one_w_t_per_source_line() -> None:
    """fichekit's recueil writes each source line of an item as its own w:t in one run, joined by a space."""
    document = docx.Document()
    body_xml(
        document,
        '<w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr><w:r><w:t xml:space="preserve">Partager le diagnostic avec </w:t>'
        '<w:t xml:space="preserve">les habitants du quartier / </w:t><w:t>Constituer un groupe moteur</w:t></w:r></w:p>'
        # ordinary text split over runs (Word does that at every formatting or spell-check change) is joined
        '<w:p><w:r><w:t xml:space="preserve">Faire le </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>bilan</w:t></w:r>'
        '<w:r><w:t xml:space="preserve"> des pratiques</w:t></w:r></w:p>'
        # two w:t in one run without the joining space: one line
        "<w:p><w:r><w:t>Écouter</w:t><w:t>les personnes</w:t></w:r></w:p>",
    )
    assert lines_of(document) == [
        B("Partager le diagnostic avec", 1),
        C("les habitants du quartier /", 1),
        C("Constituer un groupe moteur", 1),
        T("Faire le bilan des pratiques", 2),
        T("Écouterles personnes", 3),
    ]


def test_fields_tracked_moves_content_controls_and_notes() -> None:
    document = docx.Document()
    body_xml(
        document,
        # a hyperlink field and a simple date field show their result
        "<w:p><w:r><w:t xml:space=\"preserve\">Voir </w:t></w:r>"
        + field(' HYPERLINK "https://exemple.fr" ', "le site du réseau")
        + "</w:p>"
        '<w:p><w:fldSimple w:instr=" DATE \\@ &quot;d MMMM yyyy&quot; "><w:r><w:t>20 novembre 2026</w:t></w:r></w:fldSimple>'
        '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>4</w:t></w:r></w:fldSimple></w:p>'
        # a move: the old place is dropped, the new one kept
        f'<w:p><w:moveFrom w:id="1" {DATE}><w:r><w:t>Texte déplacé</w:t></w:r></w:moveFrom></w:p>'
        f'<w:p><w:moveTo w:id="2" {DATE}><w:r><w:t>Texte déplacé</w:t></w:r></w:moveTo></w:p>'
        # content controls: a filled one, and one still showing its prompt
        '<w:p><w:sdt><w:sdtPr><w:alias w:val="Structure"/></w:sdtPr><w:sdtContent><w:r><w:t>La Passerelle</w:t></w:r>'
        "</w:sdtContent></w:sdt></w:p>"
        '<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Cliquez ici pour entrer du texte.</w:t>'
        "</w:r></w:p></w:sdtContent></w:sdt>"
        # a footnote reference and a text box are not read
        '<w:p><w:r><w:t>Budget</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:footnoteReference w:id="1"/></w:r><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>encadré</w:t></w:r></w:p>'
        "</w:txbxContent></w:pict></w:r></w:p>",
    )
    lines, findings = read(save(document))
    assert lines == [
        T("Voir le site du réseau", 1),
        T("20 novembre 2026", 2),
        L("4", 2),
        T("Texte déplacé", 4),
        T("La Passerelle", 5),
        T("Budget", 7),
    ]
    assert findings[0].message.startswith(
        "laissé de côté dans ce document Word : 1 note de bas de page (non lue), "
        "1 zone de texte (non lue), 1 texte d'invite de contrôle de contenu ;"
    )


def test_table_of_contents_inserted_by_word_is_layout() -> None:
    """Word's « Références › Table des matières »: a content control holding the title and the TOC field."""
    document = docx.Document()
    body_xml(
        document,
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj>'
        '</w:sdtPr><w:sdtContent><w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t>Table des matières</w:t>'
        "</w:r></w:p><w:p>"
        + field(' TOC \\o "1-3" \\h \\z \\u ', "Localisation\t1").replace('<w:fldChar w:fldCharType="end"/>', "")
        + '</w:p><w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:sdtContent></w:sdt>'
        '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Localisation</w:t></w:r></w:p>',
    )
    lines, findings = read(save(document))
    assert lines == [L("Table des matières", 1), L("Localisation\t1", 2), H("Localisation", 4, 1)]
    assert findings == []  # the grammar counts the LAYOUT lines: nothing is reported twice


def test_non_renseigne_placeholder_of_the_recueil_is_layout() -> None:
    document = docx.Document()
    document.add_paragraph().add_run("Non renseigné").italic = True
    label = document.add_paragraph()
    label.add_run("Localisation : ").bold = True
    label.add_run("Non renseigné").italic = True
    document.add_paragraph("Non renseigné")  # typed by a user, not italic: content
    other = document.add_paragraph("Publics : ")
    other.add_run("Non renseigné").italic = True
    other.add_run(" ici")
    assert lines_of(document) == [
        L("Non renseigné", 1),
        H("Localisation : ", 2),
        L("Non renseigné", 2),
        T("Non renseigné", 3),
        T("Publics : Non renseigné ici", 4),
    ]


# --------------------------------------------------------------------------- tables


def test_form_table_gives_headings_and_content_lines() -> None:
    document = docx.Document()
    document.add_paragraph("→ Avec Jardin de la Vire (14)")
    table = document.add_table(rows=4, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Localisation", "Vireval"
    table.cell(1, 0).text = "Chiffres clés"
    content = table.cell(1, 1)
    content.paragraphs[0].text = "2 ans d'expérimentation"
    content.add_paragraph("20 producteurs", style="List Bullet")
    content.add_paragraph("150 paniers par semaine", style="List Bullet")
    table.cell(2, 0).text, table.cell(2, 1).text = "Projet", "PANIERS"
    table.cell(3, 0).text, table.cell(3, 1).text = "Obstacle et freins :", ""  # a near miss, empty content
    document.add_paragraph("Après le tableau")
    assert lines_of(document) == [
        T("→ Avec Jardin de la Vire (14)", 1),
        H("Localisation", 2),
        T("Vireval", 2),
        H("Chiffres clés", 3),
        T("2 ans d'expérimentation", 3),
        B("20 producteurs", 3),
        B("150 paniers par semaine", 3),
        T("Projet : PANIERS", 4),
        H("Obstacle et freins :", 5),
        T("Après le tableau", 6),
    ]


def test_other_tables_give_one_line_per_row_even_nested() -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Année", "Foyers"
    inner = table.cell(1, 1)
    inner.paragraphs[0].text = "640"
    nested = inner.add_table(rows=1, cols=2)
    nested.cell(0, 0).text, nested.cell(0, 1).text = "dont", "60 solidaires"
    table.cell(1, 0).text = "2023"
    # « Année | Foyers » are column titles above rows of figures: the table's layout, not an item.
    assert lines_of(document) == [
        Line("Année : Foyers", 1, Hint.LAYOUT),
        T("2023 : 640 dont : 60 solidaires", 2),
    ]


# --------------------------------------------------------------------------- a recueil edited in Word


def test_edits_to_a_recueil_show_in_the_line_stream(tmp_path: Path) -> None:
    from fichekit.convert import convert
    from fichekit.writers import Format

    recueil = tmp_path / "r.docx"
    convert([str(SAMPLES_DIR / "normandie_ateliers.txt")], Format.DOCX, output=recueil)
    before, _ = read(recueil.read_bytes(), "r.docx")
    document = docx.Document(str(recueil))
    paragraphs = {p.text: p for p in document.paragraphs}
    corrected = paragraphs["Baisse nette des tensions à l'accueil"]
    corrected.runs[0].text = "Baisse nette des conflits à l'accueil"
    paragraphs["Rembourser les frais de déplacement"].insert_paragraph_before(
        "Offrir un goûter aux enfants", style=paragraphs["Rembourser les frais de déplacement"].style
    )
    deleted = paragraphs["Peur du regard des autres dans une petite ville"]
    deleted._p.getparent().remove(deleted._p)
    edited = tmp_path / "r2.docx"
    document.save(str(edited))
    after, _ = read(edited.read_bytes(), "r2.docx")

    def view(lines: list[Line]) -> list[tuple[str, Hint]]:
        return [(line.text, line.hint) for line in lines]

    old, new = view(before), view(after)
    assert ("Baisse nette des tensions à l'accueil", Hint.BULLET) in old
    assert ("Baisse nette des conflits à l'accueil", Hint.BULLET) in new
    assert ("Baisse nette des tensions à l'accueil", Hint.BULLET) not in new
    at = new.index(("Rembourser les frais de déplacement", Hint.BULLET))
    assert new[at - 1] == ("Offrir un goûter aux enfants", Hint.BULLET)
    assert ("Peur du regard des autres dans une petite ville", Hint.BULLET) in old
    assert ("Peur du regard des autres dans une petite ville", Hint.BULLET) not in new
    assert len(new) == len(old)  # one paragraph added, one removed
    assert sorted(set(old) - set(new)) == [
        ("Baisse nette des tensions à l'accueil", Hint.BULLET),
        ("Peur du regard des autres dans une petite ville", Hint.BULLET),
    ]
    assert sorted(set(new) - set(old)) == [
        ("Baisse nette des conflits à l'accueil", Hint.BULLET),
        ("Offrir un goûter aux enfants", Hint.BULLET),
    ]


def test_recueil_round_trip_keeps_multi_line_items_and_layout() -> None:
    from fichekit.convert import convert
    from fichekit.writers import Format

    out = io.BytesIO()
    convert([str(SAMPLES_DIR / "normandie_ateliers.txt")], Format.DOCX, stdout=out)
    lines, findings = read(out.getvalue(), "r.docx")
    texts = [(line.text, line.hint) for line in lines]
    at = texts.index(("Partager le diagnostic avec", Hint.TEXT))
    assert texts[at + 1 : at + 3] == [
        ("les habitants du quartier /", Hint.CONTINUATION),
        ("Constituer un groupe moteur", Hint.CONTINUATION),
    ]
    assert texts[0] == ("Recueil des fiches d'expérience", Hint.TEXT)
    assert ("Sommaire", Hint.LAYOUT) in texts  # the TOC title and entries are layout
    assert ("Épicerie solidaire La Passerelle (14)", Hint.LAYOUT) in texts
    assert ("Épicerie solidaire La Passerelle (14)", Hint.HEADING) in texts
    assert [f.code for f in findings] == [Code.LAYOUT_REMOVED]  # the recueil's footers, never read


# --------------------------------------------------------------------------- another Word writer

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "docx"
"""LibreOffice-made files (tests/fixtures/docx/make_fixtures.py, from sheet.html)."""


def test_a_sheet_saved_by_libreoffice() -> None:
    """LibreOffice writes its own lists (one numbering definition per list), headings and tables."""
    lines, findings = read((FIXTURES / "sheet_libreoffice.docx").read_bytes())
    assert lines == [
        H("Comment associer les personnes accueillies à la gouvernance ?", 1),
        T("→ Avec Épicerie solidaire La Passerelle (14)", 2),
        T(f"Localisation{NBSP}: Vireval", 3),
        H("Chiffres clés", 4, 2),
        T("3 salariés", 5),
        C("28 bénévoles", 5),
        H("Résultats", 6, 2),
        B("Comité des adhérents élu", 7),
        B("Baisse des tensions", 8),
        B("à l'accueil", 9, 1),
        H("Etapes de mise en place", 10, 2),
        N("Diagnostic", 11),
        N("Test sur une antenne", 12),
        H("Partenaires", 13),
        T("Ville de Vireval", 13),
        H("Ressources mobilisées", 14),
        T("1,5 ETP", 14),
    ]
    assert findings == []
    (fiche,) = fichekit.parse(to_text(lines), "sheet_libreoffice.docx")
    assert [s.nom for s in fiche.structures] == ["Épicerie solidaire La Passerelle"]
    assert [(i.type.value, i.texte) for i in fiche.etapes] == [("numero", "Diagnostic"), ("numero", "Test sur une antenne")]
    assert [i.texte for i in fiche.ressources_mobilisees] == ["1,5 ETP"]


@pytest.mark.parametrize(
    ("fixture", "kind"), [("sheet_libreoffice.odt", "OpenDocument (.odt)"), ("sheet_libreoffice.doc", "Word 97-2003 (.doc)")]
)
def test_odt_and_doc_saved_as_docx_are_refused(fixture: str, kind: str) -> None:
    data = (FIXTURES / fixture).read_bytes()
    save_as = re.escape("« Enregistrer sous › Document Word (.docx) »")
    expected = f"^fiche.docx: document {re.escape(kind)}, que fichekit ne lit pas : .*{save_as}$"
    with pytest.raises(InputError, match=expected):
        read(data, "fiche.docx")
    with pytest.raises(InputError, match=re.escape(kind)):
        refuse_unsupported(Path(fixture).suffix, data[:100], fixture)


# --------------------------------------------------------------------------- not a .docx


def _odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(OLE2 + b"WordDocument".ljust(1024, b"\0"), "document Word 97-2003 (.doc)", id="doc"),
        pytest.param(OLE2 + "EncryptionInfo".encode("utf-16-le"), "protégé par mot de passe", id="password"),
        pytest.param(_odt(), "document OpenDocument (.odt)", id="odt"),
        pytest.param(b"{\\rtf1\\ansi Bonjour}", "document RTF", id="rtf"),
        pytest.param(b"Localisation : Vireval", "n'est pas un document Word .docx", id="text"),
        pytest.param(b"PK\x03\x04 truncated", "n'est pas un document Word .docx", id="truncated-zip"),
    ],
)
def test_not_a_docx_is_refused_with_how_to_save_as(data: bytes, expected: str) -> None:
    with pytest.raises(InputError) as raised:
        read(data, "fiche.docx")
    message = str(raised.value)
    assert message.startswith("fiche.docx: ")
    assert expected in message
    assert "\n" not in message
    if "mot de passe" not in message:
        assert "« Enregistrer sous › Document Word (.docx) »" in message


def test_refuse_unsupported_for_the_format_table() -> None:
    with pytest.raises(InputError, match=r"^vieux\.doc: document Word 97-2003 \(\.doc\).*Enregistrer sous"):
        refuse_unsupported(".DOC", OLE2[:100], "vieux.doc")
    with pytest.raises(InputError, match=r"^f\.odt: document OpenDocument"):
        refuse_unsupported(".odt", _odt()[:100], "f.odt")
    with pytest.raises(InputError, match="OpenDocument"):
        refuse_unsupported(".docx", _odt()[:100], "f.docx")  # an .odt renamed .docx
    assert refuse_unsupported(".docx", save(docx.Document())[:100], "f.docx") is None


def test_a_zip_that_is_not_word() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match="document principal absent"):
        read(out.getvalue())


def test_a_main_part_that_is_not_a_word_body() -> None:
    glossary = (
        f'<w:glossaryDocument {nsdecls("w")}><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:glossaryDocument>'
    )
    with pytest.raises(InputError, match="document principal inattendu"):
        read(replace_part(save(docx.Document()), "word/document.xml", glossary.encode()))


def test_imported_content_is_reported() -> None:
    """An altChunk (HTML or RTF pasted as a linked part) is another file's content: reported, not read."""
    document = docx.Document()
    document.add_paragraph("Avant")
    wrapper = parse_xml(f'<w:body {nsdecls("w", "r")}><w:altChunk r:id="rId99"/></w:body>')
    document.element.body[-1].addprevious(wrapper[0])
    lines, findings = read(save(document))
    assert lines == [T("Avant", 1)]
    assert "1 contenu importé d'un autre fichier (non lu)" in findings[0].message


# --------------------------------------------------------------------------- hostile documents


def replace_part(data: bytes, part: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == part else source.read(info))
    return out.getvalue()


def document_xml(body: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {nsdecls("w")}><w:body>{body}</w:body></w:document>'.encode()


LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY a "ahahahahahahahahahah">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)


@pytest.mark.parametrize(
    ("part", "content", "expected"),
    [
        pytest.param(
            "word/document.xml",
            document_xml("<w:p><w:r><w:t>&j;</w:t></w:r></w:p>").replace(b"<w:document", LAUGHS.encode() + b"<w:document", 1),
            "entités XML",
            id="billion-laughs",
        ),
        pytest.param(
            "word/document.xml",
            document_xml("<w:p><w:r><w:t>&x;</w:t></w:r></w:p>").replace(
                b"<w:document", b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document', 1
            ),
            "DOCTYPE",
            id="external-entity",
        ),
        pytest.param(
            "word/styles.xml",
            f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE s [<!ENTITY e "x">]><w:styles {nsdecls("w")}/>'.encode("utf-16"),
            "word/styles.xml contient une déclaration DOCTYPE",
            id="doctype-utf16-styles",
        ),
        pytest.param(
            "word/numbering.xml",
            f'<?xml version="1.0" encoding="UTF-32"?><!DOCTYPE n><w:numbering {nsdecls("w")}/>'.encode("utf-32"),
            "word/numbering.xml contient une déclaration DOCTYPE",
            id="doctype-utf32-numbering",
        ),
        pytest.param(
            "word/document.xml",
            document_xml("<w:sdt><w:sdtContent>" * 200 + "</w:sdtContent></w:sdt>" * 200),
            "imbriquée trop profondément",
            id="deep-xml",
        ),
        pytest.param("word/document.xml", b"<w:document", "XML invalide dans word/document.xml", id="broken-xml"),
    ],
)
def test_hostile_xml_is_refused(part: str, content: bytes, expected: str) -> None:
    data = replace_part(save(docx.Document()), part, content)
    with pytest.raises(InputError) as raised:
        read(data)
    assert expected in str(raised.value)
    assert "root:" not in str(raised.value)  # never the content of a local file
    assert "\n" not in str(raised.value)


def _patch_sizes(data: bytes, part: str, size: int) -> bytes:
    """Rewrite the uncompressed size ``part`` declares, in its local header and in the central directory."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo(part)
    patched = bytearray(data)
    struct.pack_into("<I", patched, info.header_offset + 22, size)
    directory = data.find(b"PK\x01\x02")
    while directory >= 0:
        name_length = struct.unpack_from("<H", data, directory + 28)[0]
        if data[directory + 46 : directory + 46 + name_length] == part.encode():
            struct.pack_into("<I", patched, directory + 24, size)
            break
        directory = data.find(b"PK\x01\x02", directory + 4)
    return bytes(patched)


def test_zip_bomb_declared_size_is_refused_before_reading() -> None:
    data = _patch_sizes(save(docx.Document()), "word/document.xml", 3_000_000_000)
    with pytest.raises(InputError, match=r"fiche\.docx: document Word suspect .*bombe zip"):
        read(data)


def test_zip_bomb_lying_about_its_size_stops_at_the_declared_size() -> None:
    body = "<w:p><w:r><w:t>bombe</w:t></w:r></w:p>" * 200_000  # ~7 MB that declares 2 KB
    data = replace_part(save(docx.Document()), "word/document.xml", document_xml(body))
    with pytest.raises(InputError, match=r"fiche\.docx: document Word corrompu"):
        read(_patch_sizes(data, "word/document.xml", 2_000))


def test_too_many_members_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", document_xml(""))
        for index in range(5_001):
            archive.writestr(f"word/media/{index}.bin", b"")
    with pytest.raises(InputError, match="trop de fichiers internes"):
        read(out.getvalue())


def test_an_end_record_understating_the_member_count_is_caught() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", document_xml(""))
        for index in range(5_001):
            archive.writestr(f"m/{index}", b"")
    data = bytearray(out.getvalue())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 3, 3)  # "3 members", the directory still holds 5 002
    with pytest.raises(InputError, match="trop de fichiers internes"):
        read(bytes(data))


def test_a_100_mb_image_is_never_read(monkeypatch: pytest.MonkeyPatch) -> None:
    document = docx.Document()
    document.add_paragraph("Légende : la ferme")
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(save(document)))
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        with target.open("word/media/image1.png", "w") as image:
            chunk = bytes(1_048_576)
            for _ in range(100):
                image.write(chunk)
    opened: list[str] = []
    original = zipfile.ZipFile.open

    def recording_open(self: zipfile.ZipFile, name: str | zipfile.ZipInfo, *args: object, **kwargs: object) -> object:
        opened.append(name.filename if isinstance(name, zipfile.ZipInfo) else name)
        return original(self, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "open", recording_open)
    assert read(out.getvalue()) == ([T("Légende : la ferme", 1)], [])
    assert not [name for name in opened if "media" in name]
    assert "word/document.xml" in opened


def test_deeply_nested_tables() -> None:
    def nested(depth: int) -> str:
        inner = "<w:p><w:r><w:t>cœur</w:t></w:r></w:p>"
        for level in range(depth):
            inner = f"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>n{level}</w:t></w:r></w:p></w:tc><w:tc>{inner}</w:tc></w:tr></w:tbl>"
        return inner

    data = replace_part(save(docx.Document()), "word/document.xml", document_xml(nested(5) + "<w:p/>"))
    assert read(data) == ([T("n4 : n3 : n2 : n1 : n0 : cœur", 1)], [])
    data = replace_part(save(docx.Document()), "word/document.xml", document_xml(nested(30)))
    with pytest.raises(InputError, match=r"tableaux imbriqués sur plus de 24 niveaux"):
        read(data)


_MILLION_EMPTY = """
import io, resource, sys, zipfile
from fichekit.readers.docx import docx_lines
body = b'<w:p/>' * 1_000_000 + b'<w:p><w:r><w:t>fin</w:t></w:r></w:p>'
xml = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
       + body + b'</w:body></w:document>')
out = io.BytesIO()
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as archive:
    archive.writestr('word/document.xml', xml)
data = out.getvalue()
del body, xml, out
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
lines = list(docx_lines(data, 'vide.docx', []))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(lines, (after - before) // 1024)
"""


def test_a_million_empty_paragraphs_stay_bounded_in_memory() -> None:
    """Streamed: the body is freed paragraph by paragraph (a full tree would take hundreds of MB)."""
    done = subprocess.run([sys.executable, "-c", _MILLION_EMPTY], capture_output=True, text=True, check=True)
    lines, grown_mb = done.stdout.rsplit(" ", 1)
    assert lines == repr([Line("fin", 1_000_001, Hint.TEXT, 0)])
    assert int(grown_mb) < 40


def test_a_rubrique_title_in_a_numbered_word_list_is_a_heading(tmp_path: Path) -> None:
    # « 4. Résultats : », the number drawn by Word's list, the title in bold: a heading, as in the text export.
    document = docx.Document()
    add_numbering(document, 70, ["decimal"])
    document.add_paragraph("→ Avec Centre social Les Tilleuls (71)")
    for title, content in (("Localisation :", "Mâcon"), ("Résultats :", "Un comité élu")):
        paragraph = document.add_paragraph()
        paragraph.add_run(title).bold = True
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="70"/></w:numPr>')
        )
        document.add_paragraph(content)
    document.add_paragraph("Des réunions le soir", style="List Number")  # a numbered item stays an item
    path = tmp_path / "numerotee.docx"
    path.write_bytes(save(document))
    [fiche] = fichekit.load(path)
    assert [item.texte for item in fiche.localisation] == ["Mâcon"]
    assert [(item.type.value, item.texte) for item in fiche.resultats] == [("paragraphe", "Un comité élu"), ("numero", "Des réunions le soir")]


def test_a_whole_sheet_typed_in_one_paragraph_with_line_breaks_is_read_rubrique_by_rubrique(tmp_path: Path) -> None:
    # Maj+Entrée between lines, to avoid Word's paragraph spacing: each line break continues the item,
    # except where a line starts a rubrique with its colon or a typed bullet.
    document = docx.Document()
    document.add_paragraph("→ Avec Épicerie des Tilleuls (21)")
    paragraph = document.add_paragraph()
    lines = ["Localisation : Dijon", "Chiffres clés : 40 bénévoles", "3 salariés", "Résultats :", "- Un comité élu", "- Des permanences"]
    for index, text in enumerate(lines):
        run = paragraph.add_run(text)
        if index < len(lines) - 1:
            run.add_break()
    path = tmp_path / "une_fiche.docx"
    path.write_bytes(save(document))
    [fiche] = fichekit.load(path)
    assert [item.texte for item in fiche.localisation] == ["Dijon"]
    assert [item.texte for item in fiche.chiffres_cles] == ["40 bénévoles\n3 salariés"]
    assert [(item.type.value, item.texte) for item in fiche.resultats] == [("puce", "Un comité élu"), ("puce", "Des permanences")]
