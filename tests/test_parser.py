"""The parser on small hand-written exports: one trap per test."""

from __future__ import annotations

import pytest

import fichekit
from fichekit import ParseError, parse
from fichekit.findings import Code
from fichekit.grammar import parse_structures, parse_text, split_marker
from fichekit.model import ItemType

ALL_HEADINGS = """Localisation : Lunelle
Chiffres clés :
Publics touchés :
Partenaires :
Contexte et situation initiale/prérequis :
Résultats :
Etapes de mise en place :
Clés du succès :
Obstacles et freins :
Pistes d'amélioration ou de développement :
Conseils pour la mise en oeuvre sur d'autres territoires et points de vigilance :
Ressources mobilisées :
Apports du groupe :
"""


def sheet(avec: str = "→ Avec Le Panier Lunellois (34)", theme: str = "Comment faire ?", body: str = ALL_HEADINGS) -> str:
    return f"{theme}\n\n{avec}\n\n{body}"


def texts(items: list) -> list[tuple[str, str]]:
    return [(i.type.value, i.texte) for i in items]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("- Créer un lien", (ItemType.PUCE, "Créer un lien"), id="dash"),
        pytest.param("• Choisir", (ItemType.PUCE, "Choisir"), id="bullet"),
        pytest.param("•Choisir", (ItemType.PUCE, "Choisir"), id="glued-bullet"),
        pytest.param("* étoile", (ItemType.PUCE, "étoile"), id="star"),
        pytest.param("– tiret", (ItemType.PUCE, "tiret"), id="en-dash"),
        pytest.param("> flèche", (ItemType.PUCE, "flèche"), id="gt"),
        pytest.param("- > double", (ItemType.PUCE, "double"), id="chained"),
        pytest.param("o sous-puce", (ItemType.PUCE, "sous-puce"), id="letter-o"),
        pytest.param("\uf0b7\tpdf", (ItemType.PUCE, "pdf"), id="pdf-symbol"),
        pytest.param("·         Outlook", (ItemType.PUCE, "Outlook"), id="outlook-level-1"),
        pytest.param("§  Outlook", (ItemType.PUCE, "Outlook"), id="outlook-wingdings-square"),
        pytest.param("Ø  Outlook", (ItemType.PUCE, "Outlook"), id="outlook-wingdings-arrow"),
        pytest.param("ü  Outlook", (ItemType.PUCE, "Outlook"), id="outlook-wingdings-check"),
        pytest.param("§3 du règlement", (ItemType.PARAGRAPHE, "§3 du règlement"), id="section-sign-glued"),
        pytest.param("1. Accueil", (ItemType.NUMERO, "Accueil"), id="numbered-dot"),
        pytest.param("2) Suivi", (ItemType.NUMERO, "Suivi"), id="numbered-paren"),
        pytest.param("14.7 ETP (salariés)", (ItemType.PARAGRAPHE, "14.7 ETP (salariés)"), id="decimal-not-numbered"),
        pytest.param("2019 : arrivée", (ItemType.PARAGRAPHE, "2019 : arrivée"), id="year"),
        pytest.param("20 > Le nombre", (ItemType.PARAGRAPHE, "20 > Le nombre"), id="number-then-gt"),
        pytest.param("-5 % de pertes", (ItemType.PARAGRAPHE, "-5 % de pertes"), id="negative-number"),
        pytest.param("- 1.5 ETP", (ItemType.PUCE, "1.5 ETP"), id="bullet-decimal"),
        pytest.param("Objectif : aider", (ItemType.PARAGRAPHE, "Objectif : aider"), id="label"),
    ],
)
def test_split_marker(line: str, expected: tuple[ItemType, str]) -> None:
    assert split_marker(line) == expected


