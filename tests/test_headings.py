"""Heading recognition: the one table, normalisation, near misses, and lines that only look like headings."""

from __future__ import annotations

import pytest

from fichekit.headings import HEADINGS, SECTION_KEYS, MatchKind, match_heading, normalize
from fichekit.model import Fiche


def test_thirteen_headings_in_model_order() -> None:
    assert len(HEADINGS) == 13
    assert SECTION_KEYS == (
        "localisation",
        "chiffres_cles",
        "publics_touches",
        "partenaires",
        "contexte",
        "resultats",
        "etapes",
        "cles_du_succes",
        "obstacles_et_freins",
        "pistes_amelioration",
        "conseils",
        "ressources_mobilisees",
        "apports_du_groupe",
    )
    assert [k for k in Fiche.model_fields if k in SECTION_KEYS] == list(SECTION_KEYS)


@pytest.mark.parametrize(
    ("line", "key", "rest"),
    [
        pytest.param("Localisation : DIJON", "localisation", "DIJON", id="content-after-colon"),
        pytest.param("Chiffres clés :", "chiffres_cles", "", id="plain"),
        pytest.param("CHIFFRES CLÉS :", "chiffres_cles", "", id="upper-case"),
        pytest.param("Resultats :", "resultats", "", id="no-accent"),
        pytest.param("Cles du succes: • Choisir", "cles_du_succes", "• Choisir", id="glued-colon"),
        pytest.param("Partenaires\u00a0: Ville de X : dispositif Y", "partenaires", "Ville de X : dispositif Y", id="nbsp-and-second-colon"),
        pytest.param("Obstacles et freins\u202f:", "obstacles_et_freins", "", id="narrow-nbsp"),
        pytest.param("Pistes d’amélioration ou de développement :", "pistes_amelioration", "", id="curly-apostrophe"),
        pytest.param(
            "Conseils pour la mise en œuvre sur d'autres territoires et points de vigilance :",
            "conseils",
            "",
            id="oe-ligature",
        ),
        pytest.param("Contexte et situation initiale / prérequis :", "contexte", "", id="spaces-around-slash"),
        pytest.param("Etapes de  mise en place :", "etapes", "", id="double-space"),
        pytest.param("Étapes de mise en place", "etapes", "", id="accented-no-colon"),
        pytest.param("Apports du groupe", "apports_du_groupe", "", id="no-colon"),
    ],
)
def test_exact_headings(line: str, key: str, rest: str) -> None:
    match = match_heading(line)
    assert match is not None
    assert (match.key, match.kind, match.rest) == (key, MatchKind.EXACT, rest)


@pytest.mark.parametrize(
    ("line", "key"),
    [
        pytest.param("Obstacle et freins :", "obstacles_et_freins", id="singular"),
        pytest.param("Ressources mobilisés :", "ressources_mobilisees", id="gender"),
        pytest.param("Pistes d'amélioration de développement :", "pistes_amelioration", id="word-dropped"),
        pytest.param("Clés de succès :", "cles_du_succes", id="word-replaced"),
        pytest.param("Partenaire :", "partenaires", id="plural-missing"),
        pytest.param("Localistion :", "localisation", id="typo"),
    ],
)
def test_near_misses(line: str, key: str) -> None:
    match = match_heading(line)
    assert match is not None
    assert (match.key, match.kind) == (key, MatchKind.NEAR_MISS)


@pytest.mark.parametrize(
    "line",
    [
        "Résultats attendus en 2026 : 40 familles",
        "Partenaires à solliciter : la mairie",
        "Objectif : aider les personnes",
        "Exemples :",
        "Mangeons Solidaire :",
        "RESSOURCES :",
        "Ressources humaines : 2 ETP",
        "Publics :",
        "Contexte :",
        "14.7 ETP (salariés et bénévoles)",
        "",
        "x" * 300 + " : trop long",
    ],
)
def test_content_that_only_looks_like_a_heading(line: str) -> None:
    assert match_heading(line) is None


def test_normalize_folds_only_what_does_not_matter() -> None:
    assert normalize("  Mise en  ŒUVRE d’autres ") == "mise en oeuvre d'autres"
    assert normalize("initiale / prérequis") == "initiale/prerequis"


@pytest.mark.parametrize(
    ("line", "key", "rest"),
    [
        ("Localisation\tDijon, quartier des Grésilles", "localisation", "Dijon, quartier des Grésilles"),
        ("Partenaires\tMairie, CCAS : voir plus bas", "partenaires", "Mairie, CCAS : voir plus bas"),
        ("Contexte et situation initiale/prérequis\tUn local prêté", "contexte", "Un local prêté"),
    ],
)
def test_a_tab_after_a_title_stands_for_the_colon(line: str, key: str, rest: str) -> None:
    # A row of a Word table copied as text: its two cells separated by a tab.
    found = match_heading(line.strip())
    assert found is not None
    assert (found.key, found.kind, found.rest, found.closed) == (key, MatchKind.EXACT, rest, True)


@pytest.mark.parametrize("line", ["Dijon\t12 rue des Lilas", "Locaux\tprêtés par la mairie", "Résultat net\t1 200 €"])
def test_a_tab_after_words_that_are_no_title_is_content(line: str) -> None:
    assert match_heading(line) is None


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("Obstacles et frei\u00adns : y", "obstacles_et_freins"),  # a soft hyphen, copied from a PDF
        ("Ré\u200bsultats : z", "resultats"),  # a zero-width space
        ("Chi\ufb00res clés : 40", "chiffres_cles"),  # the « ff » ligature
        ("Publics touche\u0301s : familles", "publics_touches"),  # decomposed accent (macOS)
    ],
)
def test_invisible_and_composed_characters_copied_with_a_title_do_not_hide_it(line: str, key: str) -> None:
    found = match_heading(line)
    assert found is not None and found.key == key and found.kind is MatchKind.EXACT
