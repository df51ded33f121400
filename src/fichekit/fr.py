"""French text rules that several modules need alike: plural agreement and accent folding.

Kept in one place so that a count reads the same in a finding, a recueil and a
workbook, and so that places and headings fold accents by one rule. Only
comparisons fold: content is never changed with these.
"""

from __future__ import annotations

import unicodedata

__all__ = ["LIGATURES", "counted", "strip_accents"]

LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
"""``str.translate`` table spelling out the ligatures NFKD leaves whole (« cœur » → « coeur »)."""


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """``1 fichier``, ``0 fiche``, ``3 fichiers``: French puts 0 and 1 in the singular."""
    return f"{number} {singular if number < 2 else (plural or singular + 's')}"


def strip_accents(text: str) -> str:
    """``text`` decomposed (NFKD) without its combining marks: « Côte-d'Or » → « Cote-d'Or »."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
