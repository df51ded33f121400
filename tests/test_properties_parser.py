"""Property-based tests of reading: any input, no crash; generated sheets, nothing lost."""

from __future__ import annotations

import contextlib
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fichekit import FichekitError, parse
from fichekit.api import iter_load
from fichekit.headings import HEADINGS
from fichekit.model import Fiche

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.text())
def test_any_text_gives_records_or_a_fichekit_error(text: str) -> None:
    try:
        fiches = parse(text, "x.txt")
    except FichekitError:
        return
    assert all(isinstance(f, Fiche) for f in fiches)


_LINEISH = st.lists(
    st.one_of(
        st.sampled_from(
            ["→ Avec A (21)", "Avec B (2A)", "Localisation : Dijon", "Résultats :", "- puce", "1. un", "3", "\f", "Question ?", "", "(ouvert", "fin)", "x et"]
        ),
        st.text(max_size=40),
    ),
    max_size=40,
)


@SETTINGS
@given(_LINEISH)
def test_any_mix_of_sheet_like_lines_never_crashes(lines: list[str]) -> None:
    with contextlib.suppress(FichekitError):
        parse("\n".join(lines))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_any_bytes_give_records_or_a_fichekit_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(data)
    try:
        list(iter_load(path))
    except FichekitError as exc:
        assert str(exc).startswith(str(path))


# -- generated sheets -------------------------------------------------------

_WORD_CHARS = st.characters(
    codec="utf-8",
    categories=("Ll", "Lu", "Nd", "So", "Lo"),
    exclude_characters="\u2028\u2029\x85",
)
_WORD = st.text(_WORD_CHARS, min_size=1, max_size=12)
_PUNCT = st.sampled_from([",", " :", " ;", " -", " €", " %", " (ok)", ' "cité"', " «\u00a0oui\u00a0»", "", "", ""])


@st.composite
def content_line(draw: st.DrawFn) -> str:
    """A content line nothing could mistake for structure: a capital first, a full stop last."""
    words = draw(st.lists(st.tuples(_WORD, _PUNCT), min_size=1, max_size=5))
    first = draw(st.sampled_from("BDGHIJKMNQSTUVWXYZÉÀÇ"))
    body = " ".join(w + p for w, p in words)
    return f"{first}{body}."


_MARKERS = {
    "puce": ["- ", "• ", "* ", "– ", "> ", "- > ", "o ", "\uf0b7 ", "▪ "],
    "numero": ["1. ", "2) ", "10. "],
    "paragraphe": [""],
}


def _variant(title: str, draw: st.DrawFn) -> str:
    """A heading as people type it: case, accents, apostrophes, spaces, colon style."""
    text = title
    if draw(st.booleans()):
        text = text.upper()
    if draw(st.booleans()):
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    if draw(st.booleans()):
        text = text.replace("'", "’")
    if draw(st.booleans()):
        text = text.replace("oe", "œ")
    if draw(st.booleans()):
        text = text.replace(" ", "  ", 1)
    colon = draw(st.sampled_from([" :", ":", "\u00a0:", "\u202f:", ""]))
    return text + colon


@st.composite
def generated_export(draw: st.DrawFn) -> tuple[str, list[dict[str, list[tuple[str, str]]]]]:
    """An export of 1-2 sheets and, for each, the items every section must hold."""
    lines: list[str] = []
    expected: list[dict[str, list[tuple[str, str]]]] = []
    for index in range(draw(st.integers(1, 2))):
        if draw(st.booleans()):
            lines += [str(index + 1), ""]
        lines += [f"Question {index} de l'atelier ?", ""]
        arrow = draw(st.sampled_from(["→ ", "-> ", "→", ""]))
        lines += [f"{arrow}Avec Structure {index} (21)", ""]
        sections: dict[str, list[tuple[str, str]]] = {}
        for heading in HEADINGS:
            head = _variant(heading.title, draw)
            inline = head.endswith(":") and draw(st.booleans())
            body: list[str] = []
            items: list[tuple[str, str]] = []
            for position in range(draw(st.integers(0, 4))):
                kind = draw(st.sampled_from(list(_MARKERS)))
                marker = draw(st.sampled_from(_MARKERS[kind]))
                text = draw(content_line())
                wrapped = kind == "paragraphe" and draw(st.integers(0, 4)) == 0
                if wrapped:
                    # A sentence cut over two lines, a blank line between, as PDF exports do.
                    tail = "suite " + draw(content_line())
                    text = text[:-1] + " et"
                if position == 0 and inline:
                    head += " " + marker + text
                else:
                    body.append(" " * draw(st.integers(0, 2)) + marker + text + " " * draw(st.integers(0, 2)))
                if wrapped:
                    body += ["", tail]
                    items.append((kind, f"{text}\n{tail}"))
                    continue
                items.append((kind, text))
                if draw(st.integers(0, 6)) == 0:
                    body += ["", str(draw(st.integers(1, 99))), "\f"]  # page break with its number
            sections[heading.key] = items
            lines += [head, *body] + [""] * draw(st.integers(1, 4))
        expected.append(sections)
    return "\n".join(lines), expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(generated_export())
def test_generated_sheets_lose_nothing(export: tuple[str, list[dict[str, list[tuple[str, str]]]]]) -> None:
    text, expected = export
    fiches = parse(text)
    assert len(fiches) == len(expected)
    for fiche, sections in zip(fiches, expected, strict=True):
        assert fiche.hors_rubrique == []
        assert {key: [(i.type.value, i.texte) for i in items] for key, items in fiche.sections()} == sections


@pytest.mark.parametrize("size", [10_000_000], ids=["10MB-line"])
def test_a_ten_megabyte_single_line_is_read(tmp_path: Path, size: int) -> None:
    path = tmp_path / "long.txt"
    path.write_text("→ Avec Long (21)\nLocalisation : " + "é" * size + "\n", encoding="utf-8")
    (fiche,) = iter_load(path)
    assert len(fiche.localisation[0].texte) == size
