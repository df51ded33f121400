"""Every command is documented: a French --help ending with an example, and a README section."""

from __future__ import annotations

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from conftest import ROOT
from fichekit.cli import app

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_commands_users_rely_on_exist() -> None:
    assert COMMANDS == ["convert", "parse", "schema", "validate"]


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help_is_french_with_an_example(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Utilisation : fichekit " + command in result.stdout
    assert "Exemple : fichekit " + command in result.stdout
    assert "Show this message" not in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_command_has_a_readme_section(command: str) -> None:
    assert f"### `fichekit {command}`" in README


def test_readme_gives_the_ci_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = 'python3 -m venv .venv && .venv/bin/pip install -e ".[test]" && .venv/bin/python -m pytest'
    assert command in README
    assert command.replace("pip install -e", "pip install -q -e") in ci
