"""The PDF reader: page -> line stream, on PDFs LibreOffice made and on hand-built hostile ones.

The fixtures in ``tests/fixtures/pdf/`` were written as .docx (beside them) and
converted by LibreOffice (``make_pdfs.py``); small PDFs that pin one rule each
are built here byte by byte, and read by the real PDFium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

import fichekit
from fichekit.errors import InputError
from fichekit.findings import Code, Finding
from fichekit.grammar.lines import Hint, Line
from fichekit.readers.pdf import MAX_PAGES, pdf_lines

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
HEADER = "Recueil des fiches d'expérience – Réseau fictif des épiceries solidaires"


def read(name: str) -> tuple[list[Line], list[Finding]]:
    findings: list[Finding] = []
    lines = list(pdf_lines((FIXTURES / name).read_bytes(), name, findings))
    return lines, findings


def content(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line.hint is not Hint.PAGE_BREAK]


def following(lines: list[Line], text: str, count: int) -> list[tuple[Hint, str]]:
    """The line whose text is ``text`` and the ``count - 1`` lines after it, as (hint, text)."""
    texts = [line.text for line in lines]
    start = texts.index(text)
    return [(line.hint, line.text) for line in lines[start : start + count]]


def docx_characters(name: str) -> str:
    """The body of the source .docx (not its header and footer), without its spaces and line breaks."""
    return re.sub(r"\s+", "", "".join(p.text for p in Document(str(FIXTURES / name)).paragraphs))


def stream_characters(lines: list[Line]) -> str:
    """The stream without spaces and line breaks; a numbered item's number is Word's, not in the .docx text."""
    return re.sub(r"\s+", "", "".join(re.sub(r"^\d+\. ", "", line.text) for line in content(lines)))


# --- Real PDFs made by LibreOffice ---------------------------------------------------------------


def test_recueil_keeps_every_word_of_the_body_in_reading_order() -> None:
    lines, _ = read("recueil.pdf")
    assert stream_characters(lines) == docx_characters("recueil.docx")


def test_two_column_page_is_read_column_by_column() -> None:
    lines, findings = read("deux_colonnes.pdf")
    assert stream_characters(lines) == docx_characters("deux_colonnes.docx")
    # The right column starts in the middle of « Résultats »: read after the whole left column.
    texts = [line.text for line in lines]
    assert texts.index("Apports du groupe :") > texts.index("Localisation : Lons-le-Saunier")
    # Wraps are measured against each column's own right edge.
    assert following(lines, "jardin partagé et sorties", 5) == [
        (Hint.BULLET, "jardin partagé et sorties"),
        (Hint.CONTINUATION, "culturelles"),
        (Hint.HEADING, "Etapes de mise en place :"),
        (Hint.TEXT, "1. Diagnostic partagé avec les"),
        (Hint.CONTINUATION, "usagers"),
    ]
    assert following(lines, "Conseils pour la", 4) == [
        (Hint.HEADING, "Conseils pour la"),
        (Hint.CONTINUATION, "mise en oeuvre sur"),
        (Hint.CONTINUATION, "d'autres territoires"),
        (Hint.CONTINUATION, "et points de vigilance :"),
    ]
    assert [str(f) for f in findings] == [
        "deux_colonnes.pdf:p1: FK107 1 ligne(s) de mise en page retirée(s) (en-têtes, pieds de page, "
        "numéros de page), dont « - 1 - » ; vérifiez qu'aucune n'était du contenu."
    ]


def test_running_header_and_page_numbers_are_removed_and_counted_once() -> None:
    lines, findings = read("recueil.pdf")
    assert not [line for line in lines if HEADER in line.text or re.search(r"Page \d sur 6", line.text)]
    assert len(findings) == 1
    finding = findings[0]
    assert finding.code is Code.LAYOUT_REMOVED
    assert finding.line == 1
    # Six pages, each with the running header and a « Page n sur 6 » footer.
    assert str(finding) == (
        "recueil.pdf:p1: FK107 12 ligne(s) de mise en page retirée(s) (en-têtes, pieds de page, numéros de page), "
        f"dont « {HEADER} » ; vérifiez qu'aucune n'était du contenu."
    )


def test_line_numbers_are_pages_with_a_page_break_between_pages() -> None:
    lines, _ = read("recueil.pdf")
    breaks = [line for line in lines if line.hint is Hint.PAGE_BREAK]
    assert [(line.number, line.text) for line in breaks] == [(page, "") for page in range(1, 6)]
    # Each line carries the page it is on: the page breaks split the stream into pages 1..6.
    page = 1
    for line in lines:
        if line.hint is Hint.PAGE_BREAK:
            page += 1
        else:
            assert line.number == page
    starts = [line.number for line in lines if line.text.startswith("→ Avec")]
    assert starts == [1, 3, 5]


def test_word_bullets_become_bullet_lines_without_their_glyph() -> None:
    lines, _ = read("recueil.pdf")
    assert following(lines, "Chiffres clés :", 4) == [
        (Hint.HEADING, "Chiffres clés :"),
        (Hint.BULLET, "3 salariés dont 2 à temps plein"),
        (Hint.BULLET, "40 bénévoles"),
        (Hint.BULLET, "1 200 foyers accueillis par an"),
    ]
    bullets = [line for line in lines if line.hint is Hint.BULLET]
    assert len(bullets) == 3 * 8
    assert all(line.text and line.text[0] not in "\uf0b7•" for line in bullets)
    # « List Bullet 2 » is drawn further right: the second level.
    nested = [(line.level, line.text) for line in bullets if line.level]
    assert nested == [(1, "jardin partagé et sorties culturelles")] * 3


def test_numbered_items_stay_text_lines_with_their_number() -> None:
    lines, _ = read("recueil.pdf")
    assert following(lines, "1. Diagnostic partagé avec les usagers", 2) == [
        (Hint.TEXT, "1. Diagnostic partagé avec les usagers"),
        (Hint.TEXT, "2. Ouverture du tiers-lieu en 2022"),
    ]


def test_lines_wrapped_by_the_page_width_are_continuations() -> None:
    lines, _ = read("recueil.pdf")
    paragraph = following(lines, "En 2019, l'association a repris la gestion de l'épicerie après la fermeture", 4)
    assert [hint for hint, _ in paragraph] == [Hint.TEXT, Hint.CONTINUATION, Hint.CONTINUATION, Hint.CONTINUATION]
    assert paragraph[-1][1] == "chambre froide ni espace pour les ateliers collectifs."
    # A wrapped bullet comes back to the bullet's text indent.
    assert following(lines, "Une commission des usagers propose chaque trimestre de nouvelles", 2) == [
        (Hint.BULLET, "Une commission des usagers propose chaque trimestre de nouvelles"),
        (Hint.CONTINUATION, "activités"),
    ]
    # Geometry, not case: the wrapped line starts with a capital.
    assert following(lines, "Partenaires : Centre Communal d'Action Sociale, Banque Alimentaire", 2)[1] == (
        Hint.CONTINUATION,
        "Départementale, Caisse d'Allocations Familiales, Mutualité Sociale Agricole",
    )
    # Short lines that end far from the right edge are never continued.
    assert following(lines, "Localisation : Lons-le-Saunier", 2)[1][0] is Hint.HEADING


def test_wrapped_bold_heading_is_a_heading_then_a_continuation() -> None:
    lines, _ = read("recueil.pdf")
    assert following(lines, "Conseils pour la mise en oeuvre sur d'autres", 3) == [
        (Hint.HEADING, "Conseils pour la mise en oeuvre sur d'autres"),
        (Hint.CONTINUATION, "territoires et points de vigilance :"),
        (Hint.BULLET, "Prévoir un salarié animateur en permanence"),
    ]


def test_short_bold_lines_are_headings_and_mixed_lines_are_text() -> None:
    lines, _ = read("recueil.pdf")
    hints = {line.text: line.hint for line in lines}
    assert hints["Résultats :"] is Hint.HEADING
    assert hints["Apports du groupe :"] is Hint.HEADING
    # Only the title is bold: the grammar decides.
    assert hints["Localisation : Lons-le-Saunier"] is Hint.TEXT
    assert hints["Comment accompagner le pouvoir d'agir des personnes concernées ?"] is Hint.TEXT


def test_soft_hyphens_drawn_by_the_layout_are_removed_and_the_word_joined() -> None:
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument((FIXTURES / "recueil.pdf").read_bytes())[0].get_textpage().get_text_range()
    # LibreOffice hyphenated these words at the line end.
    assert "Agri\ufffecole" in page and "d'ate\ufffeliers" in page
    lines, _ = read("recueil.pdf")
    texts = [line.text for line in lines]
    assert "Départementale, Caisse d'Allocations Familiales, Mutualité Sociale Agricole" in texts
    assert (
        "intergénérationnelles particulièrement appréciées, accompagnées d'ateliers d'autoconstruction "
        "et d'expérimentations culinaires soigneusement"
    ) in texts
    assert not [text for text in texts if re.search("[\ufffe\x02\u00ad]", text)]


def test_typed_hyphen_at_a_line_end_is_kept_and_joined_without_space() -> None:
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument((FIXTURES / "recueil.pdf").read_bytes())[0].get_textpage().get_text_range()
    assert "Bourgogne\ufffeFranche-Comté" in page  # the line ends after « Bourgogne- »
    lines, _ = read("recueil.pdf")
    assert following(lines, "Obstacles et freins :", 2)[1] == (
        Hint.TEXT,
        "Le réseau accompagne toutes les épiceries solidaires de Bourgogne-Franche-Comté et partage ses outils "
        "avec les autres régions.",
    )


def to_text(lines: list[Line]) -> str:
    """Temporary bridge to the text grammar, until it takes hints."""
    rendered = {
        Hint.BULLET: lambda line: "- " + line.text,
        Hint.NUMBER: lambda line: "1. " + line.text,
        Hint.PAGE_BREAK: lambda line: "\f",
    }
    return "\n".join(rendered.get(line.hint, lambda line: line.text)(line) for line in lines if line.hint is not Hint.LAYOUT)


def test_recueil_through_the_text_grammar() -> None:
    lines, _ = read("recueil.pdf")
    fiches = fichekit.parse(to_text(lines), "recueil.pdf")
    assert [(f.theme, [(s.nom, s.departements) for s in f.structures]) for f in fiches] == [
        ("Comment accompagner le pouvoir d'agir des personnes concernées ?", [("Épicerie des Tilleuls", ["39"])]),
        ("Comment accompagner le pouvoir d'agir des personnes concernées ?", [("Panier Solidaire", ["25"])]),
        ("Comment accompagner le pouvoir d'agir des personnes concernées ?", [("Le Grenier Partagé", ["70"])]),
    ]
    first = fiches[0]
    assert [i.texte for i in first.localisation] == ["Lons-le-Saunier"]
    assert [(i.type, i.texte) for i in first.chiffres_cles] == [
        ("puce", "3 salariés dont 2 à temps plein"),
        ("puce", "40 bénévoles"),
        ("puce", "1 200 foyers accueillis par an"),
    ]
    assert [i.texte for i in first.contexte] == [
        "En 2019, l'association a repris la gestion de l'épicerie après la fermeture\n"
        "du magasin coopératif du quartier ; les bénévoles accueillaient alors près\n"
        "de trois cents foyers chaque semaine dans un local trop petit, sans\n"
        "chambre froide ni espace pour les ateliers collectifs."
    ]
    assert [(i.type, i.texte) for i in first.etapes] == [
        ("numero", "Diagnostic partagé avec les usagers"),
        ("numero", "Ouverture du tiers-lieu en 2022"),
    ]
    assert [i.texte for i in first.ressources_mobilisees] == ["Dispositif local d'accompagnement"]
    assert first.apports_du_groupe == []
    assert all(fiche.hors_rubrique == [] for fiche in fiches)


def test_continuations_through_the_grammar() -> None:
    """A wrapped heading and a wrapped line starting with a capital join up through the real reader."""
    first = fichekit.load(FIXTURES / "recueil.pdf")[0]
    assert [i.texte for i in first.conseils] == ["Prévoir un salarié animateur en permanence"]
    assert [i.texte for i in first.partenaires] == [
        "Centre Communal d'Action Sociale, Banque Alimentaire\n"
        "Départementale, Caisse d'Allocations Familiales, Mutualité Sociale Agricole"
    ]


# --- Unreadable PDFs -----------------------------------------------------------------------------


def read_error(data: bytes, name: str = "fiche.pdf") -> str:
    with pytest.raises(InputError) as caught:
        list(pdf_lines(data, name, []))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_scanned_pdf_is_refused_in_french() -> None:
    message = read_error((FIXTURES / "scan.pdf").read_bytes(), "scan.pdf")
    assert message.startswith("scan.pdf: PDF sans texte (document scanné ?) : ")
    assert "OCR" in message


def test_scanned_page_among_text_pages_is_refused_naming_the_page() -> None:
    message = read_error((FIXTURES / "page_scannee.pdf").read_bytes(), "page_scannee.pdf")
    assert message.startswith("page_scannee.pdf: page 2 sans texte (document scanné ?) : ")


def test_password_protected_pdf_is_refused_in_french() -> None:
    message = read_error((FIXTURES / "chiffre.pdf").read_bytes(), "chiffre.pdf")
    assert message.startswith("chiffre.pdf: PDF protégé par un mot de passe : ")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"%PDF-1.7\n" + bytes(range(256)) * 8, id="garbage"),
        pytest.param((FIXTURES / "recueil.pdf").read_bytes()[:20_000], id="truncated"),
        pytest.param((FIXTURES / "recueil.docx").read_bytes(), id="docx-renamed"),
    ],
)
def test_damaged_pdf_is_refused_in_french(data: bytes) -> None:
    assert read_error(data) == (
        "fiche.pdf: PDF illisible ou endommagé : exportez de nouveau le document en PDF depuis Word, ou donnez le .docx."
    )


# --- Hand-built PDFs: one rule each, read by the real PDFium ------------------------------------


def build_pdf(
    pages: list[list[tuple[float, float, str]]], kids: str | None = None, count: int | None = None, rotate: int = 0
) -> bytes:
    """A PDF whose pages show the given (x, y, text) lines in Helvetica 11 pt, drawn in list order.

    Text starting with ``*`` is drawn in Helvetica-Bold. ``kids`` and ``count`` replace the
    page tree's /Kids and /Count, to build broken trees; ``rotate`` sets each page's /Rotate.
    """
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    }
    page_ids = []
    for index, lines in enumerate(pages):
        page_id, content_id = 10 + 2 * index, 11 + 2 * index
        page_ids.append(page_id)
        stream = b"".join(
            b"BT /%s 11 Tf %.1f %.1f Td (%s) Tj ET\n"
            % (b"F2" if text.startswith("*") else b"F1", x, y, _pdf_string(text.removeprefix("*")))
            for x, y, text in lines
        )
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Rotate %d /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % (rotate, content_id)
        )
        objects[content_id] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    kids = kids if kids is not None else " ".join(f"{page_id} 0 R" for page_id in page_ids)
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids.encode(), count if count is not None else len(pages))
    return _with_xref(objects)


def _pdf_string(text: str) -> bytes:
    return b"".join(b"\\%03o" % byte if byte > 126 or chr(byte) in "()\\" else bytes([byte]) for byte in text.encode("cp1252"))


def _with_xref(objects: dict[int, bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def hand_read(pages: list[list[tuple[float, float, str]]]) -> tuple[list[Line], list[Finding]]:
    findings: list[Finding] = []
    return list(pdf_lines(build_pdf(pages), "fiche.pdf", findings)), findings


TOWNS = ["Localisation : Dijon", "Localisation : Nevers", "Localisation : Vesoul"]


def sheet_page(number: int, footer: str, body: list[str] | None = None) -> list[tuple[float, float, str]]:
    """A page: running header at the top, ``body`` lines from the top margin, ``footer`` at the bottom."""
    lines = [(72.0, 800.0, "Réseau fictif - atelier du 3 mars")]
    lines += [(72.0, 760.0 - 14 * i, text) for i, text in enumerate(body or [TOWNS[number - 1]])]
    lines.append((280.0, 40.0, footer.format(n=number)))
    return lines


@pytest.mark.parametrize("footer", ["{n}", "page {n} / 3", "{n}/3", "Page {n} sur 3", "- {n} -", "p. {n}"])
def test_page_number_forms_are_removed_at_the_page_bottom(footer: str) -> None:
    lines, findings = hand_read([sheet_page(n, footer) for n in (1, 2, 3)])
    assert [(line.hint, line.text) for line in content(lines)] == [(Hint.TEXT, town) for town in TOWNS]
    assert [(f.code, f.line) for f in findings] == [(Code.LAYOUT_REMOVED, 1)]
    assert findings[0].message.startswith("6 ligne(s) de mise en page retirée(s) ")
    assert "« Réseau fictif - atelier du 3 mars »" in findings[0].message


def test_numbers_and_repeated_lines_in_the_middle_of_a_page_are_content() -> None:
    def body(n: int) -> list[str]:
        header = "Réseau fictif - atelier du 3 mars"
        publics, partenaires = [("familles", "mairie"), ("étudiants", "CCAS")][n - 1]
        return [TOWNS[n - 1], "Chiffres clés :", str(n), header, f"Publics touchés : {publics}", f"Partenaires : {partenaires}"]

    lines, findings = hand_read([sheet_page(n, "{n}", body(n)) for n in (1, 2)])
    assert [line.text for line in content(lines)] == body(1) + body(2)
    assert findings[0].message.startswith("4 ligne(s)")


def test_the_last_heading_of_one_page_sheets_is_not_a_running_footer() -> None:
    # Every page ends with « Apports du groupe : », but not at the same height: content, not furniture.
    pages = [
        [(72.0, 760.0 - 14 * i, text) for i, text in enumerate([town, *["Résultats :"] * n, "Apports du groupe :"])]
        for n, town in enumerate(TOWNS)
    ]
    lines, findings = hand_read(pages)
    assert [line.text for line in content(lines)].count("Apports du groupe :") == 3
    assert findings == []


def test_a_theme_number_above_the_question_is_not_a_page_number() -> None:
    question = "Comment accompagner le pouvoir d'agir des personnes concernées ?"
    pages = [[(72.0, 800.0, str(n)), (72.0, 780.0, question), (72.0, 760.0, TOWNS[n - 1])] for n in (1, 2)]
    lines, findings = hand_read(pages)
    assert [line.text for line in content(lines)] == ["1", question, TOWNS[0], "2", question, TOWNS[1]]
    assert findings == []


def test_a_theme_number_above_a_question_the_page_wrapped_is_not_a_page_number() -> None:
    # « … de la vie associa- » / « tive ? »: the question ends two lines below the number.
    first, second = "Comment faire des personnes accueillies des membres actifs de la vie associa-", "tive ?"
    pages = [[(72.0, 800.0, str(n)), (72.0, 780.0, first), (72.0, 766.0, second), (72.0, 740.0, TOWNS[n - 1])] for n in (1, 2)]
    lines, findings = hand_read(pages)
    texts = [line.text for line in content(lines)]
    assert texts[0] == "1" and texts[1].startswith("Comment faire") and texts[1].endswith("tive ?")
    assert findings == []


def test_a_page_number_above_a_sentence_that_ends_before_a_question_is_still_one() -> None:
    # The sentence below the number ends (« . »): a question further down is not the theme under it.
    sentences = [("Le local ouvre le mardi.", "Pourquoi le mardi ?"), ("Les bénévoles tournent.", "Combien sont-ils ?")]
    pages = [
        [(72.0, 800.0, str(n)), (72.0, 780.0, sentence), (72.0, 766.0, question), (72.0, 740.0, TOWNS[n - 1])]
        for n, (sentence, question) in enumerate(sentences, start=1)
    ]
    lines, findings = hand_read(pages)
    assert "1" not in [line.text for line in content(lines)]
    assert findings[0].message.startswith("2 ligne(s)")


def test_printed_page_numbers_may_start_elsewhere_than_1() -> None:
    lines, findings = hand_read([sheet_page(n, str(n + 11)) for n in (1, 2, 3)])
    assert [line.text for line in content(lines)] == TOWNS
    assert findings[0].message.startswith("6 ligne(s)")


def test_a_number_at_the_edge_of_a_single_page_that_is_not_its_number_is_kept() -> None:
    lines, findings = hand_read([[(72, 760, "Chiffres clés :"), (72, 746, "42")]])
    assert [line.text for line in lines] == ["Chiffres clés :", "42"]
    assert findings == []


def test_the_workshop_question_repeated_atop_every_page_is_kept() -> None:
    question = "Comment accompagner le pouvoir d'agir des personnes concernées ?"
    pages = [sheet_page(n, "{n}", [question, f"Avec Structure {n} (21)"]) for n in (1, 2, 3)]
    lines, _ = hand_read(pages)
    assert [line.text for line in content(lines)].count(question) == 3


def test_bullet_glyphs_drawn_before_their_texts_make_one_bullet_each() -> None:
    glyphs = [(72.0, 700.0 - 14 * i, "•") for i in range(3)]
    texts = [(90.0, 700.0 - 14 * i, f"Action {i + 1}") for i in range(3)]
    lines, _ = hand_read([[(72, 730, "*Résultats :"), *glyphs, *texts]])
    assert [(line.hint, line.text) for line in lines] == [
        (Hint.HEADING, "Résultats :"),
        (Hint.BULLET, "Action 1"),
        (Hint.BULLET, "Action 2"),
        (Hint.BULLET, "Action 3"),
    ]


def test_glyph_only_lines_then_as_many_text_lines_are_that_many_bullets() -> None:
    glyphs = [(72.0, 700.0 - 14 * i, "•") for i in range(2)]
    texts = [(90.0, 650.0 - 14 * i, f"Action {i + 1}") for i in range(2)]
    lines, _ = hand_read([[*glyphs, *texts, (72, 500, "Fin")]])
    assert [(line.hint, line.text) for line in lines] == [
        (Hint.BULLET, "Action 1"),
        (Hint.BULLET, "Action 2"),
        (Hint.TEXT, "Fin"),
    ]


def test_typed_dash_in_a_sentence_is_not_a_bullet() -> None:
    lines, _ = hand_read([[(72, 700, "- 5 % de dons en plus"), (72, 686, "-"), (72, 672, "Fin")]])
    assert [(line.hint, line.text) for line in lines] == [
        (Hint.TEXT, "- 5 % de dons en plus"),
        (Hint.TEXT, "-"),
        (Hint.TEXT, "Fin"),
    ]


def test_cyclic_page_tree_is_refused() -> None:
    data = build_pdf([[(72, 700, "Bonjour")]], kids="2 0 R 10 0 R", count=2)
    assert "PDF endommagé (arborescence des pages invalide)" in read_error(data)


def test_page_tree_ten_thousand_levels_deep_is_refused() -> None:
    depth = 10_000
    objects = {
        1: b"<< /Type /Catalog /Pages 100 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        5: b"<< /Length 36 >>\nstream\nBT /F1 11 Tf 72 700 Td (Bonjour) Tj ET\nendstream",
    }
    for level in range(depth):
        objects[100 + level] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (101 + level)
    objects[100 + depth] = (
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>" % (99 + depth)
    )
    assert read_error(_with_xref(objects)) == (
        "fiche.pdf: page 1 illisible : PDF endommagé (arborescence des pages invalide) ; exportez-le de nouveau depuis Word."
    )


def test_pdf_without_pages_is_refused_as_damaged() -> None:
    assert read_error(build_pdf([])).startswith("fiche.pdf: PDF illisible ou endommagé : ")


def test_page_count_claimed_but_absent_is_refused() -> None:
    data = build_pdf([[(72, 700, "Bonjour")]], count=2_500)
    assert "page 2 illisible" in read_error(data)


def test_absurd_claimed_page_count_reads_the_real_pages() -> None:
    data = build_pdf([[(72, 700, "Bonjour")]], count=2_000_000_000)
    assert list(pdf_lines(data, "fiche.pdf", [])) == [Line("Bonjour", 1, Hint.TEXT)]


def test_too_many_pages_is_refused_before_reading_them() -> None:
    data = build_pdf([[(72, 700, "Bonjour")]] * (MAX_PAGES + 1))
    assert read_error(data) == (
        f"fiche.pdf: PDF de {MAX_PAGES + 1} pages : au-delà de {MAX_PAGES} pages ce n'est pas un recueil de fiches ; découpez-le."
    )


@pytest.mark.parametrize("rotate", [0, 90])
def test_two_columns_drawn_row_by_row_are_read_column_by_column(rotate: int) -> None:
    # PDFium runs the two columns of each row together: they are told apart by the gutter.
    rows = []
    for i in range(8):
        rows.append((72.0, 700.0 - 14 * i, f"Colonne de gauche, ligne {i + 1} du texte courant"))
        rows.append((320.0, 700.0 - 14 * i, f"Colonne de droite, ligne {i + 1} du texte courant"))
    findings: list[Finding] = []
    lines = list(pdf_lines(build_pdf([rows], rotate=rotate), "fiche.pdf", findings))
    assert [line.text for line in lines] == [
        *(f"Colonne de gauche, ligne {i} du texte courant" for i in range(1, 9)),
        *(f"Colonne de droite, ligne {i} du texte courant" for i in range(1, 9)),
    ]


def test_a_two_cell_table_is_read_row_by_row() -> None:
    labels = ["Localisation :", "Chiffres clés :", "Publics touchés :", "Partenaires :"]
    values = ["Dijon", "40 bénévoles", "familles", "mairie"]
    rows = [
        (x, 700.0 - 20 * i, text)
        for i, pair in enumerate(zip(labels, values, strict=True))
        for x, text in zip((72.0, 320.0), pair, strict=True)
    ]
    lines, _ = hand_read([rows])
    assert [line.text for line in lines] == [f"{label} {value}" for label, value in zip(labels, values, strict=True)]


def test_too_much_text_on_one_page_is_refused() -> None:
    # 1,300 rows of distinct text packed on one page (PDFium drops exact overprints).
    message = read_error(build_pdf([[(20.0, 830.0 - 0.6 * i, f"{i:04d} " * 20) for i in range(1300)]]))
    assert message.startswith("fiche.pdf: page 1 : plus de 100000 caractères")


def test_a_line_starting_with_a_typed_marker_starts_an_item_even_after_a_full_line() -> None:
    full = "- Les Restos du Coeur achètent des produits locaux, cela les intéresse de travailler en circuit court"
    lines, _ = hand_read(
        [[(72, 700, full), (72, 686, "- SOLAAL teste les achats solidaires"), (72, 672, "avec les producteurs")]]
    )
    assert [line.hint for line in lines] == [Hint.TEXT, Hint.TEXT, Hint.TEXT]
    # The same page without the marker: the page width wrapped the line.
    lines, _ = hand_read([[(72, 700, full), (72, 686, "SOLAAL teste les achats solidaires")]])
    assert [line.hint for line in lines] == [Hint.TEXT, Hint.CONTINUATION]


def test_a_paragraph_with_an_indented_first_line_continues_at_the_margin() -> None:
    first = "Depuis 2019, les bénévoles accueillent chaque semaine les familles du quartier dans"
    lines, _ = hand_read(
        [[(100, 700, first), (72, 686, "un local prêté par la mairie, puis dans le tiers-lieu ouvert en 2022"), (72, 660, "Fin")]]
    )
    assert [line.hint for line in lines] == [Hint.TEXT, Hint.CONTINUATION, Hint.TEXT]


# A « Rubrique | contenu » table as Word or LibreOffice print it: titles in the left column, some
# wrapped over two or three lines, contents in the right one, each row's lines side by side.
TABLE_ROWS = [
    (780, "-> Avec Épicerie Les Tilleuls (21)", None),
    (760, "Localisation", "Dijon, quartier des Grésilles"),
    (746, "Partenaires", "La mairie, le centre social,"),
    (732, None, "le CCAS du secteur"),
    (718, "Contexte et situation initiale/", "Une épicerie ouverte"),
    (704, "prérequis", "le mardi seulement."),
    (690, "Pistes d'amélioration ou de", "Ouvrir aussi le samedi."),
    (676, "développement", None),
    (662, "Conseils pour la mise en oeuvre", "Prévoir un stock tampon."),
    (648, "sur d'autres territoires et points", "Former les bénévoles."),
    (634, "de vigilance", None),
    (620, "Apports du groupe", "Des idées de recettes."),
]


def table_page(rows: list[tuple[int, str, str | None]]) -> list[tuple[float, float, str]]:
    page = []
    for y, left, right in rows:
        page.append((72.0, float(y), left)) if left else None
        page.append((300.0, float(y), right)) if right else None
    return page


def test_a_form_table_is_read_row_by_row_with_its_wrapped_titles(tmp_path: Path) -> None:
    pdf = tmp_path / "tableau.pdf"
    pdf.write_bytes(build_pdf([table_page(TABLE_ROWS)]))
    [fiche] = fichekit.load(pdf)
    texts = {key: [item.texte for item in getattr(fiche, key)] for key in
             ("localisation", "partenaires", "contexte", "pistes_amelioration", "conseils", "apports_du_groupe")}
    assert texts == {
        "localisation": ["Dijon, quartier des Grésilles"],
        "partenaires": ["La mairie, le centre social,\nle CCAS du secteur"],
        "contexte": ["Une épicerie ouverte\nle mardi seulement."],
        "pistes_amelioration": ["Ouvrir aussi le samedi."],
        "conseils": ["Prévoir un stock tampon.", "Former les bénévoles."],
        "apports_du_groupe": ["Des idées de recettes."],
    }
    assert [s.nom for s in fiche.structures] == ["Épicerie Les Tilleuls"]


def test_two_columns_of_running_text_are_still_read_column_by_column(tmp_path: Path) -> None:
    # The left column holds sentences, not rubrique titles: it is read whole, then the right one.
    left = ["Les bénévoles ouvrent le local", "chaque mardi et chaque jeudi", "avec les familles du quartier", "depuis le printemps dernier"]
    right = ["Un comité des adhérents choisit", "les produits et les horaires", "et rend compte à chaque", "assemblée générale annuelle"]
    page = [(72.0, 760.0, "*Résultats :")]
    for index, (a, b) in enumerate(zip(left, right, strict=True)):
        page += [(72.0, 740.0 - 14 * index, a), (300.0, 740.0 - 14 * index, b)]
    pdf = tmp_path / "colonnes.pdf"
    pdf.write_bytes(build_pdf([page]))
    lines = list(pdf_lines(pdf.read_bytes(), "colonnes.pdf", []))
    assert [line.text for line in content(lines)][1:] == left + right
