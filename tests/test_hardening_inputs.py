"""Inputs never crash: hostile JSON, odd file names, fake encodings, bad configurations, deep trees, huge lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES_DIR, runner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fichekit.cli import app
from fichekit.safety import MAX_LINE_CHARS

NORMANDIE = SAMPLES_DIR / "normandie_ateliers.txt"
COMMANDS = {
    "parse": ["parse"],
    "convert": ["convert", "--to", "md"],
    "validate": ["validate"],
}


def _records() -> list[dict[str, object]]:
    result = runner.invoke(app, ["parse", str(NORMANDIE)])
    assert result.exit_code == 0
    return json.loads(result.stdout)


def _one_line_error(result: object, path: Path, message: str) -> None:
    """parse/convert: one ``erreur :`` line naming the file; validate: one FK001 finding naming it."""
    output = result.output  # type: ignore[attr-defined]
    lines = [line for line in output.splitlines() if str(path) in line]
    assert any(message in line for line in lines), output
    assert "Traceback" not in output


# --- JSON ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_lone_surrogates_in_json_are_refused_in_one_line(tmp_path: Path, command: list[str]) -> None:
    source = tmp_path / "fiches.json"
    text = json.dumps(_records(), ensure_ascii=True).replace("Passerelle", "Passe\\ud800relle", 1)
    source.write_text(text, encoding="utf-8")
    result = runner.invoke(app, [*command, str(source)])
    assert result.exit_code == 1
    _one_line_error(result, source, "fiche n° 1 : caractère invalide dans « structures.0.nom » (moitié de paire UTF-16 \\ud800)")


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_lone_surrogates_in_json_lines_are_refused(tmp_path: Path, command: list[str]) -> None:
    source = tmp_path / "fiches.jsonl"
    records = _records()
    records[1]["theme"] = "\udfff"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=True) for r in records) + "\n", encoding="utf-8")
    result = runner.invoke(app, [*command, str(source)])
    assert result.exit_code == 1
    _one_line_error(result, source, "ligne 2 : caractère invalide dans « theme »")


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_json_nested_200000_deep_is_refused(tmp_path: Path, command: list[str]) -> None:
    source = tmp_path / "profond.json"
    source.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    result = runner.invoke(app, [*command, str(source)])
    assert result.exit_code == 1
    _one_line_error(result, source, "JSON invalide (imbrication trop profonde")


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_json_integer_of_5000_digits_is_refused(tmp_path: Path, command: list[str]) -> None:
    source = tmp_path / "nombre.json"
    records = _records()
    source.write_text(json.dumps(records).replace('"theme_number": 1', '"theme_number": ' + "7" * 5000, 1), encoding="utf-8")
    result = runner.invoke(app, [*command, str(source)])
    assert result.exit_code == 1
    _one_line_error(result, source, "JSON invalide (nombre de plusieurs milliers de chiffres)")


def test_json_syntax_errors_are_explained_in_french(tmp_path: Path) -> None:
    source = tmp_path / "casse.json"
    source.write_text('[{"theme": "x",}]', encoding="utf-8")
    result = runner.invoke(app, ["parse", str(source)])
    assert result.exit_code == 1
    assert result.stderr == f"erreur : {source}:1: JSON invalide (nom de clé entre guillemets droits attendu, colonne 16)\n"


def test_validate_places_json_findings_in_the_json_file(tmp_path: Path) -> None:
    """A record's ``source.file`` names the export it came from: findings still belong to the JSON being checked."""
    records = _records()
    records[0]["source"]["file"] = "/etc/passwd"  # type: ignore[index]
    records[0]["apports_du_groupe"] = []
    source = tmp_path / "fiches.json"
    source.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["validate", "--format", "json", str(source)])
    findings = json.loads(result.stdout)
    assert findings and {f["file"] for f in findings} == {str(source)}
    assert all(f["line"] is None for f in findings)
    assert any("(fiche issue de /etc/passwd:" in f["message"] for f in findings)


# --- file names that are not UTF-8 --------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_file_name_that_is_not_utf8_is_shown_with_replacement_characters(tmp_path: Path, command: list[str]) -> None:
    folder = os.fsencode(tmp_path)
    name = folder + b"/\x90picerie.txt"
    with open(name, "wb") as out:
        out.write(NORMANDIE.read_bytes())
    done = subprocess.run([sys.executable, "-m", "fichekit", *command, name], capture_output=True)
    assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, done.stderr
    shown = f"{tmp_path}/\ufffdpicerie.txt"
    if command[0] == "parse":
        assert {record["source"]["file"] for record in json.loads(done.stdout)} == {shown}
    elif command[0] == "validate":
        assert done.stdout.decode("utf-8").startswith(f"{shown}:99:1: FK101")
    else:
        assert done.stdout.count(b"## ") >= 3


