from pathlib import Path

import pytest

import fichekit

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_0ae11eb00b3afc06.txt"


@pytest.mark.skipif(not SEED.exists(), reason="../shared absent (clone hors de l'atelier) : export réel indisponible")
def test_seed_has_eight_sheets() -> None:
    fiches = fichekit.load(SEED)
    assert [f.structures[0].nom for f in fiches][:2] == ["Épi' Sourire", "Secours Populaire"]
    assert len(fiches) == 8