@pytest.mark.parametrize(
    ("text", "structures", "projet"),
    [
        pytest.param("Épi' Soleil (21)", [("Épi' Soleil", ["21"])], None, id="one"),
        pytest.param(
            "Civam Le Serpolet (39) et Active (BFC) : projet MIAM",
            [("Civam Le Serpolet", ["39"]), ("Active", ["BFC"])],
            "projet MIAM",
            id="two-and-projet",
        ),
        pytest.param("Secours catholique (71 et 58)", [("Secours catholique", ["71", "58"])], None, id="two-codes"),
        pytest.param("Entraide et Partage (2A)", [("Entraide et Partage", ["2A"])], None, id="et-inside-name"),
        pytest.param("Les Restos (antenne de Lons) (39)", [("Les Restos (antenne de Lons)", ["39"])], None, id="non-code-parens"),
        pytest.param("Collectif sans code", [("Collectif sans code", [])], None, id="no-code"),
        pytest.param("A (974), B (976)", [("A", ["974"]), ("B", ["976"])], None, id="comma"),
        pytest.param("", [], None, id="empty"),
    ],
)
def test_parse_structures(text: str, structures: list[tuple[str, list[str]]], projet: str | None) -> None:
    parsed, parsed_projet = parse_structures(text)
    assert [(s.nom, s.departements) for s in parsed] == structures
    assert parsed_projet == projet


@pytest.mark.parametrize(
    "avec",
    ["→ Avec Le Panier Lunellois (34)", "-> Avec Le Panier Lunellois (34)", "→Avec Le Panier Lunellois (34)", "Avec Le Panier Lunellois (34)"],
    ids=["arrow", "ascii-arrow", "glued", "no-arrow"],
)
def test_structure_line_forms(avec: str) -> None:
    (fiche,) = parse(sheet(avec=avec))
    assert [(s.nom, s.departements) for s in fiche.structures] == [("Le Panier Lunellois", ["34"])]
    assert fiche.theme == "Comment faire ?"
    assert fiche.source is not None and fiche.source.structures_line == 3


def test_content_on_heading_line_and_inline_bullet() -> None:
    body = ALL_HEADINGS.replace("Clés du succès :", "Clés du succès : • Choisir un lieu\n- Créer un lien • Écouter")
    (fiche,) = parse(sheet(body=body))
    assert texts(fiche.localisation) == [("paragraphe", "Lunelle")]
    assert texts(fiche.cles_du_succes) == [("puce", "Choisir un lieu"), ("puce", "Créer un lien • Écouter")]


def test_lines_that_start_like_headings_are_content() -> None:
    body = ALL_HEADINGS.replace(
        "Résultats :",
        "Résultats :\nRésultats attendus en 2026 : 40 familles\nPartenaires à solliciter : la mairie\nExemples :\nObjectif : aider",
    )
    (fiche,) = parse(sheet(body=body))
    assert [i.texte for i in fiche.resultats] == [
        "Résultats attendus en 2026 : 40 familles",
        "Partenaires à solliciter : la mairie",
        "Exemples :",
        "Objectif : aider",
    ]
    assert fiche.partenaires == []


def test_wrapped_lines_are_joined_without_hiding_line_starts() -> None:
    body = ALL_HEADINGS.replace(
        "Etapes de mise en place :",
        "Etapes de mise en place :\n2019: ouverture\n\nd'un second local\n\nPartager le diagnostic ou\nl'analyse avec les acteurs /\nDéveloppement\n"
        "Créé par 3 associations\n\n(Croix Rouge, UDAF\n\nSecours catholique)\n2025\nBilan",
    )
    (fiche,) = parse(sheet(body=body))
    assert [i.texte for i in fiche.etapes] == [
        "2019: ouverture\nd'un second local",
        "Partager le diagnostic ou\nl'analyse avec les acteurs /\nDéveloppement",
        "Créé par 3 associations",
        "(Croix Rouge, UDAF\nSecours catholique)",
        "2025",
        "Bilan",
    ]


def test_theme_number_question_in_last_section_and_several_sheets() -> None:
    text = (
        "2\n\n"
        + sheet(theme="Quels liens avec le monde agricole ?")
        + "- Un apport\nRéflexion autour d'une coopérative ?\n\n\n4\n\n"
        + sheet(avec="→ Avec Autre (BFC)", theme="Quelles formes d'accès ?")
        + "Une question finale ?\n"
    )
    first, second = parse(text)
    assert (first.theme_number, first.theme) == (2, "Quels liens avec le monde agricole ?")
    assert texts(first.apports_du_groupe) == [("puce", "Un apport"), ("paragraphe", "Réflexion autour d'une coopérative ?")]
    assert (second.theme_number, second.theme) == (4, "Quelles formes d'accès ?")
    assert [i.texte for i in second.apports_du_groupe] == ["Une question finale ?"]
    assert first.source is not None and second.source is not None
    assert first.source.line == 1
    assert second.source.line == text.splitlines().index("4") + 1


