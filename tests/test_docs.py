"""The README tells the truth: every command is documented, and the commands it gives work as written.

Every command has a French --help ending with an example and a README section;
the quick start and the coordinators' commands are read from README.md itself,
checked against their exact expected text, and the Linux coordinators' block is
run in a fresh virtual environment on a copy of the repository.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES_DIR, runner
from typer.main import get_command

from fichekit.cli import app

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
README = (ROOT / "README.md").read_text(encoding="utf-8")

QUICK_START = [
    "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/fichekit convert samples/*.txt --to docx -o recueil.docx",
    'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest',
]
"""The developer quick start: exactly these two commands, the second one being what CI runs."""

WINDOWS_INSTALL = "py -m pip install --user ."
WINDOWS_CONVERT = [
    "py -m fichekit convert fiches\\ -o recueil.docx",
    "py -m fichekit convert fiches\\ -o fiches.xlsx",
]
UNIX_BLOCK = [
    "python3 -m venv .venv",
    ".venv/bin/python -m pip install .",
    ".venv/bin/python -m fichekit convert fiches/ -o recueil.docx",
    ".venv/bin/python -m fichekit convert fiches/ -o fiches.xlsx",
]


def section(title: str) -> str:
    """The text of the README's ``## title`` section, up to the next ``## `` heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.MULTILINE | re.DOTALL)
    assert match, f"README.md has no « ## {title} » section"
    return match.group(1)


def code_blocks(text: str, language: str) -> list[list[str]]:
    """The non-blank lines of each fenced block in ``language``, fences possibly indented under a list item."""
    pattern = rf"^([ \t]*)```{language}\n(.*?)^\1```$"
    return [
        [line.strip() for line in body.splitlines() if line.strip()]
        for _, body in re.findall(pattern, text, re.MULTILINE | re.DOTALL)
    ]


COORDINATORS = section("Pour les coordinateurs")
UNIX_LINES = code_blocks(COORDINATORS, "sh")[0] if code_blocks(COORDINATORS, "sh") else []


def test_the_commands_users_rely_on_exist() -> None:
    assert COMMANDS == ["convert", "parse", "schema", "validate"]


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_is_french_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Utilisation : fichekit " + command in result.stdout
    assert "Exemple : fichekit " + command in result.stdout
    assert "Show this message" not in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_command_has_a_readme_section(command: str) -> None:
    assert f"### `fichekit {command}`" in README


def test_coordinators_come_first_then_the_quick_start() -> None:
    assert re.findall(r"^## (.+)$", README, re.MULTILINE)[:2] == ["Pour les coordinateurs", "Démarrage rapide"]


def test_quick_start_gives_exactly_the_two_commands() -> None:
    assert code_blocks(section("Démarrage rapide"), "sh") == [[command] for command in QUICK_START]


def test_readme_gives_the_ci_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert QUICK_START[1].replace("pip install -e", "pip install -q -e") in ci.splitlines()


def test_examples_after_the_quick_start_assume_the_activated_virtual_environment() -> None:
    """One convention for every ``fichekit …`` example: the quick start's venv, activated."""
    quick_start = section("Démarrage rapide")
    assert "`source .venv/bin/activate`" in quick_start
    assert "`.venv\\Scripts\\activate`" in quick_start
    after = README[README.index("## Démarrage rapide") + len(quick_start) :]
    assert ".venv/bin/fichekit" not in after
    assert re.findall(r"^(?:\$ )?fichekit (?:parse|convert|validate|schema)\b", after, re.MULTILINE)


def test_coordinators_windows_commands() -> None:
    assert code_blocks(COORDINATORS, "bat") == [[WINDOWS_INSTALL], WINDOWS_CONVERT]
    assert "Add python.exe to PATH" in COORDINATORS
    assert "Download ZIP" in COORDINATORS
    assert "‹ adresse du dépôt de votre réseau ›" in COORDINATORS


def test_coordinators_unix_block() -> None:
    assert code_blocks(COORDINATORS, "sh") == [UNIX_BLOCK]


def test_windows_and_unix_coordinators_run_the_same_conversions() -> None:
    """The Linux block is the one tested for real: it must say what the Windows one says."""
    unix = [line for line in UNIX_LINES if " -m fichekit " in line]
    as_windows = [line.replace(".venv/bin/python", "py").replace("fiches/", "fiches\\") for line in unix]
    assert as_windows == WINDOWS_CONVERT


def _zip_like_copy(destination: Path) -> Path:
    """The repository as « Code › Download ZIP » gives it: the sources, without local venvs, builds or outputs."""
    at_root = {".git", ".venv", "build", "dist", "out", "fiches", ".pytest_cache", ".hypothesis"}

    def ignored(directory: str, names: list[str]) -> set[str]:
        skip = {name for name in names if name == "__pycache__" or name.endswith(".egg-info")}
        if Path(directory) == ROOT:
            skip |= {name for name in names if name in at_root or Path(name).suffix in {".docx", ".xlsx", ".geojson"}}
        return skip

    tree = destination / "fichekit-main"
    shutil.copytree(ROOT, tree, ignore=ignored)
    shutil.copytree(SAMPLES_DIR, tree / "fiches")
    return tree


def _run(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"}}
    return subprocess.run(shlex.split(line), cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def coordinator_install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's Linux block up to the conversions, run as written in a fresh copy: the installed folder."""
    tree = _zip_like_copy(tmp_path_factory.mktemp("zip"))
    for line in UNIX_LINES:
        if " -m fichekit " in line:
            break
        result = _run(line, tree)
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
    installed = _run(".venv/bin/python -c 'import fichekit; print(fichekit.__file__)'", tree)
    assert Path(installed.stdout.strip()).is_relative_to(tree / ".venv"), installed.stdout + installed.stderr
    return tree


def _conversion_lines() -> list[pytest.param]:
    return [
        pytest.param(line, id=shlex.split(line)[-1]) for line in UNIX_LINES if " -m fichekit " in line
    ]


@pytest.mark.slow
@pytest.mark.parametrize("line", _conversion_lines())
def test_coordinators_unix_block_runs_in_a_fresh_venv(line: str, request: pytest.FixtureRequest) -> None:
    from docx import Document

    import fichekit
    from fichekit.formats import WritableFormat

    output = shlex.split(line)[-1]
    suffix = Path(output).suffix.lstrip(".")
    if suffix not in {fmt.value for fmt in WritableFormat}:
        pytest.skip(f"le format {suffix} n'est pas encore écrit par fichekit sur cette branche")
    tree: Path = request.getfixturevalue("coordinator_install")
    assert (tree / ".venv" / "bin" / "python").exists()

    result = _run(line, tree)

    assert result.returncode == 0, result.stderr
    fiches = [fiche for path in sorted(SAMPLES_DIR.glob("*.txt")) for fiche in fichekit.load(path)]
    assert result.stderr.splitlines()[-1] == f"{len(fiches)} fiches → {output}"
    written = tree / output
    if suffix == "docx":
        # The recueil keeps a theme's words but may tie « ? » with a no-break space.
        paragraphs = {" ".join(paragraph.text.split()) for paragraph in Document(str(written)).paragraphs}
        assert {" ".join(fiche.theme.split()) for fiche in fiches if fiche.theme} <= paragraphs
    else:
        with zipfile.ZipFile(written) as workbook:
            assert "xl/workbook.xml" in workbook.namelist()
