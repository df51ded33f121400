"""The samples and the real export: golden JSON, expected figures, and "nothing lost"."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from conftest import SEED, assert_golden, corpus, needs_seed, samples

from fichekit import load
from fichekit.api import iter_load
from fichekit.findings import Finding
from fichekit.grammar import split_marker
from fichekit.grammar.themes import theme_key
from fichekit.model import Fiche
from fichekit.sources import open_source
from fichekit.writers import Format, get_writer


def _load_relative(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Fiche]:
    """Load with a path relative to the file's folder's parent, so `source.file` is stable."""
    monkeypatch.chdir(path.parent.parent)
    return load(Path(path.parent.name) / path.name)


@pytest.mark.parametrize("path", samples())
def test_golden_json_and_jsonl(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fiches = _load_relative(path, monkeypatch)
    out = io.BytesIO()
    get_writer(Format.JSON).write(fiches, out)
    assert_golden(f"{path.stem}.json", out.getvalue().decode("utf-8"))
    lines = io.BytesIO()
    get_writer(Format.JSONL).write(fiches, lines)
    assert_golden(f"{path.stem}.jsonl", lines.getvalue().decode("utf-8"))


def _pieces(path: Path) -> list[tuple[int, str, bool]]:
    """Non-blank line pieces as (line number, stripped text, follows a form feed)."""
    pieces: list[tuple[int, str, bool]] = []
    for line_no, line in enumerate(open_source(str(path)).lines(), 1):
        for index, piece in enumerate(line.split("\f")):
            if index and pieces:
                pieces.append((line_no, "", True))
            if piece.strip():
                pieces.append((line_no, piece.strip(), False))
    # Fold the form-feed markers into a flag on the neighbours.
    result: list[tuple[int, str, bool]] = []
    near_break = False
    for index, (line_no, text, is_break) in enumerate(pieces):
        if is_break:
            near_break = True
            continue
        next_is_break = index + 1 < len(pieces) and pieces[index + 1][2]
        result.append((line_no, text, near_break or next_is_break))
        near_break = False
    return result


@pytest.mark.parametrize("path", corpus())
def test_nothing_lost(path: Path) -> None:
    """Every non-blank content line of the input lands in exactly one item of exactly one record.

    Structural lines are accounted for separately: heading lines (their text
    after the colon is content), structure lines, theme and theme-number lines
    (checked against the record), and lone page numbers beside a form feed.
    """
    fiches = load(path)
    heading_lines = {line for f in fiches for lines in f.source.rubriques.values() for line in lines}  # type: ignore[union-attr]
    structure_lines = {f.source.structures_line: f for f in fiches}  # type: ignore[union-attr]
    header_ranges = {
        line: f
        for f in fiches
        for line in range(f.source.line, f.source.structures_line or f.source.line)  # type: ignore[union-attr]
    }
    expected: Counter[str] = Counter()
    for line_no, text, near_break in _pieces(path):
        if line_no in heading_lines:
            rest = text.partition(":")[2].strip()
            if rest:
                expected[split_marker(rest)[1]] += 1
        elif line_no in structure_lines:
            fiche = structure_lines[line_no]
            assert all(s.nom in text for s in fiche.structures)
        elif line_no in header_ranges:
            fiche = header_ranges[line_no]
            # The theme keeps the spelling it was first met with (one theme key everywhere).
            assert text == str(fiche.theme_number) or theme_key(text) == theme_key(fiche.theme or "")
        elif near_break and text.isdigit():
            continue  # page number
        else:
            expected[split_marker(text)[1]] += 1
    actual: Counter[str] = Counter(
        line
        for fiche in fiches
        for items in (*(items for _, items in fiche.sections()), fiche.hors_rubrique)
        for item in items
        for line in item.texte.split("\n")
    )
    assert actual == expected


@pytest.mark.parametrize("path", corpus())
def test_every_sheet_has_all_headings_and_a_structure(path: Path) -> None:
    findings: list[Finding] = []
    fiches = list(iter_load(path, findings=findings))
    assert fiches
    for fiche in fiches:
        assert fiche.source is not None
        assert len(fiche.source.rubriques) == 13, fiche.source
        assert fiche.structures and fiche.theme and fiche.theme.endswith("?")


@needs_seed
def test_seed_figures() -> None:
    fiches = load(SEED)
    assert len(fiches) == 8
    assert [f.theme_number for f in fiches] == [None, None, 2, 2, None, None, 4, 4]
    assert len({f.theme for f in fiches}) == 4
    assert [f.structures_label() for f in fiches] == [
        "Épi' Sourire (21)",
        "Secours Populaire (58)",
        "Civam Le Serpolet (39); Active (BFC)",
        "In'Terre Activ (25)",
        "Epi' Cerise (70)",
        "Epicerie solidaire de l'Auxerrois (89)",
        "Secours catholique (71 et 58)",
        "Economie Solidarité Partage (71)",
    ]
    assert [f.projet for f in fiches] == [None, None, "projet MIAM", None, None, None, None, None]
    assert [i.texte for i in fiches[5].chiffres_cles][-1] == "14.7 ETP (salariés et bénévoles)"
    assert fiches[5].chiffres_cles[-1].type.value == "paragraphe"
    assert [i.texte for i in fiches[7].apports_du_groupe] == ["Réflexion autour d'une démarche de PTCE ?"]
    assert fiches[0].apports_du_groupe == [] and fiches[4].apports_du_groupe == []
    assert all(not f.hors_rubrique for f in fiches)


def test_samples_figures() -> None:
    counts = {path.stem: len(load(path)) for path in corpus_paths()}
    assert counts == {"bretagne_pdf": 3, "grand_est_cp1252": 2, "normandie_ateliers": 3, "occitanie_restitution": 3}


def corpus_paths() -> list[Path]:
    from conftest import SAMPLE_FILES

    return SAMPLE_FILES


@pytest.mark.parametrize("path", corpus())
def test_records_the_grammar_builds_validate_as_they_are(path: Path) -> None:
    """The grammar builds records with ``model_construct`` (it guarantees the values): each validates."""
    for fiche in load(path):
        assert Fiche.model_validate(fiche.model_dump()) == fiche


def test_the_model_follows_the_heading_table() -> None:
    """One source of truth: the section fields come in the order of the 13 headings, between the sheet's head and its source."""
    from fichekit.headings import SECTION_KEYS
    from fichekit.model import Item, Source

    assert list(Fiche.model_fields) == ["theme", "theme_number", "structures", "projet", *SECTION_KEYS, "hors_rubrique", "source"]
    assert list(Item.model_fields) == ["texte", "type"]
    assert list(Source.model_fields) == ["file", "line", "structures_line", "rubriques"]