def test_form_feeds_and_page_numbers_are_layout() -> None:
    body = ALL_HEADINGS.replace("Résultats :", "Résultats :\n- Une cuisine partagée pour\n\n3\n\fles familles du quartier\n- Un jardin")
    (fiche,) = parse(sheet(body=body) + "\n7\n\f")
    assert [i.texte for i in fiche.resultats] == ["Une cuisine partagée pour\nles familles du quartier", "Un jardin"]
    assert fiche.apports_du_groupe == []


def test_number_at_top_of_page_can_be_the_theme_number() -> None:
    text = sheet() + "\n3\n\f6\n\n" + sheet(theme="Autre question ?", avec="→ Avec Deux (29)")
    first, second = parse(text)
    assert first.apports_du_groupe == []
    assert second.theme_number == 6


def test_preamble_is_kept_in_hors_rubrique() -> None:
    (fiche,) = parse("Restitution des ateliers\n12 mars\n\n" + sheet())
    assert [i.texte for i in fiche.hors_rubrique] == ["Restitution des ateliers", "12 mars"]
    assert fiche.theme == "Comment faire ?"


def test_avec_without_arrow_inside_content_is_content() -> None:
    body = ALL_HEADINGS.replace("Résultats :", "Résultats :\nAvec le soutien de la mairie\nUn jardin")
    (fiche,) = parse(sheet(body=body))
    assert [i.texte for i in fiche.resultats] == ["Avec le soutien de la mairie", "Un jardin"]


def test_near_miss_heading_goes_to_intended_section_with_a_finding() -> None:
    body = ALL_HEADINGS.replace("Obstacles et freins :", "Obstacle et freins :\n- Le froid")
    result = parse_text(sheet(body=body), "x.txt")
    (fiche,) = result.fiches
    assert [i.texte for i in fiche.obstacles_et_freins] == ["Le froid"]
    (finding,) = result.findings
    assert finding.code is Code.NEAR_MISS_HEADING
    assert (finding.file, finding.line) == ("x.txt", 1 + ALL_HEADINGS.splitlines().index("Obstacles et freins :") + 4)
    assert "Obstacles et freins" in finding.message


def test_every_section_present_even_when_missing() -> None:
    (fiche,) = parse("→ Avec Solo (12)\nLocalisation : Rodez\n")
    data = fiche.model_dump()
    assert all(data[key] == [] for key in data if key not in {"localisation", "structures", "source", "theme", "theme_number", "projet"})
    assert fiche.source is not None and list(fiche.source.rubriques) == ["localisation"]


def test_crlf_and_cr_line_endings() -> None:
    text = sheet()
    assert parse(text.replace("\n", "\r\n")) == parse(text)
    assert parse(text.replace("\n", "\r")) == parse(text)


@pytest.mark.parametrize("text", ["", "   \n\n", "Juste une phrase.\nEt une autre."], ids=["empty", "blank", "no-sheet"])
def test_text_without_sheet_is_a_parse_error(text: str) -> None:
    with pytest.raises(ParseError, match="aucune fiche"):
        parse(text, "vide.txt")


def test_a_dash_alone_on_its_line_is_the_bullet_of_the_text_below_it() -> None:
    # « –<tab>Centre social » typed in Word, printed to PDF: pdftotext writes the dash, a blank line, the text.
    text = "→ Avec Test (21)\nPartenaires :\n–\n\nCentre social\n–\n\nCAF du Puy-de-Dôme\nRésultats :\n-\n"
    [fiche] = parse_text(text).fiches
    assert [(item.type, item.texte) for item in fiche.partenaires] == [
        (ItemType.PUCE, "Centre social"),
        (ItemType.PUCE, "CAF du Puy-de-Dôme"),
    ]
    # With no text below it, the dash is what was written (« nothing to say »): kept.
    assert [(item.type, item.texte) for item in fiche.resultats] == [(ItemType.PARAGRAPHE, "-")]


