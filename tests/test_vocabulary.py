"""A network's own words for the rubriques: ``[tool.fichekit.rubriques]`` and ``--rubriques FILE``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fichekit import parse
from fichekit.cli import app
from fichekit.headings import match_heading, synonyms

runner = CliRunner()

SHEET = """Comment faire ?
→ Avec Épicerie des Quais (44)
Localisation : Nantes
Facteurs de réussite :
- Un local lumineux
Difficultés rencontrées : le manque de bénévoles
Perspectives :
- Ouvrir le samedi
"""

TABLE = """[tool.fichekit.rubriques]
cles_du_succes = ["Facteurs de réussite"]
obstacles_et_freins = ["Difficultés rencontrées"]
pistes_amelioration = ["Perspectives"]
"""


def test_without_the_network_vocabulary_its_titles_are_content() -> None:
    (fiche,) = parse(SHEET)
    assert fiche.cles_du_succes == [] and fiche.pistes_amelioration == []
    assert [i.texte for i in fiche.localisation][:2] == ["Nantes", "Facteurs de réussite :"]


def test_with_it_they_are_the_rubriques_and_the_keys_never_change() -> None:
    with synonyms({"Facteurs de réussite": "cles_du_succes", "difficultes rencontrees": "obstacles_et_freins", "Perspectives": "pistes_amelioration"}):
        (fiche,) = parse(SHEET)
        assert match_heading("FACTEURS DE RÉUSSITE :") is not None
    assert [i.texte for i in fiche.cles_du_succes] == ["Un local lumineux"]
    assert [i.texte for i in fiche.obstacles_et_freins] == ["le manque de bénévoles"]
    assert [i.texte for i in fiche.pistes_amelioration] == ["Ouvrir le samedi"]
    assert "cles_du_succes" in fiche.model_dump()
    assert match_heading("Perspectives :") is None  # only within the block


def test_an_unknown_key_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown heading keys: succes"), synonyms({"Facteurs de réussite": "succes"}):
        pass


def test_the_project_table_is_read_by_parse_convert_and_validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(TABLE, encoding="utf-8")
    sheet = tmp_path / "fiche.txt"
    sheet.write_text(SHEET, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["parse", "fiche.txt"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[0]["cles_du_succes"] == [{"texte": "Un local lumineux", "type": "puce"}]
    converted = runner.invoke(app, ["convert", "fiche.txt", "--to", "jsonl"])
    assert json.loads(converted.stdout)["pistes_amelioration"][0]["texte"] == "Ouvrir le samedi"
    checked = runner.invoke(app, ["validate", "fiche.txt", "--require", "cles_du_succes", "--require", "pistes_amelioration"])
    assert checked.exit_code == 0, checked.stdout


def test_the_rubriques_option_takes_a_file(tmp_path: Path) -> None:
    words = tmp_path / "mots.toml"
    words.write_text('[rubriques]\ncles_du_succes = "Facteurs de réussite"\n', encoding="utf-8")
    sheet = tmp_path / "fiche.txt"
    sheet.write_text(SHEET, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(sheet), "--rubriques", str(words)])
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["cles_du_succes"][0]["texte"] == "Un local lumineux"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("[rubriques]\nsucces = [\"Facteurs\"]\n", "rubrique inconnue « succes »", id="unknown-key"),
        pytest.param("[rubriques]\ncles_du_succes = [3]\n", "doit être une liste de titres", id="not-a-title"),
        pytest.param('[rubriques]\ncles_du_succes = ["X"]\nconseils = ["X"]\n', "donné à deux rubriques", id="one-title-two-keys"),
        pytest.param("[autre]\n", "aucune table [rubriques]", id="no-table"),
    ],
)
def test_a_bad_vocabulary_is_a_usage_error(tmp_path: Path, content: str, message: str) -> None:
    words = tmp_path / "mots.toml"
    words.write_text(content, encoding="utf-8")
    sheet = tmp_path / "fiche.txt"
    sheet.write_text(SHEET, encoding="utf-8")
    result = runner.invoke(app, ["convert", str(sheet), "--to", "json", "--rubriques", str(words)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
