"""Word recueil: golden structure, read-back with python-docx, templates and their failures, CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import runpy
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import docx
import pytest
from conftest import SAMPLES_DIR, assert_golden, corpus, make_fiche, runner, samples, write_records
from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.shared import Cm, RGBColor
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from fichekit.api import iter_load, load
from fichekit.cli import app
from fichekit.errors import TemplateError
from fichekit.findings import Code, Severity
from fichekit.headings import HEADINGS
from fichekit.model import Fiche, Item, ItemType, Source, Structure
from fichekit.recueil_labels import join_continuations, projet_has_label
from fichekit.writers import Format, get_writer
from fichekit.writers.docx import MAX_TEMPLATE_BYTES, DocxWriter, french_date

DAY = dt.date(2026, 11, 25)
NORMANDIE = SAMPLES_DIR / "normandie_ateliers.txt"
TITLES = [h.title for h in HEADINGS]
SECTION_TITLES = TITLES[1:]  # localisation is shown as a « Localisation : … » line
NORMANDIE_H3 = SECTION_TITLES * 2 + TITLES
"""The third Normandie sheet names two places: its « Localisation » is a rubrique of its own, with its heading."""
W_P = qn("w:p")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _write(fiches: object, **options: object) -> bytes:
    """The recueil of ``fiches``, dated :data:`DAY` unless ``date`` is given: outputs stay byte-stable."""
    return write_records(Format.DOCX, fiches, **{"date": DAY, **options})


def _open(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def _paragraphs(document: Document) -> list[tuple[str, str]]:
    return [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]


def _texts(document: Document, style: str) -> list[str]:
    return [text for name, text in _paragraphs(document) if name == style]


def _fiche(**fields: object) -> Fiche:
    """The shared record, with a localisation and a known line for its Résultats heading."""
    base: dict[str, object] = {
        "localisation": [Item(texte="DIJON")],
        "source": Source(file="atelier.txt", line=7, rubriques={"resultats": [12]}),
    }
    return make_fiche(**{**base, **fields})


def _recovered(paragraph: Paragraph) -> str:
    """The paragraph's text as fichekit's Word reader reads it: "\\n" back at each joined ``w:t`` boundary."""
    out: list[str] = []
    for run in paragraph._p.iter(qn("w:r")):
        pieces: list[str] = []
        for child in run:
            if child.tag == qn("w:t"):
                pieces.append(child.text or "")
                continue
            out.append(join_continuations(pieces))
            pieces = []
            if child.tag == qn("w:br"):
                out.append("\n")
            elif child.tag == qn("w:tab"):
                out.append("\t")
        out.append(join_continuations(pieces))
    return "".join(out)


def _golden_json(document: Document) -> str:
    rows = [json.dumps([style, text], ensure_ascii=False) for style, text in _paragraphs(document)]
    return "[\n" + ",\n".join(rows) + "\n]\n"


# --- golden structure and read-back ---------------------------------------------------------


@pytest.mark.parametrize("path", samples())
def test_golden_docx_structure(path: Path) -> None:
    assert_golden(f"{path.stem}.docx.json", _golden_json(_open(_write(iter_load(path)))))


@pytest.mark.parametrize("path", corpus())
def test_every_content_line_is_in_the_document(path: Path) -> None:
    fiches = load(path)
    document = _open(_write(fiches))
    paragraphs = Counter(_recovered(p) for p in document.paragraphs)
    expected: Counter[str] = Counter()
    for fiche in fiches:
        for key, items in fiche.sections():
            if key != "localisation":
                expected.update(item.texte for item in items)
        expected.update(item.texte for item in fiche.hors_rubrique)
        if len(fiche.localisation) == 1 and fiche.localisation[0].type.value == "paragraphe":
            expected["Localisation : " + fiche.localisation[0].texte] += 1
        else:
            # Several places (or a list): the rubrique's own heading, one paragraph per item.
            expected.update(item.texte for item in fiche.localisation)
        if fiche.projet is not None:
            expected[f"Projet : {fiche.projet}" if projet_has_label(fiche.projet) else fiche.projet] += 1
    # Every item is one paragraph of its own, with its original lines recoverable.
    assert not expected - paragraphs
    text = "\n".join(paragraphs)
    spaced = " ".join(text.split())
    for fiche in fiches:
        # Themes differing only by spacing share the heading of the first one.
        assert fiche.theme is None or " ".join(fiche.theme.split()) in spaced
        for structure in fiche.structures:
            assert structure.nom in text and all(code in text for code in structure.departements)


def test_headings_of_a_sample() -> None:
    fiches = load(NORMANDIE)
    document = _open(_write(fiches))
    assert _texts(document, "Heading 1") == [
        "Comment associer les personnes accueillies à la gouvernance des structures d'aide alimentaire ?",
        "Quels liens construire entre l'aide alimentaire et les producteurs du territoire ?",
    ]
    assert _texts(document, "Heading 2") == [
        "Épicerie solidaire La Passerelle (14)",
        "Collectif Caddies Partagés (50 et 14)",
        "Jardin de la Vire (14) et Réseau Terres Partagées (NOR)",
    ]
    assert _texts(document, "Heading 3") == NORMANDIE_H3
    # Theme numbers (1 and 3 in this file) label their theme, just above its heading.
    paragraphs = _paragraphs(document)
    for number, theme in ((1, 0), (3, 1)):
        index = paragraphs.index(("Heading 1", _texts(document, "Heading 1")[theme]))
        assert paragraphs[index - 1] == ("Normal", f"Thème n° {number}")
    # « projet PANIERS » already says it: no « Projet : » label before it, the text in the label's bold.
    assert ("Normal", "projet PANIERS") in paragraphs
    projet = next(p for p in document.paragraphs if p.text == "projet PANIERS")
    assert [run.bold for run in projet.runs] == [True]
    assert ("Normal", "Localisation : VIREVAL") in paragraphs


def test_title_page() -> None:
    document = _open(_write(load(NORMANDIE), title="Recueil Normandie", date=dt.date(2026, 8, 1)))
    assert _paragraphs(document)[:6] == [
        ("Title", "Recueil Normandie"),
        ("Subtitle", "1er août 2026"),
        ("Subtitle", "3 fiches · 2 thèmes"),
        ("Normal", "Thèmes abordés"),
        ("List Bullet", "Comment associer les personnes accueillies à la gouvernance des structures d'aide alimentaire ? (2 fiches)"),
        ("List Bullet", "Quels liens construire entre l'aide alimentaire et les producteurs du territoire ? (1 fiche)"),
    ]


def test_title_page_with_author_and_default_date() -> None:
    document = _open(_write([_fiche()], author="Réseau Solidarité Alimentaire", date=None))
    assert _paragraphs(document)[:4] == [
        ("Title", "Recueil des fiches d'expérience"),
        ("Subtitle", "Réseau Solidarité Alimentaire"),
        ("Subtitle", french_date(dt.date.today())),
        ("Subtitle", "1 fiche · 1 thème"),
    ]


def test_single_sheet_has_no_title_page_nor_sommaire() -> None:
    document = _open(_write([_fiche(hors_rubrique=[Item(texte="préambule")])], single=True))
    paragraphs = _paragraphs(document)
    assert paragraphs[:4] == [
        ("Normal", "Thème n° 4"),
        ("Heading 1", "Comment faire ?"),
        ("Heading 2", "Épi' Soleil (21)"),
        ("Normal", "Localisation : DIJON"),
    ]
    assert not {"Title", "TOC Heading", "toc 1"} & {style for style, _ in paragraphs}
    # No introduction either: the sheet's text under no heading stays in it.
    assert ("Heading 1", "Introduction") not in paragraphs
    start = paragraphs.index(("Heading 3", "Hors rubrique"))
    assert paragraphs[start + 1] == ("Normal", "préambule")
    assert not any(p.paragraph_format.page_break_before for p in document.paragraphs)  # no empty first page
    # Its first page is not a title page: it shows the header and the page number.
    assert not document.sections[0].different_first_page_header_footer


@pytest.mark.parametrize(
    ("projet", "line"),
    [("MIAM", "Projet : MIAM"), ("projet MIAM", "projet MIAM"), ("PROJET: Cabas", "PROJET: Cabas"), ("projets partagés", "Projet : projets partagés")],
)
def test_projet_line_does_not_repeat_the_word(projet: str, line: str) -> None:
    document = _open(_write([_fiche(projet=projet)]))
    (paragraph,) = [p for p in document.paragraphs if projet in p.text]
    assert paragraph.text == line
    assert paragraph.runs[0].bold


def test_a_theme_number_labels_one_theme_only() -> None:
    def sheet(theme: str, number: int | None) -> Fiche:
        return _fiche(theme=theme, theme_number=number, structures=[Structure(nom=f"{theme}{number}")])

    # Two exports merged: each numbered its own questions from 1.
    fiches = [sheet("A ?", 1), sheet("B ?", 2), sheet("C ?", 1), sheet("D ?", 1), sheet("D ?", 3), sheet("E ?", None)]
    paragraphs = _paragraphs(_open(_write(fiches)))
    labels = {}
    for index, (style, text) in enumerate(paragraphs):
        if style == "Heading 1":
            previous = paragraphs[index - 1][1]
            labels[text] = previous if previous.startswith("Thème n° ") else None
    # C keeps no number (1 is A's); nor does D's first sheet; D's second sheet shows its own, 3, above it.
    assert labels == {"A ?": "Thème n° 1", "B ?": "Thème n° 2", "C ?": None, "D ?": None, "E ?": None}
    d3 = paragraphs.index(("Heading 2", "D ?3"))
    assert paragraphs[d3 - 1] == ("Normal", "Thème n° 3")
    assert [text for _, text in paragraphs].count("Thème n° 1") == 1


@pytest.mark.parametrize(
    ("day", "expected"),
    [(dt.date(2026, 11, 25), "25 novembre 2026"), (dt.date(2027, 2, 1), "1er février 2027"), (dt.date(2026, 8, 15), "15 août 2026")],
)
def test_french_date(day: dt.date, expected: str) -> None:
    assert french_date(day) == expected


def test_themes_are_grouped_by_first_appearance() -> None:
    def sheet(theme: str | None, nom: str) -> Fiche:
        return _fiche(theme=theme, theme_number=None, structures=[Structure(nom=nom)])

    fiches = [
        sheet("A ?", "a1"), sheet(None, "n1"), sheet("B ?", "b1"), sheet("A\u00a0?", "a2"), sheet(None, "n2"), sheet(" ", "n3")
    ]
    document = _open(_write(fiches))
    # « A ? » written with a no-break space is the same theme; a blank theme is no theme.
    assert _texts(document, "Heading 1") == ["A ?", "Sans thème", "B ?"]
    assert _texts(document, "Heading 2") == ["a1", "a2", "n1", "n2", "n3", "b1"]


def test_structures_heading_joins_in_french() -> None:
    fiche = _fiche(
        structures=[
            Structure(nom="Civam Le Serpolet", departements=["39"]),
            Structure(nom="Active", departements=["BFC"]),
            Structure(nom="Secours catholique", departements=["71", "58"]),
        ]
    )
    assert _texts(_open(_write([fiche])), "Heading 2") == [
        "Civam Le Serpolet (39), Active (BFC) et Secours catholique (71 et 58)"
    ]
    assert _texts(_open(_write([_fiche(structures=[])])), "Heading 2") == ["Sans structure"]


def test_each_sheet_starts_a_new_page() -> None:
    fiches = [_fiche(structures=[Structure(nom=f"S{i}")], theme=f"T{i % 2}", theme_number=i % 2 or None) for i in range(5)]
    document = _open(_write(fiches))
    paragraphs = _paragraphs(document)
    starts = [i for i, p in enumerate(document.paragraphs) if p.paragraph_format.page_break_before]
    assert paragraphs[starts[0]] == ("TOC Heading", "Sommaire")
    sheets = [i for i, (style, _) in enumerate(paragraphs) if style == "Heading 2"]
    assert len(sheets) == 5
    for index in sheets:
        # Only its theme's heading (and number label) may stand between a sheet and its page's start.
        opener = max(start for start in starts if start <= index)
        between = paragraphs[opener:index]
        assert all(style == "Heading 1" or text.startswith("Thème n° ") for style, text in between), between
    # The sommaire, the two themes (each opening its first sheet's page) and the three other sheets.
    assert len(starts) == 1 + 2 + 3
    # S3 carries its theme's number too: the small label above its heading opens its page.
    assert [paragraphs[start] for start in starts[1:]] == [
        ("Heading 1", "T0"), ("Heading 2", "S2"), ("Heading 2", "S4"), ("Normal", "Thème n° 1"), ("Normal", "Thème n° 1")
    ]
    assert paragraphs[starts[4] : starts[4] + 3] == [("Normal", "Thème n° 1"), ("Heading 1", "T1"), ("Heading 2", "S1")]


def test_items_use_list_styles_and_line_breaks() -> None:
    fiche = _fiche(
        resultats=[
            Item(texte="paragraphe"),
            Item(texte="puce\nsur deux lignes", type=ItemType.PUCE),
            Item(texte="2019\tOuverture", type=ItemType.NUMERO),
        ]
    )
    document = _open(_write([fiche]))
    paragraphs = _paragraphs(document)
    start = paragraphs.index(("Heading 3", "Résultats"))
    # A wrapped source line reads as a space in Word, and exactly when fichekit reads the recueil back.
    assert paragraphs[start + 1 : start + 4] == [
        ("Normal", "paragraphe"),
        ("List Bullet", "puce sur deux lignes"),
        ("List Number", "2019\tOuverture"),
    ]
    bullet = document.paragraphs[start + 2]
    assert not bullet._p.findall(f".//{qn('w:br')}")
    assert [t.text for t in bullet._p.iter(qn("w:t"))] == ["puce ", "sur deux lignes"]
    assert _recovered(bullet) == "puce\nsur deux lignes"
    assert len(document.paragraphs[start + 3]._p.findall(f".//{qn('w:tab')}")) == 1


def test_numbering_restarts_for_each_list() -> None:
    numero = ItemType.NUMERO
    fiche = _fiche(
        etapes=[Item(texte="e1", type=numero), Item(texte="e2", type=numero), Item(texte="pause"), Item(texte="e3", type=numero)],
        conseils=[Item(texte="c1", type=numero), Item(texte="c2", type=numero)],
    )
    document = _open(_write([fiche, fiche]))
    numbered = [p for p in document.paragraphs if p.style is not None and p.style.name == "List Number"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    # e1 e2 | e3 | c1 c2, twice: six lists, each with its own w:num.
    assert [p.text for p in numbered] == ["e1", "e2", "e3", "c1", "c2"] * 2
    assert ids[0] == ids[1] and ids[3] == ids[4]
    assert len({ids[0], ids[2], ids[3], ids[5], ids[7], ids[8]}) == 6
    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    list_number_abstract = numbering.num_having_numId(style_num).abstractNumId.val
    for num_id in set(ids):
        num = numbering.num_having_numId(num_id)
        assert num.abstractNumId.val == list_number_abstract
        assert num.xpath("w:lvlOverride/w:startOverride/@w:val") == ["1"]


def test_empty_sections_say_non_renseigne() -> None:
    document = _open(_write([_fiche(localisation=[], apports_du_groupe=[])]))
    paragraphs = _paragraphs(document)
    start = paragraphs.index(("Heading 3", "Apports du groupe"))
    assert paragraphs[start + 1] == ("Normal", "Non renseigné")
    run = document.paragraphs[start + 1].runs[0]
    assert run.italic and run.font.color.rgb == RGBColor(0x76, 0x76, 0x76)
    assert ("Normal", "Localisation : Non renseigné") in paragraphs
    assert paragraphs.count(("Normal", "Non renseigné")) == len(SECTION_TITLES)


def test_text_before_the_first_sheet_is_the_introduction() -> None:
    first = _fiche(hors_rubrique=[Item(texte="préambule\nsur deux lignes"), Item(texte="liste", type=ItemType.PUCE)])
    second = _fiche(structures=[Structure(nom="Autre")], hors_rubrique=[Item(texte="égaré")])
    document = _open(_write([first, second]))
    paragraphs = _paragraphs(document)
    # The first sheet's: an « Introduction » after the sommaire, on its own page, before the first theme.
    start = paragraphs.index(("Heading 1", "Introduction"))
    assert paragraphs[start + 1 : start + 5] == [
        ("Normal", "préambule sur deux lignes"), ("List Bullet", "liste"), ("Normal", "Thème n° 4"), ("Heading 1", "Comment faire ?")
    ]
    assert _recovered(document.paragraphs[start + 1]) == "préambule\nsur deux lignes"
    assert document.paragraphs[start].paragraph_format.page_break_before
    assert paragraphs.index(("TOC Heading", "Sommaire")) < start
    assert [text for style, text in paragraphs if style == "toc 1"] == ["Introduction", "Comment faire ?"]
    # Any other sheet's stays inside it, before its first rubrique.
    assert paragraphs.count(("Heading 3", "Hors rubrique")) == 1
    inside = paragraphs.index(("Heading 3", "Hors rubrique"))
    assert paragraphs[inside + 1 : inside + 3] == [("Normal", "égaré"), ("Heading 3", "Chiffres clés")]
    assert paragraphs.index(("Heading 2", "Autre")) < inside


def test_sommaire_is_a_toc_field_prefilled_with_links() -> None:
    document = _open(_write(load(NORMANDIE)))
    body = document.element.body
    kinds = [
        (e.get(qn("w:fldCharType")) if e.tag == qn("w:fldChar") else e.text)
        for e in body.iter(qn("w:fldChar"), qn("w:instrText"))
    ]
    assert kinds == ["begin", ' TOC \\o "1-2" \\h \\z \\u ', "separate", "end"]
    # The stored result lacks page numbers: marked stale so that Word recomputes it.
    assert body.xpath("//w:fldChar[@w:fldCharType='begin']/@w:dirty") == ["true"]
    toc = [(style, text) for style, text in _paragraphs(document) if style.startswith("toc")]
    assert toc == [
        ("toc 1", _texts(document, "Heading 1")[0]),
        ("toc 2", "Épicerie solidaire La Passerelle (14)"),
        ("toc 2", "Collectif Caddies Partagés (50 et 14)"),
        ("toc 1", _texts(document, "Heading 1")[1]),
        ("toc 2", "Jardin de la Vire (14) et Réseau Terres Partagées (NOR)"),
    ]
    # Every entry links to the bookmark around its heading.
    anchors = body.xpath("//w:hyperlink/@w:anchor")
    bookmarks = {
        mark.get(qn("w:name")): mark.getparent() for mark in body.iter(qn("w:bookmarkStart"))
    }
    assert [Paragraph(bookmarks[a], document).text for a in anchors] == [t for _, t in toc]
    # The hint sits inside the field result, so Word's update replaces it.
    hint = [p for p in document.paragraphs if p.text.startswith("Numéros de page :")]
    assert len(hint) == 1 and hint[0]._p.xpath("w:r/w:fldChar/@w:fldCharType") == ["end"]
    settings_xml = document.settings.element
    assert settings_xml.xpath("w:updateFields/@w:val") == ["true"]


def test_empty_collection() -> None:
    document = _open(_write(iter([])))
    assert _paragraphs(document) == [
        ("Title", "Recueil des fiches d'expérience"),
        ("Subtitle", "25 novembre 2026"),
        ("Subtitle", "0 fiche · 0 thème"),
        ("TOC Heading", "Sommaire"),
        ("Normal", "Aucune fiche dans ce recueil."),
    ]


def test_language_page_and_core_properties() -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    document = _open(_write(load(NORMANDIE), title="Recueil 2026"))
    lang = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    assert lang == ["fr-FR"]
    properties = document.core_properties
    assert properties.title == "Recueil 2026"
    assert properties.subject == "Fiches d'expérience"
    assert properties.author == "fichekit"
    assert properties.language == "fr-FR"
    assert properties.comments == "3 fiches"
    assert properties.created is not None and before <= properties.created.replace(tzinfo=None)
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    # « Page X sur Y » in the footer and the current theme in the header, neither on the title page.
    assert section.different_first_page_header_footer
    footer = section.footer.paragraphs[0]
    assert footer._p.xpath(".//w:instrText/text()") == [" PAGE ", " NUMPAGES "]
    assert footer.text == "Page 1 sur 1"
    header = section.header.paragraphs[0]
    assert header._p.xpath(".//w:instrText/text()") == [" STYLEREF 1 "]
    # Word shows the theme of each page; the stored result, for viewers that do not recompute it, is the title.
    assert header.text == "Recueil 2026"
    assert section.first_page_footer.paragraphs[0].text == section.first_page_header.paragraphs[0].text == ""
    assert not section.first_page_header.is_linked_to_previous


# Child order of paragraph and run properties in ECMA-376 (CT_PPr, CT_RPr).
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid vanish "
    "webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang "
    "eastAsianLayout specVanish oMath rPrChange"
).split()


@pytest.mark.parametrize("with_template", [False, True], ids=["house-style", "template"])
def test_package_is_well_formed_for_word(tmp_path: Path, with_template: bool) -> None:
    template = _template(tmp_path / "modele.docx") if with_template else None
    data = _write(load(NORMANDIE), template=template)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        # No preview image nor Word 2010 style copy of the template: they would not show the recueil.
        assert "docProps/thumbnail.jpeg" not in names and "word/stylesWithEffects.xml" not in names
        parts = [etree.fromstring(archive.read(name)) for name in names if name.startswith("word/") and name.endswith(".xml")]
    for part in parts:
        for paragraph in part.iter(W_P):
            properties = paragraph.findall(qn("w:pPr"))
            # Word refuses a paragraph with two pPr, or with its pPr after its content.
            assert len(properties) <= 1 and (not properties or paragraph[0] is properties[0])
        # ... and properties out of the schema's order.
        for tag, order in ((qn("w:pPr"), PPR_ORDER), (qn("w:rPr"), RPR_ORDER)):
            for element in part.iter(tag):
                positions = [order.index(etree.QName(child).localname) for child in element]
                assert positions == sorted(positions), etree.tostring(element)


def test_house_style_file_is_what_its_script_builds(tmp_path: Path) -> None:
    script = runpy.run_path(str(Path(__file__).parents[1] / "scripts" / "build_house_style.py"))
    script["build"](tmp_path / "recueil.docx")
    committed = resources.files("fichekit.writers.docx").joinpath("recueil.docx").read_bytes()
    built, shipped = _members(tmp_path / "recueil.docx"), _members_of(committed)
    assert built.keys() == shipped.keys()
    # Everything but the file's creation time.
    assert {k: v for k, v in built.items() if k != "docProps/core.xml"} == {k: v for k, v in shipped.items() if k != "docProps/core.xml"}


def test_registry_gives_the_docx_writer() -> None:
    assert isinstance(get_writer(Format.DOCX), DocxWriter)


def test_input_is_consumed_once_as_it_streams() -> None:
    pulled: list[int] = []

    def sheets() -> Iterator[Fiche]:
        for index in range(3):
            pulled.append(index)
            yield _fiche(structures=[Structure(nom=f"S{index}")])

    document = _open(_write(sheets()))
    assert pulled == [0, 1, 2]
    assert _texts(document, "Heading 2") == ["S0", "S1", "S2"]


# --- characters Word cannot hold ---------------------------------------------------------


def test_control_characters_are_removed_with_a_warning() -> None:
    findings: list = []
    fiche = _fiche(
        structures=[Structure(nom="Épi\x00 Soleil", departements=["21"])],
        resultats=[Item(texte="page\x0csuivante"), Item(texte="ok\ufffe\ud800")],
    )
    document = _open(_write([fiche], findings=findings))
    paragraphs = _paragraphs(document)
    assert ("Heading 2", "Épi Soleil (21)") in paragraphs
    start = paragraphs.index(("Heading 3", "Résultats"))
    assert paragraphs[start + 1 : start + 3] == [("Normal", "pagesuivante"), ("Normal", "ok")]
    assert [(f.code, f.severity, f.file, f.line) for f in findings] == [
        (Code.CONTROL_CHARACTERS, Severity.WARNING, "atelier.txt", 7),
        (Code.CONTROL_CHARACTERS, Severity.WARNING, "atelier.txt", 12),
    ]
    assert "fiche « Épi\x00 Soleil (21) », structures" in findings[0].message
    assert "U+0000" in findings[0].message
    assert "rubrique « Résultats »" in findings[1].message
    assert "U+000C, U+D800, U+FFFE" in findings[1].message


_any_text = st.text(alphabet=st.one_of(st.sampled_from("\x00\x0b\x1f\ufffe\uffff\t\n\r é«»•"), st.characters()))


@settings(max_examples=40, deadline=None)
@given(texte=_any_text)
def test_any_text_reads_back_without_forbidden_characters(texte: str) -> None:
    findings: list = []
    document = _open(_write([_fiche(conseils=[Item(texte=texte)])], findings=findings))
    paragraphs = _paragraphs(document)
    start = paragraphs.index(("Heading 3", TITLES[10]))
    removed = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]", "", texte)
    kept = re.sub(r"\r\n?", "\n", removed)
    assert paragraphs[start + 1][1] == kept.replace("\n", " ")
    assert _recovered(document.paragraphs[start + 1]) == kept
    assert len(findings) == (1 if removed != texte else 0)


# --- performance -----------------------------------------------------------------------------


def test_writing_time_grows_linearly() -> None:
    fiches = load(NORMANDIE)

    def cpu_seconds(count: int) -> float:
        sheets = [fiches[i % len(fiches)] for i in range(count)]
        start = time.process_time()
        _write(sheets)
        return time.process_time() - start

    cpu_seconds(10)  # warm-up: imports and caches
    small, large = cpu_seconds(40), cpu_seconds(400)
    # Ten times the sheets: about ten times the time (a quadratic writer would take ~100 times).
    assert large < 25 * small, (small, large)


# --- templates -----------------------------------------------------------------------------


def _template(path: Path, change: Callable[[Document], None] | None = None) -> Path:
    document = docx.Document()
    section = document.sections[0]
    section.left_margin = Cm(3.3)
    section.header.paragraphs[0].text = "Réseau Solidarité Alimentaire — document interne"
    document.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    document.add_paragraph("Texte du modèle à effacer")
    document.add_table(rows=1, cols=2)
    if change is not None:
        change(document)
    document.save(str(path))
    return path


def test_template_styles_page_and_header_are_kept(tmp_path: Path) -> None:
    template = _template(tmp_path / "modele.docx")
    document = _open(_write(load(NORMANDIE), template=template))
    section = document.sections[-1]
    assert section.header.paragraphs[0].text == "Réseau Solidarité Alimentaire — document interne"
    assert round(section.left_margin.cm, 1) == 3.3
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    paragraphs = _paragraphs(document)
    assert "Texte du modèle à effacer" not in [text for _, text in paragraphs] and not document.tables
    assert paragraphs[0] == ("Title", "Recueil des fiches d'expérience")
    assert _texts(document, "Heading 3") == NORMANDIE_H3
    # The template's colours rule: labels get no colour of fichekit's.
    label = next(p for p in document.paragraphs if p.text.startswith("Localisation :"))
    assert label.runs[0].bold and label.runs[0].font.color.rgb is None
    assert document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val") == ["fr-FR"]


def test_dotx_template_is_accepted(tmp_path: Path) -> None:
    source = _template(tmp_path / "modele.docx")
    dotx = tmp_path / "modele.dotx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(dotx, "w") as target:
        for info in original.infolist():
            blob = original.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(info, blob)
    document = _open(_write([_fiche()], template=dotx))
    assert _texts(document, "Heading 2") == ["Épi' Soleil (21)"]


def _drop_style(name: str) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        element = document.styles[name].element
        element.getparent().remove(element)

    return change


@pytest.mark.parametrize(
    ("style", "french"), [("List Number", "Liste numéros"), ("Heading 2", "Titre 2"), ("Title", "Titre")]
)
def test_template_missing_a_style_gets_the_house_one(tmp_path: Path, style: str, french: str) -> None:
    template = _template(tmp_path / "modele.docx", _drop_style(style))
    findings: list = []
    fiche = _fiche(etapes=[Item(texte="un", type=ItemType.NUMERO), Item(texte="deux", type=ItemType.NUMERO)])
    document = _open(_write([fiche, fiche], template=template, findings=findings))
    assert [(f.code, f.severity, f.file) for f in findings] == [(Code.TEMPLATE_STYLE_ADDED, Severity.WARNING, str(template))]
    assert f"le modèle n'a pas de style « {style} » (« {french} » dans Word en français) : celui du recueil est utilisé" in findings[0].message
    house = _open(_write([fiche]))
    added, reference = document.styles[style], house.styles[style]
    assert added.element.xpath("w:rPr/w:sz/@w:val") == reference.element.xpath("w:rPr/w:sz/@w:val")
    assert added.base_style is not None and added.base_style.name == "Normal"
    assert style in {name for name, _ in _paragraphs(document)}
    # A copied List Number keeps numbering, restarting for each list.
    numbered = [p for p in document.paragraphs if p.text in ("un", "deux")]
    numbering = document.part.numbering_part.element
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert ids[0] == ids[1] != ids[2] == ids[3]
    for num_id in ids:
        abstract = numbering.num_having_numId(num_id).abstractNumId.val
        assert numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl[@w:ilvl='0']/w:numFmt/@w:val") == ["decimal"]
    nsids = numbering.xpath("w:abstractNum/w:nsid/@w:val")
    assert len(nsids) == len(set(nsids))


LIBREOFFICE = Path(__file__).parent / "templates" / "libreoffice.docx"


def test_libreoffice_template_works_with_the_house_styles_it_lacks() -> None:
    findings: list = []
    document = _open(_write(load(NORMANDIE), template=LIBREOFFICE, findings=findings))
    assert [f.code for f in findings] == [Code.TEMPLATE_STYLE_ADDED] * 3
    assert [re.search("« ([^»]+) »", f.message).group(1) for f in findings] == ["Title", "List Bullet", "List Number"]  # type: ignore[union-attr]
    assert _paragraphs(document)[0] == ("Title", "Recueil des fiches d'expérience")
    assert _texts(document, "Heading 3") == NORMANDIE_H3
    # The template's own look and page: green headings, its margins and header; the house footer numbers pages.
    heading = next(p for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1")
    assert heading.style.font.color.rgb == RGBColor(0x00, 0x66, 0x33)
    section = document.sections[-1]
    assert round(section.left_margin.cm, 1) == 3.0
    assert section.header.paragraphs[0].text == "Réseau des épiceries — modèle LibreOffice"
    assert section.footer.paragraphs[0]._p.xpath(".//w:instrText/text()") == [" PAGE ", " NUMPAGES "]
    assert "Texte du modèle LibreOffice" not in [text for _, text in _paragraphs(document)]


def test_template_without_toc_styles_gets_them(tmp_path: Path) -> None:
    template = _template(tmp_path / "modele.docx", _drop_style("TOC Heading"))
    document = _open(_write([_fiche()], template=template))
    assert ("TOC Heading", "Sommaire") in _paragraphs(document)
    assert [s for s, _ in _paragraphs(document) if s.startswith("toc")] == ["toc 1", "toc 2"]


def _unnumbered_list_number(document: Document) -> None:
    ppr = document.styles["List Number"].element.pPr
    ppr.remove(ppr.numPr)


def test_template_whose_list_number_is_not_numbered_gets_numbering(tmp_path: Path) -> None:
    template = _template(tmp_path / "modele.docx", _unnumbered_list_number)
    fiche = _fiche(etapes=[Item(texte="un", type=ItemType.NUMERO), Item(texte="deux", type=ItemType.NUMERO)])
    document = _open(_write([fiche], template=template))
    numbered = [p for p in document.paragraphs if p.text in ("un", "deux")]
    num_id = numbered[0]._p.pPr.numPr.numId.val
    assert numbered[1]._p.pPr.numPr.numId.val == num_id
    numbering = document.part.numbering_part.element
    abstract = numbering.num_having_numId(num_id).abstractNumId.val
    assert numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl/w:numFmt/@w:val") == ["decimal"]


def _zip_with(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in members.items():
            archive.writestr(name, blob)
    return path


def _with_doctype(tmp_path: Path, doctype: str) -> Path:
    source = _template(tmp_path / "base.docx")
    with zipfile.ZipFile(source) as original:
        members = {info.filename: original.read(info) for info in original.infolist()}
    styles = members["word/styles.xml"]
    declaration_end = styles.index(b"?>") + 2
    members["word/styles.xml"] = styles[:declaration_end] + doctype.encode() + styles[declaration_end:].replace(
        b'w:val="Title"', b'w:val="&x;"', 1
    )
    return _zip_with(tmp_path / "entites.docx", members)


LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 9))


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE w:styles [<!ENTITY x "DÉPLOYÉE">]>',
        '<!DOCTYPE w:styles [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        f'<!DOCTYPE w:styles [<!ENTITY l0 "rire">{LAUGHS}<!ENTITY x "&l8;">]>',
    ],
    ids=["internal-entity", "external-entity", "billion-laughs"],
)
def test_template_with_xml_entities_is_refused(tmp_path: Path, doctype: str) -> None:
    template = _with_doctype(tmp_path, doctype)
    with pytest.raises(TemplateError, match=r"DOCTYPE \(word/styles.xml\) : refusé par sécurité"):
        _write([_fiche()], template=template)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-7"])
def test_template_doctype_is_refused_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    source = _template(tmp_path / "base.docx")
    members = _members(source)
    text = members["word/styles.xml"].decode("utf-8")
    declaration_end = text.index("?>") + 2
    text = text[:declaration_end] + '<!DOCTYPE w:styles [<!ENTITY x "DÉPLOYÉE">]>' + text[declaration_end:]
    text = text.replace("encoding='UTF-8'", f"encoding='{encoding.split('-l')[0].split('-b')[0].upper()}'")
    text = text.replace('encoding="UTF-8"', f'encoding="{encoding.split("-l")[0].split("-b")[0].upper()}"')
    blob = text.encode(encoding)
    if encoding == "utf-7":
        # « ! » may be written in base64 in UTF-7: no byte search finds « <!DOCTYPE » then.
        blob = blob.replace(b"<!DOCTYPE", b"<+ACE-DOCTYPE")
        assert b"DOCTYPE" in blob and b"<!DOCTYPE" not in blob
    members["word/styles.xml"] = blob
    template = _zip_with(tmp_path / "encodage.docx", members)
    with pytest.raises(TemplateError, match=r"DOCTYPE \(word/styles.xml\) : refusé par sécurité"):
        _write([_fiche()], template=template)


def test_template_doctype_in_an_unused_part_is_refused(tmp_path: Path) -> None:
    members = _members(_template(tmp_path / "base.docx"))
    members["customXml/item9.xml"] = '<?xml version="1.0" encoding="UTF-32"?><!DOCTYPE x><x/>'.encode("utf-32")
    with pytest.raises(TemplateError, match=r"DOCTYPE \(customXml/item9.xml\)"):
        _write([_fiche()], template=_zip_with(tmp_path / "modele.docx", members))


# --- what a template may carry that must never reach the recueil -----------------------------

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_EXTERNAL = "http://exemple.invalid/piege"


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def _add_rel(members: dict[str, bytes], rels_name: str, rel_id: str, reltype: str, target: str, external: bool = False) -> None:
    mode = ' TargetMode="External"' if external else ""
    entry = f'<Relationship Id="{rel_id}" Type="{reltype}" Target="{target}"{mode}/>'.encode()
    if rels_name in members:
        members[rels_name] = members[rels_name].replace(b"</Relationships>", entry + b"</Relationships>")
    else:
        members[rels_name] = f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">'.encode() + entry + b"</Relationships>"


def _add_override(members: dict[str, bytes], part: str, content_type: str) -> None:
    entry = f'<Override PartName="/{part}" ContentType="{content_type}"/>'.encode()
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"</Types>", entry + b"</Types>")


def _header_name(members: dict[str, bytes]) -> str:
    rels = members["word/_rels/document.xml.rels"].decode()
    return "word/" + re.search(r'Target="(header\d*\.xml)"', rels).group(1)  # type: ignore[union-attr]


def _in_header(members: dict[str, bytes], xml: str) -> None:
    name = _header_name(members)
    members[name] = members[name].replace(b"</w:hdr>", xml.encode() + b"</w:hdr>")


def _settings_attached_template(members: dict[str, bytes]) -> None:
    members["word/settings.xml"] = members["word/settings.xml"].replace(
        b"<w:zoom ", f'<w:attachedTemplate xmlns:r="{_REL}" r:id="rIdT"/><w:zoom '.encode()
    )
    _add_rel(members, "word/_rels/settings.xml.rels", "rIdT", f"{_REL}/attachedTemplate", _EXTERNAL, external=True)


def _header_external_image_and_link(members: dict[str, bytes]) -> None:
    rels = "word/_rels/" + _header_name(members).split("/")[1] + ".rels"
    _add_rel(members, rels, "rIdX1", f"{_REL}/image", _EXTERNAL + ".png", external=True)
    _add_rel(members, rels, "rIdX2", f"{_REL}/hyperlink", _EXTERNAL + "-lien", external=True)
    _in_header(
        members,
        f'<w:p xmlns:r="{_REL}"><w:hyperlink r:id="rIdX2"><w:r><w:t>site du réseau</w:t></w:r></w:hyperlink>'
        '<w:r><w:pict xmlns:v="urn:schemas-microsoft-com:vml"><v:shape style="width:10pt;height:10pt">'
        '<v:imagedata r:id="rIdX1"/></v:shape></w:pict></w:r>'
        f'<w:r><w:pict xmlns:v="urn:schemas-microsoft-com:vml"><v:shape href="{_EXTERNAL}-vml"/></w:pict></w:r></w:p>',
    )


def _header_ole_object_and_link_field(members: dict[str, bytes]) -> None:
    rels = "word/_rels/" + _header_name(members).split("/")[1] + ".rels"
    members["word/embeddings/oleObject1.bin"] = b"OLE piege"
    _add_rel(members, rels, "rIdO", f"{_REL}/oleObject", "embeddings/oleObject1.bin")
    _add_override(members, "word/embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument.oleObject")
    _in_header(
        members,
        f'<w:p xmlns:r="{_REL}"><w:r><w:object><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" '
        'Type="Embed" ProgID="Excel.Sheet.12" r:id="rIdO"/></w:object></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> LINK Excel.Sheet.12 '
        '"\\\\\\\\serveur\\\\partage\\\\piege.xlsx" "" \\a </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        '<w:r><w:t>valeur liée</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> AUTHOR </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Jeanne Piège</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    )


def _macros(members: dict[str, bytes]) -> None:
    members["word/vbaProject.bin"] = b"Attribute VB_Name = piege"
    _add_rel(members, "word/_rels/document.xml.rels", "rIdV", "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin")
    _add_override(members, "word/vbaProject.bin", "application/vnd.ms-office.vbaProject")


def _alt_chunk(members: dict[str, bytes]) -> None:
    members["word/afchunk.mht"] = b"<html><body>piege altChunk</body></html>"
    _add_rel(members, "word/_rels/document.xml.rels", "rIdA", f"{_REL}/aFChunk", "afchunk.mht")
    _add_override(members, "word/afchunk.mht", "message/rfc822")
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"<w:body>", f'<w:body><w:altChunk xmlns:r="{_REL}" r:id="rIdA"/>'.encode()
    )


def _comments(members: dict[str, bytes]) -> None:
    members["word/comments.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:comment w:id="0" w:author="Jeanne Piège" w:initials="JP"><w:p><w:r><w:t>piege commentaire</w:t></w:r></w:p>'
        "</w:comment></w:comments>"
    ).encode()
    _add_rel(members, "word/_rels/document.xml.rels", "rIdC", f"{_REL}/comments", "comments.xml")
    _add_override(members, "word/comments.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml")
    _in_header(
        members,
        '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>en-tête</w:t></w:r><w:commentRangeEnd w:id="0"/>'
        '<w:r><w:commentReference w:id="0"/></w:r><w:ins w:id="1" w:author="Jeanne Piège"><w:r><w:t> ajouté</w:t></w:r></w:ins></w:p>',
    )


def _custom_properties(members: dict[str, bytes]) -> None:
    members["docProps/custom.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
        b'pid="2" name="Client"><vt:lpwstr>piege propriete</vt:lpwstr></property></Properties>'
    )
    _add_rel(members, "_rels/.rels", "rIdP", f"{_REL}/custom-properties", "docProps/custom.xml")
    _add_override(members, "docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml")


def _company_and_manager(members: dict[str, bytes]) -> None:
    members["docProps/app.xml"] = members["docProps/app.xml"].replace(
        b"</Properties>", "<Company>Société Piège</Company><Manager>Jeanne Piège</Manager></Properties>".encode()
    )


def _body_image(members: dict[str, bytes]) -> None:
    members["word/media/piege.png"] = _png()
    _add_rel(members, "word/_rels/document.xml.rels", "rIdI", f"{_REL}/image", "media/piege.png")
    if b'Extension="png"' not in members["[Content_Types].xml"]:
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
            b"</Types>", b'<Default Extension="png" ContentType="image/png"/></Types>'
        )
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"<w:body>",
        f'<w:body><w:p><w:r><w:pict xmlns:v="urn:schemas-microsoft-com:vml" xmlns:r="{_REL}"><v:shape><v:imagedata r:id="rIdI"/>'
        "</v:shape></w:pict></w:r></w:p>".encode(),
    )


def _glossary(members: dict[str, bytes]) -> None:
    members["word/glossary/document.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:glossaryDocument xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:docParts><w:docPart><w:docPartBody><w:p><w:r><w:t>piege glossaire</w:t></w:r></w:p></w:docPartBody></w:docPart></w:docParts>"
        b"</w:glossaryDocument>"
    )
    _add_rel(members, "word/_rels/document.xml.rels", "rIdG", f"{_REL}/glossaryDocument", "glossary/document.xml")
    _add_override(members, "word/glossary/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml")


def _people(members: dict[str, bytes]) -> None:
    members["word/people.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
        '<w15:person w15:author="Jeanne Piège"><w15:presenceInfo w15:providerId="AD" w15:userId="piege@exemple.invalid"/></w15:person></w15:people>'
    ).encode()
    _add_rel(members, "word/_rels/document.xml.rels", "rIdQ", "http://schemas.microsoft.com/office/2011/relationships/people", "people.xml")
    _add_override(members, "word/people.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml")


def _web_frames(members: dict[str, bytes]) -> None:
    members["word/webSettings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><w:webSettings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:r="{_REL}"><w:frameset><w:frame><w:name w:val="piege"/><w:sourceFileName r:id="rIdW"/></w:frame></w:frameset></w:webSettings>'
    ).encode()
    _add_rel(members, "word/_rels/webSettings.xml.rels", "rIdW", f"{_REL}/frame", _EXTERNAL + "-cadre", external=True)


@pytest.mark.parametrize(
    ("change", "gone", "kept"),
    [
        (_settings_attached_template, ["attachedTemplate", _EXTERNAL], []),
        (_header_external_image_and_link, [_EXTERNAL, "imagedata"], ["site du réseau"]),
        (_header_ole_object_and_link_field, ["oleObject", "OLEObject", "LINK", "serveur", "Jeanne Piège", "AUTHOR"], ["valeur liée"]),
        (_macros, ["vbaProject", "VB_Name"], []),
        (_alt_chunk, ["altChunk", "aFChunk", "piege altChunk"], []),
        (_comments, ["comments.xml", "Jeanne Piège", "piege commentaire", "commentReference", "<w:ins "], ["en-tête", " ajouté"]),
        (_custom_properties, ["custom.xml", "piege propriete"], []),
        (_company_and_manager, ["Société Piège", "Jeanne Piège"], []),
        (_body_image, ["piege.png", "media/"], []),
        (_glossary, ["glossary", "piege glossaire"], []),
        (_people, ["people.xml", "Jeanne Piège", "piege@exemple"], []),
        (_web_frames, ["frameset", _EXTERNAL], []),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else "markers",
)
def test_template_carries_nothing_unsafe_into_the_recueil(
    tmp_path: Path, change: Callable[[dict[str, bytes]], None], gone: list[str], kept: list[str]
) -> None:
    members = _members(_template(tmp_path / "base.docx"))
    change(members)
    template = _zip_with(tmp_path / "modele.docx", members)
    whole = b"\n".join(_members(template).values()).decode("utf-8", errors="replace")
    assert all(marker in whole for marker in gone if marker != "media/")  # the template does carry it
    data = _write([_fiche()], template=template)
    output = {name: blob.decode("utf-8", errors="replace") for name, blob in _members_of(data).items()}
    for marker in gone:
        found = [name for name, text in output.items() if marker in text or marker in name]
        assert not found, (marker, found)
    assert not any('TargetMode="External"' in text for text in output.values())
    # The header's own words stay, as plain text; the template's look still applies, and the recueil opens.
    document = _open(data)
    header = "".join(p.text for p in document.sections[-1].header.paragraphs)
    assert all(words in header for words in kept), header
    assert round(document.sections[-1].left_margin.cm, 1) == 3.3
    assert _texts(document, "Heading 2") == ["Épi' Soleil (21)"]


def _members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_template_header_keeps_its_internal_image_and_safe_fields(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(_png())

    def header_with_logo(document: Document) -> None:
        header = document.sections[0].header
        header.paragraphs[0].add_run().add_picture(str(logo))
        footer = header.add_paragraph()  # fields a header may show: kept as fields
        footer.add_run("Page ")
        footer._p.append(parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" PAGE "/>'))

    template = _template(tmp_path / "modele.docx", header_with_logo)
    document = _open(_write([_fiche()], template=template))
    header = document.sections[-1].header
    assert header.paragraphs[0].text == "Réseau Solidarité Alimentaire — document interne"
    images = [rel.target_part for rel in header.part.rels.values() if rel.reltype.endswith("/image")]
    assert [image.blob for image in images] == [_png()] and not any(rel.is_external for rel in header.part.rels.values())
    embeds = header._element.xpath(".//a:blip/@r:embed")
    assert embeds and all(rel_id in header.part.rels for rel_id in embeds)
    assert header._element.xpath(".//w:fldSimple/@w:instr") == [" PAGE "]


def test_template_footer_without_page_number_gets_one(tmp_path: Path) -> None:
    def footer_text(document: Document) -> None:
        document.sections[0].footer.paragraphs[0].text = "Réseau — pied de page"

    document = _open(_write([_fiche()], template=_template(tmp_path / "sans.docx", footer_text)))
    footer = document.sections[-1].footer
    assert [p.text for p in footer.paragraphs] == ["Réseau — pied de page", "1"]
    assert footer._element.xpath(".//w:instrText/text()") == [" PAGE "]

    def footer_with_page(document: Document) -> None:
        paragraph = document.sections[0].footer.paragraphs[0]
        paragraph.text = "Feuillet "
        paragraph._p.append(parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" PAGE \\* roman "/>'))

    document = _open(_write([_fiche()], template=_template(tmp_path / "avec.docx", footer_with_page)))
    footer = document.sections[-1].footer
    assert footer._element.xpath(".//w:fldSimple/@w:instr") == [" PAGE \\* roman "]
    assert not footer._element.xpath(".//w:instrText")


def test_python_docx_parser_does_not_expand_entities() -> None:
    # The second line of defence, should a DOCTYPE ever get past the check above.
    element = parse_xml(b'<!DOCTYPE r [<!ENTITY x "DEPLOYEE">]><r>&x;</r>')
    assert b"DEPLOYEE" not in etree.tostring(element)


def _lying_bomb(path: Path, real_size: int) -> Path:
    """A .docx-looking zip whose document says 1,000 bytes but inflates to ``real_size`` bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(real_size // 1_048_576):
                member.write(bytes(1_048_576))
    with zipfile.ZipFile(path) as archive:
        local_offset = archive.getinfo("word/document.xml").header_offset
    raw = bytearray(path.read_bytes())
    struct.pack_into("<I", raw, local_offset + 22, 1000)  # local header: uncompressed size
    central = raw.rindex(b"PK\x01\x02")  # the last central directory entry is the document's
    struct.pack_into("<I", raw, central + 24, 1000)
    path.write_bytes(bytes(raw))
    return path


def test_template_zip_bomb_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    template = _lying_bomb(tmp_path / "bombe.docx", 100 * 1_048_576)
    tracemalloc.start()
    try:
        with pytest.raises(TemplateError, match="archive corrompue"):
            _write([_fiche()], template=template)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1_048_576


def test_template_too_big_once_uncompressed_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "gros.docx"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/media/image.bin", "w") as member:
            for _ in range(MAX_TEMPLATE_BYTES // 1_048_576 + 1):
                member.write(b"\0" * 1_048_576)
        archive.writestr("word/document.xml", b"<w:document/>")
    with pytest.raises(TemplateError, match=r"trop gros une fois décompressé .*\(bombe zip \?\)"):
        _write([_fiche()], template=big)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Ceci est un texte, pas un document Word.\n", "n'est pas un fichier Word .docx \\(archive zip illisible\\)"),
        (None, "n'est pas un fichier Word .docx \\(archive zip illisible\\)"),  # truncated .docx
        (b"zip:no-document", "document principal absent"),
        (b"zip:bad-xml", "n'est pas un document Word utilisable \\(XML invalide : Namespace prefix w on document"),
        (b"zip:wrong-root", "n'est pas un document Word utilisable \\(corps du document absent\\)"),
        (b"zip:docm", "macros \\(.docm, .dotm\\) ne sont pas pris en charge"),
    ],
    ids=["text", "truncated", "zip-without-document", "bad-xml", "wrong-root", "docm"],
)
def test_unusable_template_is_refused(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "modele.docx"
    if content is None:
        path.write_bytes(_template(tmp_path / "base.docx").read_bytes()[:3000])
    elif content == b"zip:no-document":
        _zip_with(path, {"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<x/>"})
    elif content in (b"zip:bad-xml", b"zip:wrong-root", b"zip:docm"):
        source = _template(tmp_path / "base.docx")
        with zipfile.ZipFile(source) as original:
            members = {info.filename: original.read(info) for info in original.infolist()}
        if content == b"zip:bad-xml":
            members["word/document.xml"] = b"<w:document><unclosed></w:document>"
        elif content == b"zip:wrong-root":
            members["word/document.xml"] = b"<racine/>"
        else:
            members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
                b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                b"application/vnd.ms-word.document.macroEnabled.main+xml",
            )
        _zip_with(path, members)
    else:
        path.write_bytes(content)
    with pytest.raises(TemplateError, match=message) as caught:
        _write([_fiche()], template=path)
    assert str(caught.value).startswith(f"{path}: ")