def test_a_number_alone_on_its_line_is_the_number_of_the_text_below_it() -> None:
    # « 1.<tab>Repérage… » typed in Word, printed to PDF: pdftotext writes « 1. », a blank line, the text.
    text = "→ Avec Test (21)\nEtapes de mise en place :\n1.\n\nRepérage des familles.\n2.\n\nChoix des lieux.\n"
    [fiche] = parse_text(text).fiches
    assert [(item.type, item.texte) for item in fiche.etapes] == [
        (ItemType.NUMERO, "Repérage des familles."),
        (ItemType.NUMERO, "Choix des lieux."),
    ]


def test_a_numbered_heading_in_capitals_cut_inside_a_word_is_one_heading() -> None:
    text = (
        "→ Avec Test (21)\nPistes d'amélioration ou de développement :\n- Un second camion\n"
        "11) CONSEILS POUR LA MISE EN OEUVRE SUR D'AUTRES TERRI-\nTOIRES ET POINTS DE VIGILANCE\n- Tester trois mois\n"
    )
    result = parse_text(text)
    [fiche] = result.fiches
    assert [item.texte for item in fiche.pistes_amelioration] == ["Un second camion"]
    assert [item.texte for item in fiche.conseils] == ["Tester trois mois"]
    assert [finding.code for finding in result.findings] == [Code.NEAR_MISS_HEADING]


@pytest.mark.parametrize(
    "question_line",
    ["Thème 2 : Quels liens avec les producteurs ?", "THÈME N° 2 - Quels liens avec les producteurs ?",
     "2. Quels liens avec les producteurs ?", "2 - Quels liens avec les producteurs ?", "2) Quels liens avec les producteurs ?"],
)
def test_a_theme_number_typed_before_the_question_on_its_line_is_the_theme_number(question_line: str) -> None:
    text = f"→ Avec Avant (21)\nLocalisation : Dijon\n\n{question_line}\n→ Avec Ferme des Sillons (70)\nLocalisation : Vesoul\n"
    first, second = parse_text(text).fiches
    assert (second.theme, second.theme_number) == ("Quels liens avec les producteurs ?", 2)
    assert [item.texte for item in first.localisation] == ["Dijon"]  # the question left the sheet above


def test_a_question_starting_with_a_figure_keeps_it() -> None:
    text = "3 leviers pour agir ?\n→ Avec Ferme des Sillons (70)\nLocalisation : Vesoul\n"
    [fiche] = parse_text(text).fiches
    assert (fiche.theme, fiche.theme_number) == ("3 leviers pour agir ?", None)


@pytest.mark.parametrize(
    ("avec", "structures", "projet"),
    [
        ("→ Avec : Épicerie des Tilleuls (21)", [("Épicerie des Tilleuls", ["21"])], None),
        ("→ Avec Épicerie Y (21 - Côte-d'Or)", [("Épicerie Y", ["21"])], None),
        ("→ Avec Épicerie Y (Côte-d'Or, 21)", [("Épicerie Y", ["21"])], None),
        ("→ Avec Collectif Z (71) ; projet : « Paniers solidaires »", [("Collectif Z", ["71"])], "projet : « Paniers solidaires »"),
        ("→ Avec Épicerie Y (21 - Jura)", [("Épicerie Y (21 - Jura)", [])], None),  # code and name disagree: as written
    ],
)
def test_structures_lines_as_people_type_them(avec: str, structures: list[tuple[str, list[str]]], projet: str | None) -> None:
    [fiche] = parse_text(f"Q ?\n{avec}\nLocalisation : Dijon\n").fiches
    assert [(s.nom, s.departements) for s in fiche.structures] == structures
    assert fiche.projet == projet


def test_a_mail_greeting_above_the_question_is_not_part_of_the_theme() -> None:
    text = "Bonjour à toutes et tous,\n\nComment associer les habitants ?\n→ Avec Épicerie des Tilleuls (21)\nLocalisation : Dijon\n"
    [fiche] = parse_text(text).fiches
    assert fiche.theme == "Comment associer les habitants ?"
    assert [item.texte for item in fiche.hors_rubrique] == ["Bonjour à toutes et tous,"]


