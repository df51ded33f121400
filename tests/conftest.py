"""Shared test helpers: sample paths, the real export, golden files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
