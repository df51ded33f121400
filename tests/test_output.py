"""Output safety: atomic files and --split names that can never escape their directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLES_DIR, runner
from hypothesis import given, settings
from hypothesis import strategies as st

from fichekit.cli import app
from fichekit.model import Fiche, Structure
from fichekit.output import MANIFEST_NAME, atomic_output, split_names


def _fiche(*names: str) -> Fiche:
    return Fiche(structures=[Structure(nom=name, departements=[]) for name in names])


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        pytest.param(["../../etc/passwd"], "etc-passwd.md", id="parent-traversal"),
        pytest.param(["/tmp/absolu"], "tmp-absolu.md", id="absolute"),
        pytest.param(["C:\\Windows\\system32"], "c-windows-system32.md", id="windows-path"),
        pytest.param(["CON"], "con-fiche.md", id="device-con"),
        pytest.param(["nul"], "nul-fiche.md", id="device-nul"),
        pytest.param(["COM1"], "com1-fiche.md", id="device-com1"),
        pytest.param([""], "fiche-1.md", id="empty"),
        pytest.param(["???"], "fiche-1.md", id="only-punctuation"),
        pytest.param([".cache"], "cache.md", id="leading-dot"),
        pytest.param(["Épi' Soleil"], "epi-soleil.md", id="accents"),
    ],
)
def test_split_names_are_safe(names: list[str], expected: str) -> None:
    assert split_names([_fiche(*names)], ".md") == [expected]


def test_long_names_are_cut_and_repeats_numbered() -> None:
    fiches = [_fiche("x" * 500), _fiche("x" * 500), _fiche("Même"), _fiche("meme"), _fiche()]
    names = split_names(fiches, ".docx")
    assert names == ["x" * 80 + ".docx", "x" * 80 + "-2.docx", "meme.docx", "meme-2.docx", "fiche-5.docx"]


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(), max_size=3), min_size=1, max_size=8))
def test_any_structure_names_give_safe_unique_names(structure_names: list[list[str]]) -> None:
    fiches = [_fiche(*names) for names in structure_names]
    names = split_names(fiches, ".md")
    assert len(set(n.casefold() for n in names)) == len(names)
    for name in names:
        assert "/" not in name and "\\" not in name and not name.startswith(".")
        assert len(name) <= 80 + len("-999.md")
        assert Path(name).name == name and name.isascii()


def test_split_writes_one_file_per_sheet_inside_the_directory(tmp_path: Path) -> None:
    result = runner.invoke(app, ["convert", str(SAMPLES_DIR / "normandie_ateliers.txt"), "--to", "json", "--split", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != MANIFEST_NAME) == [
        "collectif-caddies-partages-50-14.json",
        "epicerie-solidaire-la-passerelle-14.json",
        "jardin-de-la-vire-14-reseau-terres-partagees-nor.json",
    ]


def test_split_directory_must_exist(tmp_path: Path) -> None:
    result = runner.invoke(app, ["convert", str(SAMPLES_DIR / "normandie_ateliers.txt"), "--to", "md", "--split", str(tmp_path / "absent")])
    assert result.exit_code == 1
    assert "le dossier de sortie n'existe pas" in result.stderr


def test_atomic_output_keeps_previous_file_on_error(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("ancien", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as stream:
        stream.write(b"moitie")
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "ancien"
    assert list(tmp_path.iterdir()) == [target]
    with atomic_output(target) as stream:
        stream.write(b"nouveau")
    assert target.read_text(encoding="utf-8") == "nouveau"


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "md", "docx", "xlsx", "geojson"])
def test_split_works_for_every_format(tmp_path: Path, fmt: str) -> None:
    result = runner.invoke(app, ["convert", str(SAMPLES_DIR / "occitanie_restitution.txt"), "--to", fmt, "--split", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    files = sorted(p for p in tmp_path.iterdir() if p.name != MANIFEST_NAME)
    assert [p.name for p in files] == [
        f"banque-alimentaire-de-laude-11-reseau-des-jardins-partages-audois-occ.{fmt}",
        f"ccas-de-loderac-34.{fmt}",
        f"epicerie-mobile-le-cabas-cevenol-30-48.{fmt}",
    ]
    if fmt == "docx":
        import docx

        headings = [p.text for p in docx.Document(str(files[1])).paragraphs if p.style.name == "Heading 2"]
        assert headings == ["CCAS de Lodérac (34)"]
    elif fmt == "csv":
        assert files[1].read_bytes().count(b"\r\n") == 2  # header and one sheet
    elif fmt == "xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(files[1])["Fiches"]
        assert [row[2].value for row in sheet.iter_rows(min_row=2)] == ["CCAS de Lodérac (34)"]
    elif fmt == "geojson":
        import json

        features = json.loads(files[1].read_text(encoding="utf-8"))["features"]
        assert [f["properties"]["structure"] for f in features] == ["CCAS de Lodérac"]
    else:
        from fichekit import load

        (fiche,) = load(files[1])
        assert fiche.structures_label() == "CCAS de Lodérac (34)"
