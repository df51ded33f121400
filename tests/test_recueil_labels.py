"""The labels and rules the Word writer and the Word reader share."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fichekit import writers
from fichekit.recueil_labels import (
    NO_STRUCTURE,
    NO_THEME,
    count_line,
    join_continuations,
    projet_has_label,
    split_continuations,
    theme_number_label,
)


@given(st.text(alphabet=st.sampled_from("ab \n\t")))
def test_continuations_read_back_exactly(texte: str) -> None:
    pieces = split_continuations(texte)
    assert join_continuations(pieces) == texte
    # What Word shows: one flowing line.
    assert "".join(pieces) == texte.replace("\n", " ")


def test_continuation_pieces() -> None:
    assert split_continuations("ligne un\nligne deux") == ["ligne un ", "ligne deux"]
    assert split_continuations("fin \n") == ["fin  ", ""]
    assert split_continuations("seule") == ["seule"]


@pytest.mark.parametrize(
    ("projet", "labelled"),
    [("MIAM", True), ("projet MIAM", False), ("Projet : MIAM", False), ("PROJET: Cabas", False), ("projets partagés", True), ("", True)],
)
def test_projet_has_label(projet: str, labelled: bool) -> None:
    assert projet_has_label(projet) is labelled


def test_labels() -> None:
    assert count_line(11, 4) == "11 fiches · 4 thèmes"
    assert count_line(1, 0) == "1 fiche · 0 thème"
    assert theme_number_label(4) == "Thème n° 4"
    # The writers package re-exports the shared names (the Markdown reader imports them from there).
    assert (writers.NO_THEME, writers.NO_STRUCTURE) == (NO_THEME, NO_STRUCTURE) == ("Sans thème", "Sans structure")
