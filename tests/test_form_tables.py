"""« Rubrique | contenu » tables as ``pdftotext -layout`` prints them, and the page tops of such exports.

The real-world corpus holds the same cases made by LibreOffice and pdftotext
(``tests/realworld``: ``d_form_table``, ``h_narrow_form_table``); these texts,
typed in their shape, pin each rule down.
"""

from __future__ import annotations

import fichekit
from fichekit.model import Fiche

QUESTION = ["Quelles coopérations construire entre l’aide alimentaire et les producteurs lo-", "caux ?"]


def page(structure: str, rows: list[str]) -> list[str]:
    return ["2", "", *QUESTION, "", f"→ Avec {structure}", "", *rows, ""]


ROWS = [
    "Localisation       Château-Chinon et Autun",
    "Publics tou-       Familles orientées par les épiceries sociales, producteurs",
    "chés               en difficulté",
    "Partenaires        Conseil départemental de la Nièvre, Fondation Terre et",
    "                   Table (fictive), PAT du Morvan",
    "Contexte et        Un terrain en friche au pied des immeubles, prêté par",
    "situation          le bailleur.",
    "initiale/prérequis",
    "Résultats          Des légumes de saison dans quatre épiceries",
    "Conseils pour      Signer une convention avec chaque producteur dès le",
    "la mise en         départ",
    "oeuvre sur",
    "d'autres terri-",
    "toires et points",
    "de vigilance",
    "Apports du groupe   Des contacts avec d'autres jardins",
]
"""The rows of both sheets; the last differs (a line that every page ends with would be a running footer)."""
OTHER_ROWS = [*ROWS[:-1], "Apports du groupe   Une liste de fournisseurs locaux"]


def parse_pages() -> list[Fiche]:
    text = "\n".join(page("Les Jardins du Morvan (58)", ROWS)) + "\f" + "\n".join(page("Épicerie La Fourmi (39)", OTHER_ROWS))
    return fichekit.loads(text, file="tableau.txt")


def test_each_row_of_a_table_with_titles_wrapped_between_or_inside_words_is_its_rubrique() -> None:
    first, second = parse_pages()
    for fiche, apports in ((first, "Des contacts avec d'autres jardins"), (second, "Une liste de fournisseurs locaux")):
        texts = {key: [item.texte for item in getattr(fiche, key)] for key in
                 ("localisation", "publics_touches", "partenaires", "contexte", "resultats", "conseils", "apports_du_groupe")}
        assert texts == {
            "localisation": ["Château-Chinon et Autun"],
            "publics_touches": ["Familles orientées par les épiceries sociales, producteurs\nen difficulté"],
            "partenaires": ["Conseil départemental de la Nièvre, Fondation Terre et\nTable (fictive), PAT du Morvan"],
            "contexte": ["Un terrain en friche au pied des immeubles, prêté par\nle bailleur."],
            "resultats": ["Des légumes de saison dans quatre épiceries"],
            "conseils": ["Signer une convention avec chaque producteur dès le\ndépart"],
            "apports_du_groupe": [apports],
        }
        assert fiche.hors_rubrique == []


def test_a_question_every_page_repeats_wrapped_at_its_top_is_each_sheets_theme_not_a_running_header() -> None:
    first, second = parse_pages()
    assert first.theme == second.theme == "Quelles coopérations construire entre l’aide alimentaire et les producteurs locaux ?"
    assert first.theme_number == second.theme_number == 2


def test_a_title_typed_with_its_colon_before_a_tab_gap_keeps_one_colon() -> None:
    # Word: « Chiffres clés :<tab>80 familles », printed to PDF, then pdftotext -layout.
    def rows(volunteers: int, publics: str) -> list[str]:
        return ["Localisation :", "Clermont-Ferrand", "", "Chiffres clés :     80 familles", f"{volunteers} bénévoles", "", f"Publics touchés : {publics}"]

    text = "\n".join(["→ Avec Maison des Familles (63)", "", *rows(12, "familles")]) + "\f" + "\n".join(
        ["→ Avec Épicerie du Plateau (63)", "", *rows(14, "étudiants")]
    )
    first, second = fichekit.loads(text, file="habitudes.txt")
    assert [item.texte for item in first.chiffres_cles] == ["80 familles", "12 bénévoles"]
    assert [item.texte for item in second.chiffres_cles] == ["80 familles", "14 bénévoles"]


def test_a_dash_alone_at_the_top_of_every_page_is_a_bullet_not_a_running_header() -> None:
    # Each page starts inside a list typed « –<tab>texte »: pdftotext writes the dash alone on the first line.
    pages = [
        ["→ Avec Maison des Familles (63)", "Clés du succès :", "–", "", "Des arrêts fixes"],
        ["–", "", "Des horaires annoncés", "→ Avec Épicerie du Plateau (63)", "Clés du succès :", "–", "", "Un local au centre"],
        ["–", "", "Des bénévoles formés"],
    ]
    first, second = fichekit.loads("\f".join("\n".join(page) for page in pages), file="tirets.txt")
    assert [(item.type, item.texte) for item in first.cles_du_succes] == [("puce", "Des arrêts fixes"), ("puce", "Des horaires annoncés")]
    assert [(item.type, item.texte) for item in second.cles_du_succes] == [("puce", "Un local au centre"), ("puce", "Des bénévoles formés")]
