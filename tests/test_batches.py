"""The grammar reads lines a batch at a time: where the batches are cut never changes what is read."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_FILES, generated_export

from fichekit.grammar import iter_records, iter_records_in_batches
from fichekit.grammar.layout import profile_text
from fichekit.grammar.sheet import _BLANK_BUT_FORM_FEED
from fichekit.sources import open_source

_TEXTS = [*SAMPLE_FILES, *sorted((ROOT / "tests" / "realworld" / "text").iterdir())]


def test_blank_means_what_str_strip_removes_except_the_form_feed() -> None:
    everything = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
    assert sorted(_BLANK_BUT_FORM_FEED) == sorted(everything.replace("\f", ""))


def _read(lines: list[str], size: int, name: str) -> tuple[list[object], list[str]]:
    findings: list[object] = []
    head = "\n".join(lines[:400])
    batches = [lines[i : i + size] for i in range(0, len(lines), size)]
    records = list(iter_records_in_batches(batches, name, findings, profile_text(head)))  # type: ignore[arg-type]
    return records, [str(f) for f in findings]


@pytest.mark.parametrize("path", _TEXTS, ids=[p.name for p in _TEXTS])
@pytest.mark.parametrize("size", [1, 2, 7, 64])
def test_any_batch_size_reads_the_same_records_and_findings(path: Path, size: int) -> None:
    source = open_source(str(path))
    lines = list(source.lines([]))
    assert _read(lines, size, path.name) == _read(lines, 100_000, path.name)


def test_a_generated_pdf_like_export_reads_the_same_in_any_batches() -> None:
    text = generated_export(120)
    lines = text.split("\n")
    whole = _read(lines, 100_000, "export.txt")
    assert "\f" in text and len(whole[0]) == 120
    for size in (1, 3, 50, 333):
        assert _read(lines, size, "export.txt") == whole


def test_lines_given_one_by_one_read_as_the_text_reader_reads_them() -> None:
    path = SAMPLE_FILES[0]
    source = open_source(str(path))
    lines = list(source.lines([]))
    profile = profile_text("\n".join(lines[:400]))
    assert list(iter_records(iter(lines), path.name, [], profile)) == list(
        iter_records_in_batches([lines], path.name, [], profile)
    )
