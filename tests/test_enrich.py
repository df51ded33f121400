"""--enrichir: département and region names beside the codes in JSON, without touching the fixed keys."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import SAMPLES_DIR, runner

from fichekit.api import load
from fichekit.cli import app
from fichekit.enrich import ENRICHED_KEY, departements_noms, place_name
from fichekit.model import Fiche, Source, Structure, fiche_json_schema
from fichekit.writers import Format, WriterOptions, get_writer

GRAND_EST = SAMPLES_DIR / "grand_est_cp1252.txt"


def _fiche() -> Fiche:
    return Fiche(
        structures=[
            Structure(nom="Épi' Soleil", departements=["21", "2A"]),
            Structure(nom="Réseau", departements=["BFC", "21", "99"]),
        ],
        source=Source(file="atelier.txt", line=3),
    )


def test_names_of_departements_regions_and_unknown_codes() -> None:
    assert departements_noms(_fiche()) == [
        {"code": "21", "nom": "Côte-d'Or", "region": "Bourgogne-Franche-Comté"},
        {"code": "2A", "nom": "Corse-du-Sud", "region": "Corse"},
        {"code": "BFC", "nom": "Bourgogne-Franche-Comté", "region": "Bourgogne-Franche-Comté"},
        {"code": "99", "nom": None, "region": None},
    ]
    assert place_name("974").label() == "974 La Réunion"
    assert place_name("BFC").is_region and place_name("99").label() == "99"


@pytest.mark.parametrize("fmt", [Format.JSON, Format.JSONL])
def test_enrichment_is_added_after_the_fixed_keys_only_when_asked(fmt: Format) -> None:
    fiches = load(GRAND_EST)
    plain, enriched = io.BytesIO(), io.BytesIO()
    get_writer(fmt, WriterOptions()).write(fiches, plain)
    get_writer(fmt, WriterOptions(enrich=True)).write(fiches, enriched)

    def records(data: bytes) -> list[dict[str, object]]:
        text = data.decode("utf-8")
        return json.loads(text) if fmt is Format.JSON else [json.loads(line) for line in text.splitlines()]

    for before, after, fiche in zip(records(plain.getvalue()), records(enriched.getvalue()), fiches, strict=True):
        assert ENRICHED_KEY not in before
        assert list(after) == [*before, ENRICHED_KEY]
        assert {k: v for k, v in after.items() if k != ENRICHED_KEY} == before
        assert [entry["code"] for entry in after[ENRICHED_KEY]] == fiche.departements()  # type: ignore[union-attr]
    assert records(enriched.getvalue())[0][ENRICHED_KEY] == [{"code": "08", "nom": "Ardennes", "region": "Grand Est"}]


def test_schema_does_not_change() -> None:
    assert ENRICHED_KEY not in json.dumps(fiche_json_schema())


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_enriched_output_reads_back_as_the_same_records(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"fiches{suffix}"
    result = runner.invoke(app, ["convert", str(GRAND_EST), "--enrichir", "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert ENRICHED_KEY in target.read_text(encoding="utf-8")
    assert load(target) == load(GRAND_EST)
