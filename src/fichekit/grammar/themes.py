"""One theme key everywhere: two spellings of one workshop question are one theme."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..findings import Code, Finding, make_finding
from ..records import FicheRecord

__all__ = ["theme_key", "unify_themes"]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'"})
_SPACES = re.compile(r"\s+")
_BEFORE_PUNCTUATION = re.compile(r" (?=[?!:;])")


def theme_key(theme: str) -> str:
    """What two spellings of one question share: case, apostrophes, (no-break) spaces and a space before « ? » aside."""
    folded = _SPACES.sub(" ", theme.translate(_APOSTROPHES)).strip().casefold()
    return _BEFORE_PUNCTUATION.sub("", folded)


def _difference(a: str, b: str) -> str:
    """What tells two spellings of one theme apart, in words (on screen they may look the same)."""
    said = []
    both = a + b
    if "\u00a0" in both or "\u202f" in both:
        said.append("espace insécable")
    elif a.replace(" ", "") == b.replace(" ", ""):
        said.append("espaces")
    if both.translate(_APOSTROPHES) != both:
        said.append("apostrophes droites ou courbes")
    if a.casefold() == b.casefold():
        said.append("majuscules")
    return ", ".join(said) or "espaces ou ponctuation"


def unify_themes(
    records: Iterable[FicheRecord],
    findings: list[Finding] | None = None,
    first: dict[str, str] | None = None,
    warned: set[str] | None = None,
) -> Iterator[FicheRecord]:
    """The records, each theme spelled as it was first written; a different spelling is warned about (FK110),
    once per spelling (at its first sheet), so that warnings stay few on exports of any size.

    ``first`` maps theme keys to the spelling to keep, ``warned`` holds the spellings already
    warned about (both shared across inputs by the caller). A record's theme is replaced in place:
    records are the readers' own, fresh for each sheet.
    """
    first = {} if first is None else first
    warned = set() if warned is None else warned
    keys: dict[str, str] = {}
    """Each spelling met -> the spelling kept: the same question repeats on sheet after sheet."""
    for record in records:
        theme = record["theme"]
        if theme is not None:
            kept = keys.get(theme)
            if kept is None:
                kept = keys[theme] = first.setdefault(theme_key(theme), theme)
            if kept != theme:
                if findings is not None and theme not in warned:
                    warned.add(theme)
                    source = record["source"]
                    findings.append(
                        make_finding(
                            Code.INTERPRETED,
                            source["file"] if source is not None else "<fiche>",
                            f"thème « {theme} » écrit autrement que « {kept} » ({_difference(theme, kept)}) : "
                            "lu comme le même thème, écrit comme la première fois",
                            line=source["line"] if source is not None else None,
                            column=1 if source is not None else None,
                        )
                    )
                record["theme"] = kept
        yield record
