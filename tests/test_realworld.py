"""The real-world corpus: fichekit's records checked field by field against the ground truth.

Every fixture under ``tests/realworld/`` (Word documents, PDFs, pdftotext and
LibreOffice text, e-mails, hand-typed text) was made by a real tool from the
sheets of ``tests/realworld/sheets.py``; ``tests/realworld/expected/<file>.json``
holds its expected records, generated from the same sheets by ``make_corpus.py``.

One test case per fixture and field: ``<file>/count`` for the number of sheets,
then ``<file>/<sheet>/<field>`` for ``theme``, ``theme_number``, ``structures``
(nom and départements), ``projet``, each of the 13 sections (type and text of
every item, in order) and ``hors_rubrique``, which must be empty: nothing
spurious may be read as the author's text. An expected sheet is compared with
the read sheet carrying the same structure names, or else the one at its rank.

Comparison rule for texts (theme, projet, structure names, item texts):

* whitespace runs, line breaks ``\\n`` and no-break spaces included, are folded
  to one space and the ends trimmed: the ground truth is the author's
  paragraph, which a PDF wraps over several lines and whose no-break spaces
  pdftotext turns into spaces;
* a hyphen (or soft hyphen) ending a line of the read text is the PDF's
  hyphenation, undone (``ac-`` + ``tifs`` -> ``actifs``) only where the ground
  truth does not have the hyphenated form (``Saône-et-`` + ``Loire`` keeps it);
* nothing else is normalised: case, accents, apostrophes and punctuation must
  be the author's.

Item types, theme numbers and département codes are compared exactly.

Input kinds fichekit cannot read yet (``NOT_YET``) have every case marked
``xfail(strict=True)``; the readers' authors remove the kind when they land.
``KNOWN_GAPS`` (``tests/realworld/known_gaps.py``) lists, by cause, the cases of readable fixtures that fail
today: it is the grammar's to-do list. Both are strict: a case that starts
passing fails the suite until its mark is removed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from realworld.known_gaps import KNOWN_GAPS
from realworld.sheets import SECTION_KEYS, SHEETS, expected_record

from fichekit import load
from fichekit.model import Fiche

REALWORLD = Path(__file__).resolve().parent / "realworld"
EXPECTED_DIR = REALWORLD / "expected"
FIXTURE_DIRS = ("docx", "html", "pdf", "text")
FIELDS = ("theme", "theme_number", "structures", "projet", *SECTION_KEYS, "hors_rubrique")

NOT_YET: set[str] = set()
"""Input kinds without a reader today: every case of their fixtures is an expected failure."""


def input_kind(path: Path) -> str:
    """``docx``, ``pdf`` or ``text``: what NOT_YET is keyed by."""
    return path.suffix.lstrip(".").lower() if path.suffix.lower() in (".docx", ".pdf") else "text"


def _fixtures() -> list[Path]:
    return sorted(path for folder in FIXTURE_DIRS for path in (REALWORLD / folder).iterdir() if path.is_file())


@cache
def _expected(path: Path) -> list[dict[str, Any]]:
    """Expected records of a fixture (shared between its cases: never mutated)."""
    return json.loads((EXPECTED_DIR / f"{path.name}.json").read_text(encoding="utf-8"))


# -- comparison ---------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")
_LINE_END_HYPHEN = re.compile(r"(\w+)[-\u00ad][ \t]*\n\s*(\w+)")


def _fold(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def fold_read(text: str | None, truth: str) -> str | None:
    """The read text folded for comparison with ``truth`` (see the module docstring)."""
    if text is None:
        return None
    folded_truth = _fold(truth)

    def undo_hyphenation(match: re.Match[str]) -> str:
        hyphenated = f"{match[1]}-{match[2]}"
        return hyphenated if hyphenated in folded_truth else match[1] + match[2]

    return _fold(_LINE_END_HYPHEN.sub(undo_hyphenation, text))


def _truth(text: str | None) -> str | None:
    return None if text is None else _fold(text)


def _compare(field: str, read: Fiche, expected: dict[str, Any]) -> tuple[object, object]:
    """(read value, expected value) of ``field``, in comparable form."""
    if field == "theme_number":
        return read.theme_number, expected["theme_number"]
    if field in ("theme", "projet"):
        truth = expected[field] or ""
        return fold_read(getattr(read, field), truth), _truth(expected[field])
    if field == "structures":
        names = " ".join(s["nom"] for s in expected["structures"])
        return (
            [(fold_read(s.nom, names), list(s.departements)) for s in read.structures],
            [(_fold(s["nom"]), s["departements"]) for s in expected["structures"]],
        )
    if field == "hors_rubrique":
        return [(i.type.value, i.texte) for i in read.hors_rubrique], []
    truth = " ".join(item["texte"] for item in expected[field])
    return (
        [(i.type.value, fold_read(i.texte, truth)) for i in getattr(read, field)],
        [(item["type"], _fold(item["texte"])) for item in expected[field]],
    )


@cache
def _read(path: Path) -> tuple[list[Fiche], str | None]:
    """The records fichekit reads from ``path`` today, or the error that stopped it."""
    try:
        return load(path), None
    except Exception as exc:
        return [], f"{type(exc).__name__}: {exc}"


def _names(structures: list[Any]) -> list[str]:
    return [_fold(s["nom"] if isinstance(s, dict) else s.nom) for s in structures]


def _counterpart(records: list[Fiche], expected: dict[str, Any], rank: int) -> Fiche | None:
    names = _names(expected["structures"])
    for record in records:
        if _names(record.structures) == names:
            return record
    return records[rank] if rank < len(records) else None


# -- cases --------------------------------------------------------------------


def _sheet_label(record: dict[str, Any]) -> str:
    """The ``sNN`` id of the ground-truth sheet ``record`` was generated from."""
    for sheet in SHEETS:
        if expected_record(sheet) == record:
            return sheet.id
    raise AssertionError(f"expected record matches no sheet of sheets.py: {record['structures']}")


def case_ids() -> Iterator[tuple[str, Path, int | None, str]]:
    for path in _fixtures():
        yield f"{path.name}/count", path, None, "count"
        for rank, record in enumerate(_expected(path)):
            label = _sheet_label(record)
            for field in FIELDS:
                yield f"{path.name}/{label}/{field}", path, rank, field


GAP_BY_CASE: dict[str, str] = {}
for _reason, _gap_cases in KNOWN_GAPS.items():
    for _case in _gap_cases:
        GAP_BY_CASE[_case] = f"{GAP_BY_CASE[_case]}; {_reason}" if _case in GAP_BY_CASE else _reason


def _cases() -> list[Any]:
    params = []
    for case_id, path, rank, field in case_ids():
        marks = []
        kind = input_kind(path)
        if kind in NOT_YET:
            marks.append(pytest.mark.xfail(strict=True, reason=f"reader: .{kind} not readable yet"))
        elif case_id in GAP_BY_CASE:
            marks.append(pytest.mark.xfail(strict=True, reason=GAP_BY_CASE[case_id]))
        params.append(pytest.param(path, rank, field, id=case_id, marks=marks))
    return params


def case_problem(path: Path, rank: int | None, field: str) -> str | None:
    """What is wrong with one case today, or None when it passes."""
    records, error = _read(path)
    if error is not None:
        return f"{path.name}: fichekit could not read it: {error}"
    expected = _expected(path)
    if rank is None:
        return None if len(records) == len(expected) else f"{path.name}: {len(records)} sheets read, {len(expected)} expected"
    read = _counterpart(records, expected[rank], rank)
    if read is None:
        return f"{path.name}: sheet {rank + 1} missing ({len(records)} sheets read)"
    actual, wanted = _compare(field, read, expected[rank])
    if actual == wanted:
        return None
    return f"{path.name}, sheet {rank + 1}, {field}:\n  read:     {actual!r}\n  expected: {wanted!r}"


@pytest.mark.parametrize(("path", "rank", "field"), _cases())
def test_realworld(path: Path, rank: int | None, field: str) -> None:
    problem = case_problem(path, rank, field)
    if problem is not None:
        # No traceback: it says nothing here, and hundreds of expected failures stay cheap.
        pytest.fail(problem, pytrace=False)


def test_every_fixture_has_expected_records_and_a_manifest_row() -> None:
    fixtures = {path.name for path in _fixtures()}
    expected = {path.name.removesuffix(".json") for path in EXPECTED_DIR.glob("*.json")}
    assert fixtures == expected, "fixtures and expected/*.json differ: run tests/realworld/make_corpus.py"
    manifest = (REALWORLD / "MANIFEST.md").read_text(encoding="utf-8")
    missing = sorted(name for name in fixtures if f"/{name}`" not in manifest)
    assert not missing, f"files missing from MANIFEST.md: {missing}"


def test_known_gaps_name_existing_cases() -> None:
    """A gap entry must name a real case: a renamed fixture or field must not leave stale marks."""
    existing = {case_id for case_id, *_ in case_ids()}
    stale = sorted(set(GAP_BY_CASE) - existing)
    assert not stale, f"KNOWN_GAPS names cases that do not exist: {stale}"


def test_folding_undoes_pdf_hyphenation_only_where_the_author_did_not_hyphenate() -> None:
    assert fold_read("des membres ac-\ntifs de la vie", "des membres actifs de la vie") == "des membres actifs de la vie"
    assert fold_read("Chalon (Saône-et-\nLoire)", "Chalon (Saône-et-Loire)") == "Chalon (Saône-et-Loire)"
    assert fold_read("dont 38\u00a0%\n  de produits", "dont 38 % de produits") == "dont 38 % de produits"
    # Nothing else is normalised: a wrong case or apostrophe still differs.
    assert fold_read("l'aide", "l’aide") != "l’aide"
    assert fold_read("Ouvert", "ouvert") != "ouvert"
