"""`fichekit parse` in-process: output, French messages, exit codes, no traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES_DIR, runner

from fichekit import __version__
from fichekit.cli import app

SAMPLE = SAMPLES_DIR / "normandie_ateliers.txt"


def test_parse_writes_a_utf8_json_array_to_stdout() -> None:
    result = runner.invoke(app, ["parse", str(SAMPLE)])
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) == 3
    assert "Épicerie solidaire La Passerelle" in result.stdout  # not ASCII-escaped
    assert list(records[0])[:4] == ["theme", "theme_number", "structures", "projet"]


def test_parse_several_files_and_output_file(tmp_path: Path) -> None:
    out = tmp_path / "fiches.json"
    result = runner.invoke(app, ["parse", str(SAMPLE), str(SAMPLES_DIR / "bretagne_pdf.txt"), "-o", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 6
    # Near-miss headings of bretagne_pdf.txt are reported on stderr with file:line.
    assert "bretagne_pdf.txt:178:1: FK102" in result.stderr


def test_parse_reads_stdin() -> None:
    result = runner.invoke(app, ["parse", "-"], input=SAMPLE.read_bytes())
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["source"]["file"] == "<stdin>"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("absent.txt", None, "fichier introuvable", id="missing"),
        pytest.param("dossier", "dir", "aucun fichier de fiches dans ce dossier", id="directory"),
        pytest.param("vide.txt", b"", "fichier vide", id="empty"),
        pytest.param("blanc.txt", b"\n   \n\n", "fichier vide", id="blank"),
        pytest.param("image.txt", b"\x00\x01\x02\x03" * 100, "fichier binaire", id="binary"),
        pytest.param("notes.txt", "Réunion du 3 mai.\nRien à signaler.\n".encode(), "aucune fiche reconnue", id="no-sheet"),
    ],
)
def test_bad_input_is_one_french_line_and_other_files_still_parsed(
    tmp_path: Path, name: str, content: bytes | str | None, message: str
) -> None:
    bad = tmp_path / name
    if content == "dir":
        bad.mkdir()
    elif isinstance(content, bytes):
        bad.write_bytes(content)
    result = runner.invoke(app, ["parse", str(bad), str(SAMPLE)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"erreur : {bad}: {message}")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert len(json.loads(result.stdout)) == 3  # the good file is still parsed


def test_failed_parse_does_not_create_output(tmp_path: Path) -> None:
    out = tmp_path / "fiches.json"
    result = runner.invoke(app, ["parse", str(tmp_path / "absent.txt"), "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()


def test_output_equal_to_input_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "export.txt"
    copy.write_bytes(SAMPLE.read_bytes())
    result = runner.invoke(app, ["parse", str(copy), "-o", str(copy)])
    assert result.exit_code == 1
    assert "la sortie est aussi une entrée" in result.stderr
    assert copy.read_bytes() == SAMPLE.read_bytes()


def test_missing_output_directory(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(SAMPLE), "-o", str(tmp_path / "nope" / "f.json")])
    assert result.exit_code == 1
    assert "le dossier de sortie n'existe pas" in result.stderr


def test_usage_errors_exit_2_in_french() -> None:
    result = runner.invoke(app, ["parse"])
    assert result.exit_code == 2
    assert "argument manquant" in result.stderr
    result = runner.invoke(app, ["parse", str(SAMPLE), "--bogus"])
    assert result.exit_code == 2
    assert "option inconnue" in result.stderr


def test_help_and_version_in_french() -> None:
    result = runner.invoke(app, ["parse", "--help"])
    assert result.exit_code == 0
    assert "Utilisation" in result.stdout and "Afficher cette aide et quitter." in result.stdout
    assert "Exemple" in result.stdout
    result = runner.invoke(app, ["--version"])
    assert result.stdout == f"fichekit {__version__}\n"


def test_encoding_option(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(SAMPLE.read_text(encoding="utf-8").replace("→", "->").replace("’", "'").encode("latin-1", "replace"))
    result = runner.invoke(app, ["parse", str(path), "--encoding", "latin-1"])
    assert result.exit_code == 0, result.stderr
    assert "Épicerie" in result.stdout


def test_when_every_input_fails_nothing_is_written(tmp_path: Path) -> None:
    """Not even an empty « [] »: a website importing the output must not mistake a failure for no sheet."""
    scan = Path(__file__).parent / "fixtures" / "pdf" / "scan.pdf"
    result = runner.invoke(app, ["parse", str(scan)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "PDF sans texte" in result.stderr
    target = tmp_path / "fiches.json"
    assert runner.invoke(app, ["parse", str(scan), "-o", str(target)]).exit_code == 1
    assert not target.exists()
