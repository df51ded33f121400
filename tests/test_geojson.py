"""GeoJSON map: RFC 7946 shape, points inside France, placement at the commune or the chef-lieu, findings, CLI."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import GOLDEN_DIR, SAMPLES_DIR, assert_golden, corpus, runner, samples

from fichekit import places
from fichekit.api import iter_load, load
from fichekit.cli import app
from fichekit.findings import Code, Severity
from fichekit.model import Fiche, Item, Source, Structure
from fichekit.writers import Format, WriterOptions, format_for_path, get_writer
from fichekit.writers.geojson import GeoJsonWriter, place_candidates

GRAND_EST = SAMPLES_DIR / "grand_est_cp1252.txt"
PROPERTIES = [
    "theme", "theme_number", "structure", "departement", "departement_nom", "region",
    "localisation", "projet", "placement", "commune", "file", "line",
]  # fmt: skip
# (west, south, east, north) of metropolitan France with Corsica, and of the five overseas départements.
FRANCE_BOXES = {
    "métropole": (-5.3, 41.3, 9.6, 51.2),
    "Guadeloupe": (-61.9, 15.8, -61.0, 16.6),
    "Martinique": (-61.3, 14.3, -60.8, 14.9),
    "Guyane": (-54.7, 2.1, -51.6, 5.8),
    "La Réunion": (55.2, -21.4, 55.9, -20.8),
    "Mayotte": (44.9, -13.1, 45.3, -12.6),
}


def _map(fiches: list[Fiche] | Iterator[Fiche], options: WriterOptions | None = None) -> dict[str, Any]:
    out = io.BytesIO()
    GeoJsonWriter(options or WriterOptions()).write(fiches, out)
    return json.loads(out.getvalue().decode("utf-8"))


def _fiche(localisation: list[str], *structures: Structure, file: str = "atelier.txt") -> Fiche:
    return Fiche(
        theme="Comment faire ?",
        theme_number=3,
        structures=list(structures),
        projet="projet MIAM",
        localisation=[Item(texte=t) for t in localisation],
        source=Source(file=file, line=10, structures_line=12),
    )


def _in_france(longitude: float, latitude: float) -> bool:
    return any(w <= longitude <= e and s <= latitude <= n for w, s, e, n in FRANCE_BOXES.values())


def _assert_rfc_7946(collection: dict[str, Any]) -> None:
    assert list(collection) == ["type", "features"] and collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        assert set(feature) == {"type", "geometry", "properties"} and feature["type"] == "Feature"
        geometry = feature["geometry"]
        assert set(geometry) == {"type", "coordinates"} and geometry["type"] == "Point"
        longitude, latitude = geometry["coordinates"]
        assert isinstance(longitude, float) and isinstance(latitude, float)
        assert _in_france(longitude, latitude), feature["properties"]
        assert list(feature["properties"]) == PROPERTIES


@pytest.mark.parametrize("path", samples())
def test_golden_geojson(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(path.parent.parent)
    out = io.BytesIO()
    GeoJsonWriter(WriterOptions()).write(iter_load(f"{path.parent.name}/{path.name}"), out)
    actual = json.loads(out.getvalue().decode("utf-8"))
    golden = GOLDEN_DIR / f"{path.stem}.geojson"
    if os.environ.get("FICHEKIT_UPDATE_GOLDEN") == "1" or not golden.exists():
        # Writes the golden file, or fails because it is missing.
        assert_golden(golden.name, json.dumps(actual, ensure_ascii=False, indent=1) + "\n")
    # Compared as data: the golden file is indented for review, the output is one feature per line.
    assert json.loads(golden.read_text(encoding="utf-8")) == actual


@pytest.mark.parametrize("path", corpus())
def test_one_valid_feature_per_structure_and_departement(path: Path) -> None:
    fiches = load(path)
    options = WriterOptions()
    collection = _map(fiches, options)
    _assert_rfc_7946(collection)
    placed = [
        (s.nom, code) for f in fiches for s in f.structures for code in s.departements if places.departement(code) is not None
    ]
    assert [(f["properties"]["structure"], f["properties"]["departement"]) for f in collection["features"]] == placed
    skipped = sum(
        1 if not s.departements else sum(places.departement(c) is None for c in s.departements)
        for f in fiches
        for s in f.structures
    )
    assert len(options.findings) == skipped


def test_every_departement_of_the_data_is_placed_inside_france() -> None:
    departements = places.departements()
    assert len(departements) >= 101
    fiches = [_fiche([], Structure(nom=f"Structure {d.code}", departements=[d.code])) for d in departements]
    collection = _map(fiches)
    _assert_rfc_7946(collection)
    assert len(collection["features"]) == len(departements)
    for feature, departement in zip(collection["features"], departements, strict=True):
        assert feature["properties"]["placement"] == "chef-lieu"
        assert feature["properties"]["commune"] == departement.chef_lieu
        assert feature["geometry"]["coordinates"] == [departement.longitude, departement.latitude]


def test_commune_named_in_localisation_else_chef_lieu() -> None:
    fiches = [
        _fiche(["DIJON"], Structure(nom="A", departements=["21"])),
        _fiche(["Auxerrois (27 communes)"], Structure(nom="B", departements=["89"])),
        _fiche(["Quartier des Vignes, à Beaune"], Structure(nom="C", departements=["21"])),
        # Dijon is not in the Yonne: the point stays in the structure's own département.
        _fiche(["Dijon et Auxerre"], Structure(nom="D", departements=["21", "89"])),
        _fiche(["Nevers"], Structure(nom="E", departements=["89"])),
        _fiche(["Localisation : DIJON"], Structure(nom="F", departements=["21"])),
    ]
    features = [f["properties"] for f in _map(fiches)["features"]]
    placed = [(p["structure"], p["departement"], p["placement"], p["commune"]) for p in features]
    assert placed == [
        ("A", "21", "commune", "Dijon"),
        ("B", "89", "chef-lieu", "Auxerre"),
        ("C", "21", "commune", "Beaune"),
        ("D", "21", "commune", "Dijon"),
        ("D", "89", "commune", "Auxerre"),
        ("E", "89", "chef-lieu", "Auxerre"),
        ("F", "21", "commune", "Dijon"),
    ]
    dijon = places.find_commune("Dijon", "21")
    assert dijon is not None
    assert _map(fiches[:1])["features"][0]["geometry"]["coordinates"] == [dijon.longitude, dijon.latitude]


def test_properties_of_a_feature() -> None:
    fiche = _fiche(["Quartier nord", "Dijon"], Structure(nom="Épi' Soleil", departements=["21"]))
    (feature,) = _map([fiche])["features"]
    assert feature["properties"] == {
        "theme": "Comment faire ?",
        "theme_number": 3,
        "structure": "Épi' Soleil",
        "departement": "21",
        "departement_nom": "Côte-d'Or",
        "region": "Bourgogne-Franche-Comté",
        "localisation": "Quartier nord ; Dijon",
        "projet": "projet MIAM",
        "placement": "commune",
        "commune": "Dijon",
        "file": "atelier.txt",
        "line": 10,
    }


def test_place_candidates_cut_an_item_into_names() -> None:
    items = [Item(texte="Pointe des Ardennes, autour de\nGivrac-sur-Meuse"), Item(texte="KERNEVEZ et Pors-Meur")]
    candidates = list(place_candidates(items))
    assert "Givrac-sur-Meuse" in candidates and "KERNEVEZ" in candidates and "Pors-Meur" in candidates
    assert candidates.index("Givrac-sur-Meuse") < candidates.index("KERNEVEZ")


def test_structures_that_cannot_be_placed_are_findings_one_each() -> None:
    fiche = _fiche(
        ["Dijon"],
        Structure(nom="Sans code"),
        Structure(nom="Réseau", departements=["BFC"]),
        Structure(nom="Inconnue", departements=["99", "21"]),
    )
    options = WriterOptions()
    collection = _map([fiche], options)
    assert [f["properties"]["structure"] for f in collection["features"]] == ["Inconnue"]
    assert [(f.code, f.severity, f.file, f.line) for f in options.findings] == [(Code.INTERPRETED, Severity.WARNING, "atelier.txt", 12)] * 3
    messages = [f.message for f in options.findings]
    assert "« Sans code » n'a pas de département" in messages[0]
    assert "(BFC) : un sigle de région" in messages[1]
    assert "(99) : code de département inconnu" in messages[2]


def test_features_are_written_as_sheets_arrive() -> None:
    out = io.BytesIO()
    features_before_each_pull: list[int] = []

    def sheets() -> Iterator[Fiche]:
        for code in ("21", "89", "58"):
            features_before_each_pull.append(out.getvalue().count(b'"Feature"'))
            yield _fiche([], Structure(nom=code, departements=[code]))
        features_before_each_pull.append(out.getvalue().count(b'"Feature"'))

    GeoJsonWriter(WriterOptions()).write(sheets(), out)
    assert features_before_each_pull == [0, 1, 2, 3]


def test_no_sheet_gives_an_empty_collection() -> None:
    assert _map([]) == {"type": "FeatureCollection", "features": []}


def test_registry_and_suffix() -> None:
    assert format_for_path("carte.geojson") is Format.GEOJSON and not Format.GEOJSON.is_binary
    assert isinstance(get_writer(Format.GEOJSON), GeoJsonWriter)


def test_cli_map_from_the_suffix_with_findings_on_stderr(tmp_path: Path) -> None:
    target = tmp_path / "carte.geojson"
    result = runner.invoke(app, ["convert", str(GRAND_EST), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert "FK110 « Fédération des épiceries du Grand Est » (GE)" in result.stderr
    collection = json.loads(target.read_text(encoding="utf-8"))
    _assert_rfc_7946(collection)
    assert [f["properties"]["departement"] for f in collection["features"]] == ["08", "67", "68"]


def test_cli_map_on_stdout() -> None:
    result = runner.invoke(app, ["convert", str(GRAND_EST), "--to", "geojson"])
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout_bytes)["features"]) == 3
