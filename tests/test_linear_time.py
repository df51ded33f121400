"""No slow paths: pathological lines are read in linear time.

Each case is guarded by an alarm far above what a linear reading needs (a
hang guard, not a benchmark: speed is measured by benchmarks/bench.py).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from fichekit import FichekitError, parse
from fichekit.config import ValidationRules
from fichekit.validate import check_fiche

SPACES = " " * 100_000


@pytest.fixture(autouse=True)
def _hang_guard() -> Iterator[None]:
    def stop(signum: int, frame: object) -> None:
        raise TimeoutError("quadratic reading: a pathological line took more than 10 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(f"→ Avec{SPACES}X (21)", id="avec-spaces"),
        pytest.param(f"→ Avec A{SPACES}et{SPACES}B (21)", id="avec-spaced-et"),
        pytest.param(f"→ Avec A ({SPACES}21{SPACES})", id="avec-spaced-codes"),
        pytest.param("→ Avec " + "(" * 50_000 + "21" + ")" * 50_000, id="avec-nested-parentheses"),
        pytest.param("→ Avec " + "A (21) et " * 10_000, id="avec-many-structures"),
        pytest.param(f"Localisation{SPACES}:{SPACES}Nantes", id="heading-spaces"),
        pytest.param(f"1.{SPACES}Localisation :", id="numbered-spaces"),
        pytest.param("*" * 100_000 + "Localisation", id="marks"),
        pytest.param(f"Localisation -{SPACES}- Tours", id="dashes"),
        pytest.param("- " * 50_000 + "texte", id="chained-bullets"),
        pytest.param("•" * 100_000, id="glyphs"),
        pytest.param(f"Comment faire{SPACES}?", id="question"),
        pytest.param("Thème n° " + "9" * 100_000, id="theme-label"),
        pytest.param("a " * 50_000 + ":", id="heading-like"),
        pytest.param("> " * 50_000 + "texte", id="quotes"),
    ],
)
def test_a_pathological_line_is_read_quickly(line: str) -> None:
    text = f"Question ?\n→ Avec Épicerie (44)\nLocalisation : Nantes\n{line}\nRésultats : {line}\n"
    try:
        fiches = parse(text)
    except FichekitError:
        return  # a one-line error is a fine answer too; a hang is not
    for fiche in fiches:
        check_fiche(fiche, ValidationRules())
