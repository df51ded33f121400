"""Shared test helpers: sample paths, the real export, golden files."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fichekit.formats import Format
from fichekit.model import Fiche, Source, Structure
from fichekit.writers import WriterOptions, get_writer

ROOT = Path(__file__).resolve().parents[1]
SAMPLES_DIR = ROOT / "samples"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
SEED = ROOT.parent / "shared" / "seeds" / "000_0ae11eb00b3afc06.txt"

SAMPLE_FILES = sorted(SAMPLES_DIR.glob("*.txt"))
"""The bundled sample exports (fictional structures, real-world mess)."""

needs_seed = pytest.mark.skipif(
    not SEED.exists(),
    reason="../shared/seeds absent (clone hors de l'espace de travail) : l'export réel n'est pas disponible",
)


runner = CliRunner()
"""One in-process runner for every CLI test (its ``invoke`` is checked by the fixture below)."""


def make_fiche(**fields: object) -> Fiche:
    """A valid record for writer tests: a theme, its number, one structure and a source; ``fields`` replace or add."""
    base: dict[str, object] = {
        "theme": "Comment faire ?",
        "theme_number": 4,
        "structures": [Structure(nom="Épi' Soleil", departements=["21"])],
        "source": Source(file="atelier.txt", line=7),
    }
    base.update(fields)
    return Fiche.model_validate(base)


def generated_export(sheets: int) -> str:
    """An export of ``sheets`` sheets made by the benchmarks' generator (deterministic, PDF-like mess included)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import write_export
    finally:
        sys.path.pop(0)
    out = io.StringIO()
    write_export(out, sheets)
    return out.getvalue()


def write_records(fmt: Format, fiches: object, **options: object) -> bytes:
    """What the ``fmt`` writer makes of ``fiches`` with these :class:`WriterOptions` fields."""
    out = io.BytesIO()
    get_writer(fmt, WriterOptions(**options)).write(fiches, out)  # type: ignore[arg-type]
    return out.getvalue()


def samples() -> list[pytest.param]:
    """The bundled samples: golden files exist for these only (the real export's text is not copied into the repository)."""
    return [pytest.param(path, id=path.stem) for path in SAMPLE_FILES]


def corpus() -> list[pytest.param]:
    """Every export the golden and property tests run on: the samples, plus the real export when present."""
    params = [pytest.param(path, id=path.stem) for path in SAMPLE_FILES]
    params.append(pytest.param(SEED, id="seed", marks=needs_seed))
    return params


def assert_golden(name: str, actual: str | bytes) -> None:
    """Compare ``actual`` with ``tests/golden/<name>``.

    A missing golden file fails. Run with ``FICHEKIT_UPDATE_GOLDEN=1`` to
    (re)write them, then review the diff before committing.
    """
    path = GOLDEN_DIR / name
    data = actual.encode("utf-8") if isinstance(actual, str) else actual
    if os.environ.get("FICHEKIT_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    if not path.exists():
        pytest.fail(f"golden file missing: {path} (run with FICHEKIT_UPDATE_GOLDEN=1 and review it)")
    expected = path.read_bytes()
    if isinstance(actual, str):
        assert actual == expected.decode("utf-8"), f"output differs from {path}"
    else:
        assert data == expected, f"output differs from {path}"


@pytest.fixture(autouse=True)
def _cli_never_shows_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every CliRunner run of the suite ends in an exit code, never in an exception or a traceback.

    Wraps ``CliRunner.invoke`` for every test: a bad input, a failed output or
    an interruption must be turned into a message and an exit code by the CLI.
    """
    invoke = CliRunner.invoke

    def checked_invoke(self: CliRunner, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        result = invoke(self, *args, **kwargs)  # type: ignore[arg-type]
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"the CLI raised {result.exception!r} instead of exiting"
        )
        assert "Traceback" not in result.output, result.output
        return result

    monkeypatch.setattr(CliRunner, "invoke", checked_invoke)


def run_in_terminal(args: list[str]) -> tuple[int, str]:
    """Run ``fichekit ARGS`` with its three streams on a pseudo-terminal: what a user sees, colours included.

    Returns the exit code and everything the terminal received (with CR LF line ends).
    """
    import pty

    leader, follower = pty.openpty()
    env = {key: value for key, value in os.environ.items() if key not in {"CI", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE"}}
    env.update(COLUMNS="300", TERM="xterm-256color")
    child = subprocess.Popen([sys.executable, "-m", "fichekit", *args], stdin=follower, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    received = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        received.append(data)
    os.close(leader)
    return child.wait(timeout=120), b"".join(received).decode("utf-8", "replace")
