"""Terminal text is plain and French: no markup read from user text, no escape sequences, no English."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from conftest import SAMPLES_DIR, run_in_terminal, runner

from fichekit.cli import app
from fichekit.errors import french_os_error
from fichekit.findings import Code, make_finding
from fichekit.fr import counted
from fichekit.plaintext import printable

NORMANDIE = SAMPLES_DIR / "normandie_ateliers.txt"
HOSTILE_NAME = "Épi\x1b[31mcerie\n\u202eLa Passerelle\x07"


# --- markup -------------------------------------------------------------------------------------


def test_a_name_that_looks_like_markup_is_shown_as_typed_on_a_terminal(tmp_path: Path) -> None:
    code, screen = run_in_terminal(["parse", str(tmp_path / "[/]absent.txt")])
    assert code == 1, screen
    assert f"{tmp_path}/[/]absent.txt: fichier introuvable" in screen
    assert "Traceback" not in screen


def test_a_link_in_a_name_is_not_made_clickable(tmp_path: Path) -> None:
    name = str(tmp_path / "[link=https://exemple.invalid]clic[/link].txt")
    code, screen = run_in_terminal(["parse", name])
    assert code == 1
    assert f"{name}: fichier introuvable" in screen
    assert "\x1b]8;" not in screen  # OSC 8: the terminal's hyperlink sequence


# --- control characters, escapes, bidi ------------------------------------------------------


def test_printable_escapes_what_acts_on_a_terminal() -> None:
    assert printable(HOSTILE_NAME) == "Épi\\x1b[31mcerie\\n\\u202eLa Passerelle\\x07"
    assert printable("tab\tet accents : « é » 🍎 שלום") == "tab\tet accents : « é » 🍎 שלום"
    assert printable("\x85\u2028\u2066\ud800") == "\\x85\\u2028\\u2066\ufffd"


def test_a_finding_is_always_one_harmless_line() -> None:
    finding = make_finding(Code.BAD_DEPARTEMENT, "fiches.json", f"« (99) » après « {HOSTILE_NAME} »")
    line = str(finding)
    assert "\n" not in line and "\x1b" not in line and "\u202e" not in line and "\x07" not in line
    assert line == "fiches.json: FK005 « (99) » après « Épi\\x1b[31mcerie\\n\\u202eLa Passerelle\\x07 »"


def _hostile_json(tmp_path: Path) -> Path:
    records = json.loads(runner.invoke(app, ["parse", str(NORMANDIE)]).stdout)
    records[0]["structures"][0]["nom"] = HOSTILE_NAME
    records[0]["structures"][0]["departements"] = ["99"]
    source = tmp_path / "fiches.json"
    source.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return source


def test_validate_text_report_lines_cannot_be_forged(tmp_path: Path) -> None:
    source = _hostile_json(tmp_path)
    result = runner.invoke(app, ["validate", "--format", "text", str(source)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert all(line.startswith(f"{source}: ") for line in lines[:-1]), lines
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert any("Épi\\x1b[31mcerie\\n\\u202eLa Passerelle" in line for line in lines)


def test_github_annotations_carry_no_terminal_escape(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--format", "github", str(_hostile_json(tmp_path))])
    (annotation,) = [line for line in result.stdout.splitlines() if "FK005" in line]
    assert annotation.startswith("::error file=")
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "Épi\\x1b[31mcerie%0A\\u202eLa Passerelle" in annotation  # GitHub escapes its own line breaks


def test_validate_on_a_terminal_shows_no_escape_from_the_sheet(tmp_path: Path) -> None:
    code, screen = run_in_terminal(["validate", str(_hostile_json(tmp_path))])
    assert code == 1
    assert "Épi\\x1b[31mcerie\\n\\u202eLa Passerelle\\x07" in screen
    assert "\x1b[31mcerie" not in screen and "\u202e" not in screen and "\x07" not in screen


def test_a_file_name_with_a_newline_stays_on_its_report_line(tmp_path: Path) -> None:
    source = tmp_path / "deux\nlignes.txt"
    source.write_bytes(NORMANDIE.read_bytes())
    result = runner.invoke(app, ["validate", str(source)])
    assert result.stdout.splitlines()[0].startswith(f"{tmp_path}/deux\\nlignes.txt:99:1: FK101")
    errors = runner.invoke(app, ["parse", str(tmp_path / "absent\x1b[2J.txt")])
    assert errors.stderr == f"erreur : {tmp_path}/absent\\x1b[2J.txt: fichier introuvable\n"


# --- French -------------------------------------------------------------------------------------


def test_command_suggestions_are_french() -> None:
    result = runner.invoke(app, ["pars", str(NORMANDIE)])
    assert result.exit_code == 2
    assert "erreur : commande inconnue : « pars » : vouliez-vous dire « parse » ?" in result.stderr
    assert "Did you mean" not in result.output


def test_the_usage_line_is_french() -> None:
    result = runner.invoke(app, ["pars"])
    assert "Utilisation : fichekit [OPTIONS] COMMANDE [ARGUMENTS]..." in result.stderr
    assert "COMMAND " not in result.output


def test_option_suggestions_are_french() -> None:
    result = runner.invoke(app, ["parse", str(NORMANDIE), "--outptu", "x.json"])
    assert result.exit_code == 2
    assert "erreur : option inconnue : --outptu (vouliez-vous dire --output ?)" in result.stderr
    assert "Possible options" not in result.output


@pytest.mark.parametrize(
    ("code", "french"),
    [
        (errno.ENOSPC, "plus de place sur le disque"),
        (errno.EROFS, "disque en lecture seule"),
        (errno.ENAMETOOLONG, "nom de fichier trop long"),
        (errno.EIO, "erreur d'entrée-sortie (disque ou support défaillant)"),
        (errno.EACCES, "accès interdit (permissions)"),
        (errno.ENOLINK, "erreur du système ENOLINK"),
    ],
)
def test_os_errors_are_french(code: int, french: str) -> None:
    assert french_os_error(OSError(code, "English words")) == french


def test_os_errors_name_the_action_forbidden() -> None:
    assert french_os_error(PermissionError(errno.EACCES, "Permission denied"), "écriture") == "écriture interdite (permissions)"


def test_an_input_name_too_long_is_a_french_error(tmp_path: Path) -> None:
    source = tmp_path / ("n" * 300 + ".txt")
    result = runner.invoke(app, ["parse", str(source)])
    assert result.exit_code == 1
    assert result.stderr == f"erreur : {source}: lecture impossible (nom de fichier trop long)\n"


def test_plurals() -> None:
    assert [counted(n, "fichier") for n in (0, 1, 2)] == ["0 fichier", "1 fichier", "2 fichiers"]
    assert counted(3, "travail", "travaux") == "3 travaux"
