"""The records the grammar builds as plain data are the model's records: they validate and dump back to themselves.

The grammar and the streaming writers carry plain dicts (:mod:`fichekit.records`)
instead of pydantic objects, for speed. These tests hold that shortcut to the
schema: every record read from every kind of input validates against
:class:`~fichekit.model.Fiche`, and its ``model_dump()`` is the record itself,
key for key and in the same order (so the JSON bytes cannot differ).
"""

from __future__ import annotations

import io
import json
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SAMPLE_FILES, SEED, generated_export, make_fiche
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fichekit import FichekitError
from fichekit.api import read_records
from fichekit.formats import Format
from fichekit.grammar import iter_records
from fichekit.model import Fiche
from fichekit.records import as_fiches, as_records, departements, structures_label
from fichekit.sources import open_source
from fichekit.writers import WriterOptions, get_writer

REALWORLD = ROOT / "tests" / "realworld"
INPUTS = sorted(
    [*SAMPLE_FILES, *(p for kind in ("text", "docx", "pdf") for p in (REALWORLD / kind).iterdir() if p.is_file())]
    + ([SEED] if SEED.exists() else []),
)


def _shape(value: Any) -> Any:
    """``value`` with every dict as a list of (key, value) pairs: equal shapes have equal keys in equal order."""
    if isinstance(value, dict):
        return [(key, _shape(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return value


def _plain(value: Any) -> bool:
    """Only what JSON holds (a StrEnum counts as its string): no pydantic object hides in a record."""
    if isinstance(value, dict):
        return all(isinstance(key, str) and _plain(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    return value is None or (isinstance(value, (str, int)) and (not isinstance(value, Enum) or isinstance(value, str)))


def _assert_is_the_models_record(record: dict[str, Any]) -> None:
    assert _plain(record), record
    dumped = Fiche.model_validate(record).model_dump()
    assert _shape(dumped) == _shape(record)
    assert json.dumps(dumped, ensure_ascii=False) == json.dumps(record, ensure_ascii=False)


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_every_record_read_from_a_file_is_the_models_record(path: Path) -> None:
    records = list(read_records(open_source(str(path)), []))
    assert records
    for record in records:
        _assert_is_the_models_record(record)


def test_every_record_of_a_generated_export_is_the_models_record() -> None:
    records = list(iter_records(generated_export(300).split("\n"), "export.txt"))
    assert len(records) == 300
    for record in records:
        _assert_is_the_models_record(record)


_LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "→ Avec A (21) et B (Côte-d'Or) : projet X", "Avec B (2A)", "Localisation : Dijon", "Résultats :",
                "- puce", "1. un", "3", "\f", "Question ?", "", "(ouvert", "fin)", "x et", "Thème n° 2",
                "Obstacle et freins :", "**Partenaires** : mairie", "Hors rubrique",
            ]
        ),
        st.text(max_size=30),
    ),
    max_size=40,
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_LINES)
def test_any_record_the_grammar_makes_is_the_models_record(lines: list[str]) -> None:
    try:
        records = list(iter_records(lines, "x.txt"))
    except FichekitError:
        return
    for record in records:
        _assert_is_the_models_record(record)


def test_the_record_helpers_say_what_the_model_methods_say() -> None:
    fiche = make_fiche(structures=[{"nom": "A", "departements": ["21", "BFC"]}, {"nom": "B", "departements": ["21"]}])
    record = fiche.model_dump()
    assert structures_label(record) == fiche.structures_label()
    assert departements(record) == fiche.departements()


@pytest.mark.parametrize("fmt", [Format.JSON, Format.JSONL, Format.CSV, Format.MD, Format.GEOJSON], ids=lambda f: f.value)
def test_writers_write_the_same_bytes_from_objects_and_from_records(fmt: Format) -> None:
    fiches = [make_fiche(), make_fiche(theme="Autre ?", projet="projet X")]

    def written(items: list[Any]) -> bytes:
        out = io.BytesIO()
        get_writer(fmt, WriterOptions()).write(items, out)
        return out.getvalue()

    assert written([f.model_dump() for f in fiches]) == written(fiches)


def test_records_and_objects_convert_both_ways() -> None:
    fiche = make_fiche()
    (record,) = as_records([fiche])
    assert record == fiche.model_dump()
    (back,) = as_fiches([record])
    assert back == fiche
    assert next(as_fiches([fiche])) is fiche


def test_the_library_validates_the_dicts_a_caller_hands_it() -> None:
    from fichekit import dumps

    fiche = make_fiche()
    assert dumps([fiche.model_dump()]) == dumps([fiche])
    with pytest.raises(ValueError, match="theme_number"):
        dumps([{"theme_number": "pas un nombre"}], Format.CSV)
