"""Word recueil: golden structure, read-back with python-docx, templates and their failures, CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import struct
import time
import tracemalloc
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.shared import Cm, RGBColor
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from typer.testing import CliRunner

from conftest import SAMPLES_DIR, assert_golden, corpus, samples
from fichekit.api import iter_load, load
from fichekit.cli import app
from fichekit.errors import TemplateError
from fichekit.findings import Code, Severity
from fichekit.headings import HEADINGS
from fichekit.model import Fiche, Item, ItemType, Source, Structure
from fichekit.writers import Format, WriterOptions, get_writer
from fichekit.writers.docx import MAX_TEMPLATE_BYTES, DocxWriter, french_date

DAY = dt.date(2026, 11, 25)
NORMANDIE = SAMPLES_DIR / "normandie_ateliers.txt"
TITLES = [h.title for h in HEADINGS]
SECTION_TITLES = TITLES[1:]  # localisation is shown as a « Localisation : … » line
W_P = qn("w:p")


def _write(fiches: object, **options: object) -> bytes:
    out = io.BytesIO()
    options.setdefault("date", DAY)
    DocxWriter(WriterOptions(**options)).write(fiches, out)  # type: ignore[arg-type]
    return out.getvalue()


def _open(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def _paragraphs(document: Document) -> list[tuple[str, str]]:
    return [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]


def _texts(document: Document, style: str) -> list[str]:
    return [text for name, text in _paragraphs(document) if name == style]


def _fiche(**fields: object) -> Fiche:
    base: dict[str, object] = {
        "theme": "Comment faire ?",
        "theme_number": 4,
        "structures": [Structure(nom="Épi' Soleil", departements=["21"])],
        "localisation": [Item(texte="DIJON")],
        "source": Source(file="atelier.txt", line=7, rubriques={"resultats": [12]}),
    }
    base.update(fields)
    return Fiche.model_validate(base)


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
    paragraphs = Counter(text for _, text in _paragraphs(document))
    expected: Counter[str] = Counter()
    for fiche in fiches:
        for key, items in fiche.sections():
            if key != "localisation":
                expected.update(item.texte for item in items)
        expected.update(item.texte for item in fiche.hors_rubrique)
        expected["Localisation : " + "\n".join(item.texte for item in fiche.localisation)] += 1
        if fiche.projet is not None:
            expected[f"Projet : {fiche.projet}"] += 1
    # Every item is one paragraph of its own, with its original lines kept.
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
    assert _texts(document, "Heading 3") == SECTION_TITLES * 3
    # Theme numbers (1 and 3 in this file) label their theme, just above its heading.
    paragraphs = _paragraphs(document)
    for number, theme in ((1, 0), (3, 1)):
        index = paragraphs.index(("Heading 1", _texts(document, "Heading 1")[theme]))
        assert paragraphs[index - 1] == ("Normal", f"Thème n° {number}")
    assert ("Normal", "Projet : projet PANIERS") in paragraphs
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
    assert [paragraphs[start] for start in starts[1:]] == [
        ("Heading 1", "T0"), ("Heading 2", "S2"), ("Heading 2", "S4"), ("Normal", "Thème n° 1"), ("Heading 2", "S3")
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
    assert paragraphs[start + 1 : start + 4] == [
        ("Normal", "paragraphe"),
        ("List Bullet", "puce\nsur deux lignes"),
        ("List Number", "2019\tOuverture"),
    ]
    bullet = document.paragraphs[start + 2]._p
    assert len(bullet.findall(f".//{qn('w:br')}")) == 1
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


def test_hors_rubrique_comes_before_the_first_section() -> None:
    document = _open(_write([_fiche(hors_rubrique=[Item(texte="préambule"), Item(texte="liste", type=ItemType.PUCE)])]))
    paragraphs = _paragraphs(document)
    start = paragraphs.index(("Heading 3", "Hors rubrique"))
    assert paragraphs[start + 1 : start + 4] == [("Normal", "préambule"), ("List Bullet", "liste"), ("Heading 3", "Chiffres clés")]


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
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
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
    # Page numbers in the footer, none on the title page.
    assert section.different_first_page_header_footer
    assert section.footer.paragraphs[0]._p.xpath(".//w:instrText/text()") == [" PAGE "]
    assert section.first_page_footer.paragraphs[0].text == ""


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
    kept = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]", "", texte)
    assert paragraphs[start + 1][1] == re.sub(r"\r\n?", "\n", kept)
    assert len(findings) == (1 if kept != texte else 0)


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
    assert _texts(document, "Heading 3") == SECTION_TITLES * 3
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
def test_template_missing_a_style_is_refused(tmp_path: Path, style: str, french: str) -> None:
    template = _template(tmp_path / "modele.docx", _drop_style(style))
    with pytest.raises(TemplateError, match=f"le style « {style} » \\(« {french} » dans Word en français\\) manque"):
        _write([_fiche()], template=template)


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

runner = CliRunner()


def test_cli_convert_to_docx(tmp_path: Path) -> None:
    target = tmp_path / "recueil.docx"
    result = runner.invoke(app, ["convert", str(NORMANDIE), "-o", str(target), "--title", "Recueil Normandie"])
    assert result.exit_code == 0, result.stderr
    assert f"3 fiches → {target}" in result.stderr
    document = docx.Document(str(target))
    assert _paragraphs(document)[0] == ("Title", "Recueil Normandie")
    assert _texts(document, "Heading 2") == _texts(_open(_write(load(NORMANDIE))), "Heading 2")


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