def test_a_missing_file_with_a_name_that_is_not_utf8(tmp_path: Path) -> None:
    name = os.fsencode(tmp_path) + b"/absent-\xe9t\xe9.txt"
    done = subprocess.run([sys.executable, "-m", "fichekit", "validate", "--format", "json", name], capture_output=True)
    assert done.returncode == 1
    (finding,) = json.loads(done.stdout)
    assert finding["file"] == f"{tmp_path}/absent-\ufffdt\ufffd.txt"


# --- options ------------------------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["rot13", "base64", "hex", "zlib"])
@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_an_encoding_that_is_not_a_text_encoding_is_a_usage_error(command: list[str], codec: str) -> None:
    result = runner.invoke(app, [*command, "--encoding", codec, str(NORMANDIE)])
    assert result.exit_code == 2
    assert f"« {codec} » n'est pas un encodage de texte" in result.stderr


def test_an_unknown_encoding_is_a_usage_error() -> None:
    result = runner.invoke(app, ["parse", "--encoding", "klingon", str(NORMANDIE)])
    assert result.exit_code == 2
    assert "encodage inconnu : klingon" in result.stderr


def test_a_configuration_that_is_not_utf8_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_bytes("[tool.fichekit]\nrequired = [\"localisation\"]\n# é\n".encode("cp1252"))
    result = runner.invoke(app, ["validate", "--config", str(config), str(NORMANDIE)])
    assert result.exit_code == 2
    assert f"erreur : {config}: fichier de configuration illisible : ce fichier n'est pas en UTF-8" in result.stderr


# --- size and depth -----------------------------------------------------------------------------


def test_validate_walks_a_tree_1100_folders_deep(tmp_path: Path) -> None:
    folder = tmp_path / "arbre"
    folder.mkdir()
    deepest = folder
    for _ in range(1100):
        deepest = deepest / "d"
        deepest.mkdir()
    (deepest / "fiche.txt").write_bytes(NORMANDIE.read_bytes())
    try:
        result = runner.invoke(app, ["validate", str(folder)])
        assert result.exit_code == 0, result.output
        assert result.stdout.endswith("1 fichier, 3 fiches, 0 erreur, 1 avertissement\n")
    finally:
        (deepest / "fiche.txt").unlink()
        while deepest != tmp_path:  # shutil.rmtree recurses: remove from the bottom
            deepest.rmdir()
            deepest = deepest.parent


_PEAK_MEMORY = """
import sys
from fichekit import cli
try:
    cli.main()
finally:
    sys.stderr.write(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc")
def test_a_huge_single_line_keeps_memory_bounded(tmp_path: Path) -> None:
    """A 200 MB line is refused once past the limit, before being held: peak memory stays far below its size."""
    source = tmp_path / "une-ligne.txt"
    with open(source, "wb") as out:
        for _ in range(200):
            out.write(b"a" * (1024 * 1024))
    done = subprocess.run([sys.executable, "-c", _PEAK_MEMORY, "parse", str(source)], capture_output=True)
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 1
    assert f"erreur : {source}:1: ligne trop longue (plus de {MAX_LINE_CHARS // 2**20} millions de caractères)" in stderr
    peak_kib = int(stderr.rsplit("VmHWM:", 1)[1].split()[0])
    assert peak_kib < 150 * 1024, f"peak memory {peak_kib} KiB for a 200 MB line"


def test_lines_up_to_the_limit_are_read(tmp_path: Path) -> None:
    from fichekit.sources import open_source

    path = tmp_path / "long.txt"
    path.write_bytes(b"x" * MAX_LINE_CHARS + b"\n" + b"y" * 10)
    assert [len(line) for line in open_source(str(path)).lines()] == [MAX_LINE_CHARS, 10]


# --- fuzz ---------------------------------------------------------------------------------------

_EXPORT = NORMANDIE.read_bytes()
_HEADINGS = [b"Localisation :", b"R\xc3\xa9sultats :", b"\xe2\x86\x92 Avec ", b"Chiffres cl\xc3\xa9s", b"### Partenaires", b"[", b"{", b"---"]


@st.composite
def _mutated_export(draw: st.DrawFn) -> bytes:
    data = bytearray(_EXPORT)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "truncate", "control", "heading"]))
        where = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[where] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[where:]
        elif kind == "control":
            data[where:where] = bytes([draw(st.sampled_from([0, 7, 8, 11, 12, 27, 127]))]) * draw(st.integers(1, 3))
        else:
            data[where:where] = b"\n" + draw(st.sampled_from(_HEADINGS)) + b"\n"
    return bytes(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(export=_mutated_export(), suffix=st.sampled_from([".txt", ".md", ".json", ".jsonl"]))
def test_mutated_exports_never_crash(tmp_path: Path, export: bytes, suffix: str) -> None:
    source = tmp_path / f"mutant{suffix}"
    source.write_bytes(export)
    output = tmp_path / "sortie.json"
    for command in (["parse", str(source)], ["convert", str(source), "--to", "csv", "-o", str(output)], ["validate", str(source)]):
        result = runner.invoke(app, command)
        assert result.exit_code in {0, 1}, (command, result.output)
        assert "Traceback" not in result.output