def test_a_question_wrapped_after_a_comma_stays_whole() -> None:
    text = "Comment associer les habitants,\nles bénévoles et les salariés ?\n→ Avec Épicerie des Tilleuls (21)\nLocalisation : Dijon\n"
    [fiche] = parse_text(text).fiches
    assert fiche.theme == "Comment associer les habitants, les bénévoles et les salariés ?"


def test_outlooks_attachment_and_importance_headers_are_part_of_the_mail_header() -> None:
    text = (
        "De : Anne Martin <anne@example.org>\nEnvoyé : mercredi 12 mars 2025 10:00\nÀ : reseau@example.org\n"
        "Objet : Fiche\nPièces jointes : logo.png\nImportance : Haute\n\n"
        "Comment associer les habitants ?\n→ Avec Épicerie des Tilleuls (21)\nLocalisation : Dijon\n"
    )
    [fiche] = fichekit.loads(text)
    assert fiche.hors_rubrique == []


def test_a_question_run_on_to_the_item_above_it_is_still_the_next_sheets_theme() -> None:
    # PDF text: a long line is taken as cut by the page, and the question below it is run on to it.
    width = "x" * 60
    text = (
        f"\f{width}\n{width}\n→ Avec Avant (21)\nLocalisation : Dijon\nApports du groupe :\n"
        "3) La communauté de communes propose des sorties culturelles (« un réseau de glaneurs »)\n\n"
        "Comment développer l'isolement alimentaire en milieu rural ?\n\n→ Avec CCAS de Verelle (64)\nLocalisation : Pau\n"
        "Apports du groupe :\n- La banque alimentaire soutient un jardin pédagogique avec des étudiants volontaires\n"
        "Comment associer une alimentation de qualité pour tous ?\n→ Avec Épicerie (21)\nLocalisation : Dijon\n"
    )
    first, second, third = fichekit.loads(text)
    assert second.theme == "Comment développer l'isolement alimentaire en milieu rural ?"
    assert [item.texte for item in first.apports_du_groupe] == [
        "La communauté de communes propose des sorties culturelles (« un réseau de glaneurs »)"
    ]
    assert third.theme == "Comment associer une alimentation de qualité pour tous ?"
    assert [item.texte for item in second.apports_du_groupe] == [
        "La banque alimentaire soutient un jardin pédagogique avec des étudiants volontaires"
    ]


def test_a_question_after_a_page_number_does_not_continue_the_item_before_the_page() -> None:
    width = "x" * 60
    text = (
        f"{width}\n{width}\n→ Avec Avant (21)\nLocalisation : Dijon\nApports du groupe :\n"
        "– La communauté de communes coordonne une formation à l'accueil pendant les vacances scolaires\n\n26\n"
        "\f5\n\nComment rendre accessible le secteur de l'aide alimentaire ?\n\n→ Avec Épicerie (2B)\nLocalisation : Oranges\n"
    )
    first, second = fichekit.loads(text)
    assert (second.theme, second.theme_number) == ("Comment rendre accessible le secteur de l'aide alimentaire ?", 5)
    assert [item.texte for item in first.apports_du_groupe] == [
        "La communauté de communes coordonne une formation à l'accueil pendant les vacances scolaires"
    ]


@pytest.mark.parametrize("closing", ["Cordialement,", "Bien à vous,", "Bonne journée à tous !", "Merci d’avance.", "À bientôt,"])
def test_a_mail_sign_off_goes_under_no_rubrique_not_into_the_last_one(closing: str) -> None:
    text = f"Q ?\n→ Avec Épicerie (21)\nLocalisation : Dijon\nRésultats : un comité élu\n\n{closing}\nAnne Martin\n"
    [fiche] = parse_text(text).fiches
    assert [item.texte for item in fiche.resultats] == ["un comité élu"]
    assert "\n".join(item.texte for item in fiche.hors_rubrique).startswith(closing)


def test_a_sentence_starting_like_a_sign_off_is_content() -> None:
    text = "Q ?\n→ Avec Épicerie (21)\nRésultats :\nMerci aux bénévoles de leur engagement\n"
    [fiche] = parse_text(text).fiches
    assert [item.texte for item in fiche.resultats] == ["Merci aux bénévoles de leur engagement"]
