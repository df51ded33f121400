"""The cheap pre-test of heading matching is exact: it turns a line away only where the full comparison finds nothing.

:func:`fichekit.headings._may_be_heading` lets most content lines skip normalisation;
these tests hold it to :func:`fichekit.headings._classify` (and to the dash rule of
:func:`~fichekit.headings.match_heading`) on every line of the bundled inputs and on
generated headings written the ways people write them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_FILES, SEED
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fichekit import headings as H
from fichekit.grammar import split_marker


def test_no_heading_form_starts_with_a_token_the_pretest_skips() -> None:
    """The pre-test skips enumerators and determiners before a heading's first token: none may be one."""
    assert H._FORM_FIRST
    assert not [t for t in H._FORM_FIRST if H._ENUMERATOR_TOKEN.fullmatch(t) or t in H._LEAD_TOKENS]


def _full_comparison(line: str) -> object:
    """What :func:`match_heading` finds without the pre-test (synonyms aside)."""
    head = line.partition(":")[0]
    if len(head) > H.MAX_HEADING_LENGTH:
        head = line[: H.MAX_HEADING_LENGTH + 1]
    found = H._classify(head)
    if (found is None or found[1] is H.MatchKind.NEAR_MISS) and "\t" in head:
        before = H._classify(head[: head.index("\t")])
        if before is not None and before[1] is not H.MatchKind.NEAR_MISS:
            return "tab"
    if found is None or found[1] is H.MatchKind.NEAR_MISS:
        dash = H._DASH.search(head)
        if dash is not None and H._classify(head[: dash.start()]) is not None:
            return "dash"
    return found


def _check(line: str) -> None:
    head = line.partition(":")[0][: H.MAX_HEADING_LENGTH + 1]
    if not H.may_pass_pretest(head):
        assert _full_comparison(line) is None, line


_INPUTS = [*SAMPLE_FILES, *sorted((ROOT / "tests" / "realworld" / "text").iterdir()), *([SEED] if SEED.exists() else [])]


@pytest.mark.parametrize("path", _INPUTS, ids=[p.name for p in _INPUTS])
def test_no_line_of_the_bundled_inputs_is_turned_away_wrongly(path: Path) -> None:
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text = raw.strip()
        if text:
            _check(text)
            _check(split_marker(text)[1])


_FORMS = sorted({form for heading in H.HEADINGS for form in (heading.title, *heading.variants)})
_BEFORE = st.sampled_from(["", "1. ", "2) ", "A) ", "III - ", "iv. ", "**", "*", "### ", "📍 ", "Les ", "Nos ", "Principaux ",
                           "Quelques ", "L'", "le ", "— ", "« ", "(", "12 ", "2024 ", "b) c) "])  # fmt: skip
_AFTER = st.sampled_from(["", " :", ":", "**", "*", " du projet", " obtenus", " (humaines, matérielles)", " - Tours", "\tTours",
                          " – 2021 : signature", " attendus en 2026", " à solliciter", "s", "e", " ?"])  # fmt: skip


@st.composite
def _heading_like(draw: st.DrawFn) -> str:
    form = draw(st.sampled_from(_FORMS))
    if draw(st.booleans()):
        # One typo, a dropped or an added word: what a near miss tolerates, and what it does not.
        words = form.split()
        index = draw(st.integers(0, len(words) - 1))
        change = draw(st.sampled_from(["drop", "add", "typo", "swap", "upper", "none"]))
        if change == "drop" and len(words) > 1:
            del words[index]
        elif change == "add":
            words.insert(index, draw(st.sampled_from(["grands", "nos", "de", "vrais", "x", "2"])))
        elif change == "typo" and len(words[index]) > 2:
            position = draw(st.integers(1, len(words[index]) - 1))
            words[index] = words[index][:position] + words[index][position + 1 :]
        elif change == "swap" and len(words) > 1:
            words[0], words[-1] = words[-1], words[0]
        elif change == "upper":
            words = [word.upper() for word in words]
        form = " ".join(words)
    return draw(_BEFORE) + form + draw(_AFTER) + draw(st.sampled_from(["", " Dijon", " voir plus bas, avec les partenaires du réseau"]))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_heading_like())
@example("L'du groupe - Tours")  # the words after a dash for a colon are content, not strangers (found by hypothesis)
def test_headings_as_people_write_them_are_never_turned_away_wrongly(line: str) -> None:
    _check(line)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=120))
def test_any_text_is_never_turned_away_wrongly(line: str) -> None:
    _check(line.strip() or "x")
