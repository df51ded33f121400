"""HTML pages (LibreOffice's or Word's « page Web », a saved web page): read as their reader sees them.

The real-world corpus (``tests/realworld/html``, made by LibreOffice from its Word
documents) checks every sheet field by field; these pin the rules down.
"""

from __future__ import annotations

from pathlib import Path

import fichekit
from fichekit.findings import Code, Finding
from fichekit.readers.html import html_lines, read
from fichekit.sources import open_source


def test_paragraphs_breaks_lists_tables_and_quotes_become_lines() -> None:
    html = (
        "<p>Bonjour<br>Anne</p><ul><li><p>un</p></li><li>deux</li></ul><ol><li>premier</li></ol>"
        "<table><tr><td><p>Localisation</p></td><td><p>Dijon</p><p>quartier nord</p></td></tr>"
        "<tr><td>2018</td><td>création</td><td>local</td></tr></table><blockquote><p>cité</p></blockquote>"
        "<script>var x;</script><p>-</p>"
    )
    assert html_lines(html) == [
        "Bonjour", "Anne", "- un", "- deux", "1. premier", "Localisation : Dijon", "quartier nord",
        "2018 : création : local", "> cité", "-",
    ]  # fmt: skip


def test_no_break_spaces_are_the_authors_and_stay() -> None:
    # HTML's own white space (a line break in the source, runs of spaces) is one space; &nbsp; is kept.
    assert html_lines("<p>40&nbsp;%  de\n  produits</p>") == ["40\u00a0% de produits"]


def test_a_libreoffice_page_web_header_and_footer_are_left_out_and_counted(tmp_path: Path) -> None:
    page = tmp_path / "fiche.html"
    page.write_text(
        '<html><body><div title="header"><p>Réseau fictif</p></div>'
        "<p>Comment agir ?</p><p>→ Avec Épicerie (21)</p><p><b>Localisation :</b> Dijon</p>"
        '<div title="footer"><p>Page 1 sur 1</p></div></body></html>',
        encoding="utf-8",
    )
    findings: list[Finding] = []
    source = open_source(str(page))
    try:
        [record] = list(read(source, findings))
    finally:
        source.close()
    assert [item["texte"] for item in record["localisation"]] == ["Dijon"]
    assert record["hors_rubrique"] == []
    assert [(f.code, f.message) for f in findings] == [
        (Code.LAYOUT_REMOVED, "2 lignes d'en-tête ou de pied de page laissées de côté, la première : « Réseau fictif »")
    ]


def test_an_html_page_is_read_by_its_suffix(tmp_path: Path) -> None:
    page = tmp_path / "fiche.htm"
    page.write_text("<p>Comment agir ?</p><p>→ Avec Épicerie (21)</p><table><tr><td>Localisation</td><td>Dijon</td></tr></table>", encoding="utf-8")
    [fiche] = fichekit.load(page)
    assert (fiche.theme, [item.texte for item in fiche.localisation]) == ("Comment agir ?", ["Dijon"])


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"


def test_a_word_page_web_in_windows_1252_with_its_list_paragraphs() -> None:
    # Word's « Page Web filtrée »: lists as MsoListParagraph <p> with the bullet « · » (Symbol font) or
    # « 1. » then no-break spaces inside <![if !supportLists]>, <o:p> tags, Windows-1252, &#8594; for the arrow.
    [fiche] = fichekit.load(FIXTURES / "word_page_web.htm")
    assert (fiche.theme, [s.nom for s in fiche.structures]) == ("Comment associer les habitants\u00a0?", ["Épicerie des Tilleuls"])
    assert [(item.type.value, item.texte) for item in fiche.resultats] == [("puce", "Un comité élu"), ("puce", "Des permanences")]
    assert [(item.type.value, item.texte) for item in fiche.etapes] == [("numero", "Diagnostic"), ("numero", "Premier comité")]
