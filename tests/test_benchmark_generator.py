"""The benchmark generator (benchmarks/generate.py) is deterministic and writes real-format exports.

Benchmarks are only comparable from run to run if they measure the same bytes,
and only meaningful if fichekit reads those bytes as the sheets intended: so
the output must depend on the seed alone, and parse into exactly the number
of sheets asked for, each with its theme, its "Avec" line and all 13 headings.
Small sizes only: this is a unit test, not a measurement.
"""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT

from fichekit.api import load, parse
from fichekit.headings import SECTION_KEYS
from fichekit.model import Fiche


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fichekit_bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the class is built.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


def _export(sheets: int, seed: int = generate.DEFAULT_SEED) -> str:
    out = io.StringIO()
    generate.write_export(out, sheets, seed)
    return out.getvalue()


def _assert_complete_sheets(fiches: list[Fiche], expected: int) -> None:
    assert len(fiches) == expected
    for fiche in fiches:
        assert fiche.source is not None
        assert sorted(fiche.source.rubriques) == sorted(SECTION_KEYS), fiche.source
        assert fiche.theme is not None and fiche.theme.endswith("?"), fiche.source
        assert fiche.structures, fiche.source


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not() -> None:
    first = _export(25)
    assert first == _export(25)
    assert first != _export(25, seed=generate.DEFAULT_SEED + 1)


def test_command_line_writes_the_same_export_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "export.txt"
    assert generate.main(["--sheets", "25", "-o", str(target)]) == 0
    assert target.read_bytes() == _export(25).encode("utf-8")


@pytest.mark.parametrize("sheets", [1, 12, 120])
def test_export_parses_into_the_sheets_asked_for_with_all_13_headings(sheets: int) -> None:
    _assert_complete_sheets(parse(_export(sheets)), sheets)


def test_export_carries_the_mess_of_real_exports() -> None:
    text = _export(120)
    size_per_sheet = len(text.encode("utf-8")) / 120
    assert 2200 < size_per_sheet < 3200, size_per_sheet
    lines = text.split("\n")
    for mess in ("\f", "\t", "\u00a0:", "\u00a0?", "→ Avec ", "->Avec ", "Clés du succès : • ", "CHIFFRES CLÉS", "Cles du succes"):
        assert mess in text, mess
    assert any(line.startswith("Avec ") and ") et " in line and " : projet " in line for line in lines)
    for bullet in ("- ", "• ", "- > ", "o ", "1. ", "\uf0b7 "):
        assert any(line.lstrip().startswith(bullet) for line in lines), bullet
    fiches = parse(text)
    assert any(f.theme_number is not None for f in fiches) and any(f.theme_number is None for f in fiches)
    assert any("\n" in item.texte for f in fiches for _, items in f.sections() for item in items)
    assert any(not f.apports_du_groupe for f in fiches) and any(f.apports_du_groupe for f in fiches)


def test_files_mode_writes_one_sheet_per_file(tmp_path: Path) -> None:
    paths = generate.write_files(tmp_path / "fiches", 4)
    assert [p.name for p in paths] == [f"fiche_0000{n}.txt" for n in range(1, 5)]
    for path in paths:
        _assert_complete_sheets(load(path), 1)
    again = generate.write_files(tmp_path / "again", 4)
    assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in again]
