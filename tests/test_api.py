"""The public API is symmetric: load/loads read any supported input, dump/dumps write any output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES_DIR
from typer.testing import CliRunner

import fichekit
from fichekit import Format, dump, dumps, load, loads
from fichekit.cli import app

NORMANDIE = SAMPLES_DIR / "normandie_ateliers.txt"


def _records(fiches: list[fichekit.Fiche]) -> list[dict[str, object]]:
    return [f.model_dump(mode="json", exclude={"source"}) for f in fiches]


def test_loads_reads_json_text_as_json_and_a_raw_export_as_an_export() -> None:
    fiches = load(NORMANDIE)
    assert _records(loads(dumps(fiches))) == _records(fiches)
    assert _records(loads(dumps(fiches, Format.JSONL))) == _records(fiches)
    assert _records(loads(dumps(fiches, Format.MD))) == _records(fiches)
    assert _records(loads(NORMANDIE.read_text(encoding="utf-8"))) == _records(fiches)
    # A raw export whose first line looks like JSON is still read as one when told so.
    assert loads("[Brouillon]\nQ ?\n→ Avec A (21)\nLocalisation : B", format=Format.TXT)[0].localisation[0].texte == "B"


@pytest.mark.parametrize("fmt", [f for f in Format if f.spec.writer and f.spec.reader])
def test_dump_then_load_gives_the_same_records(tmp_path: Path, fmt: Format) -> None:
    fiches = load(NORMANDIE)
    path = tmp_path / f"fiches{fmt.suffix}"
    dump(fiches, path)
    assert _records(load(path)) == _records(fiches)


def test_dump_to_a_format_fichekit_only_writes(tmp_path: Path) -> None:
    fiches = load(NORMANDIE)
    dump(fiches, tmp_path / "fiches.xlsx", title="Atelier")
    dump(fiches, tmp_path / "carte.geojson")
    assert json.loads((tmp_path / "carte.geojson").read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    with pytest.raises(ValueError, match="cannot be written as text"):
        dumps(fiches, Format.DOCX)


def test_strict_failing_says_why() -> None:
    result = CliRunner().invoke(app, ["validate", "--strict", str(SAMPLES_DIR / "bretagne_pdf.txt")])
    assert result.exit_code == 1
    last = result.stdout.splitlines()[-1]
    assert last.endswith(", traités comme des erreurs par --strict)")
    assert "0 erreur" in last
