"""List markers: which line starts are bullets or numbers, and the text after them."""

from __future__ import annotations

import re

from ..records import ItemType

__all__ = ["BULLET", "LONE_MARKER", "MARKER_FIRST", "split_marker"]

# Bullet symbols. ASCII and letter markers need a space after them ("-5 %" and
# "on" are content); typographic bullets may be glued to the text ("•Choisir").
# "+" is not a bullet: exports use it as "and" ("+ prêt d'honneur)").
# "§", "Ø" and "ü" are what Outlook's plain-text conversion leaves of Word's Wingdings bullets
# (square, arrow, check mark), as "o" is its second-level bullet.
_SPACED_BULLETS = "-*>o–—§Øü"
_GLUED_BULLETS = "•▪◦·‣⁃■□●○►▸➢➤✓✔\uf0b7\uf0a7\uf076\uf0d8\uf0fc"
# An emoji bullet may carry a variation selector (U+FE0F: « ✔️ »), which belongs to the marker.
BULLET = re.compile(rf"(?:[{re.escape(_SPACED_BULLETS)}][ \t\u00a0]+|[{_GLUED_BULLETS}]\ufe0f?[ \t\u00a0]*)")
"""One bullet marker with the spaces after it."""
_BULLETS = re.compile(rf"(?:{BULLET.pattern})+")
_NUMBERED = re.compile(r"(\d{1,2})[.)][ \t\u00a0]+")
LONE_MARKER = re.compile(rf"[-–—{_GLUED_BULLETS}]\ufe0f?|\d{{1,2}}[.)]")
"""A list marker alone on its line (a dash, a bullet glyph, « 1. »): its text is on the line below."""
MARKER_FIRST = frozenset(_SPACED_BULLETS + _GLUED_BULLETS)
"""Characters a list marker can start with: lines starting otherwise skip the marker test."""


def split_marker(text: str) -> tuple[ItemType, str]:
    """Remove list markers from a trimmed line: ``("puce", "Créer un lien")``.

    Chained markers (``- > texte``) count as one bullet. "14.7 ETP" is not a
    numbered item: a number marker needs ``.`` or ``)`` then a space.
    """
    start = text[:1]
    if start not in MARKER_FIRST and not start.isdigit():
        return ItemType.PARAGRAPHE, text  # most lines: no marker can start here
    match = _BULLETS.match(text)
    if match:
        rest = text[match.end() :].strip()
        if not rest:
            # Nothing but markers ("- •"): the last one is the text.
            first = BULLET.match(text)
            assert first is not None  # _BULLETS matched, so one BULLET does
            rest = text[first.end() :].strip()
        if rest:
            return ItemType.PUCE, rest
        return ItemType.PARAGRAPHE, text
    match = _NUMBERED.match(text)
    if match and match.end() < len(text):
        return ItemType.NUMERO, text[match.end() :].strip()
    return ItemType.PARAGRAPHE, text