def test_missing_template_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="modèle introuvable"):
        _write([_fiche()], template=tmp_path / "absent.docx")


# --- CLI, in-process -------------------------------------------------------------------------



def test_cli_convert_to_docx(tmp_path: Path) -> None:
    target = tmp_path / "recueil.docx"
    result = runner.invoke(app, ["convert", str(NORMANDIE), "-o", str(target), "--title", "Recueil Normandie"])
    assert result.exit_code == 0, result.stderr
    assert f"3 fiches → {target}" in result.stderr
    document = docx.Document(str(target))
    assert _paragraphs(document)[0] == ("Title", "Recueil Normandie")
    assert _texts(document, "Heading 2") == _texts(_open(_write(load(NORMANDIE))), "Heading 2")


def test_cli_date_and_author(tmp_path: Path) -> None:
    target = tmp_path / "recueil.docx"
    result = runner.invoke(app, ["convert", str(NORMANDIE), "-o", str(target), "--date", "2027-02-01", "--auteur", "Coordination régionale"])
    assert result.exit_code == 0, result.stderr
    assert _paragraphs(docx.Document(str(target)))[1:3] == [("Subtitle", "Coordination régionale"), ("Subtitle", "1er février 2027")]


@pytest.mark.parametrize("value", ["25/11/2026", "2026-02-30", "demain", "20261125"])
def test_cli_bad_date_is_a_usage_error(tmp_path: Path, value: str) -> None:
    target = tmp_path / "recueil.docx"
    result = runner.invoke(app, ["convert", str(NORMANDIE), "-o", str(target), "--date", value])
    assert result.exit_code == 2
    assert f"erreur : --date attend une date réelle au format AAAA-MM-JJ, par exemple 2026-11-25 (reçu : « {value} »)" in result.stderr
    assert not target.exists()


def test_cli_docx_needs_an_output_file() -> None:
    result = runner.invoke(app, ["convert", str(NORMANDIE), "--to", "docx"])
    assert result.exit_code == 2
    assert "le format docx s'écrit dans un fichier : ajoutez -o recueil.docx" in result.stderr
    assert result.stdout_bytes == b""


def test_cli_bad_template(tmp_path: Path) -> None:
    template = tmp_path / "modele.docx"
    template.write_text("pas un document Word", encoding="utf-8")
    target = tmp_path / "recueil.docx"
    result = runner.invoke(app, ["convert", str(NORMANDIE), "-o", str(target), "--template", str(template)])
    assert result.exit_code == 1
    assert f"erreur : {template}: le modèle n'est pas un fichier Word .docx" in result.stderr
    assert not target.exists()
