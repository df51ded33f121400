"""The « Avec » sub-grammar: ``A (39) et B (BFC) : projet X`` -> structures and projet."""

from __future__ import annotations

import re

from ..model import Structure

__all__ = ["parse_structures"]

_CODE = re.compile(r"(?:\d{1,3}|2[AaBb]|[A-Z]{2,5})")
_CODE_SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\+|\bet\b)\s*")
_SEPARATOR_WORDS = (",", ";", "&", "+", "/")


def _strip_separators(text: str) -> str:
    """Trim spaces and one joining word or sign (``,``, ``et``…) at each end, in linear time."""
    text = text.strip()
    if text.startswith(_SEPARATOR_WORDS):
        text = text[1:].lstrip()
    elif text[:3].lower() == "et " or text.lower() == "et":
        text = text[2:].lstrip()
    if text.endswith(_SEPARATOR_WORDS):
        text = text[:-1].rstrip()
    elif text[-3:].lower() == " et" or text.lower() == "et":
        text = text[:-2].rstrip()
    return text


def _split_top_level(text: str, sep: str) -> tuple[str, str | None]:
    """Split at the first ``sep`` outside parentheses."""
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == sep and depth == 0:
            return text[:index], text[index + 1 :]
    return text, None


def parse_structures(text: str) -> tuple[list[Structure], str | None]:
    """Read what follows "Avec": ``"A (39) et B (BFC) : projet X"`` -> structures, projet.

    A parenthesised group counts as départements only when every part of it
    looks like a code (``39``, ``2A``, ``974``, ``BFC``); otherwise it is part
    of the name. Names and codes are kept as written.
    """
    names_part, projet = _split_top_level(text, ":")
    structures: list[Structure] = []
    pending = ""
    position = 0
    for match in re.finditer(r"\(([^()]*)\)", names_part):
        codes = [c for c in _CODE_SEPARATORS.split(match.group(1).strip()) if c]
        if codes and all(_CODE.fullmatch(c) for c in codes):
            name = _strip_separators(pending + names_part[position : match.start()])
            if name:
                structures.append(Structure(nom=name, departements=codes))
            elif structures:
                structures[-1].departements.extend(codes)
            pending = ""
        else:
            pending += names_part[position : match.end()]
        position = match.end()
    tail = _strip_separators(pending + names_part[position:])
    if tail:
        structures.append(Structure(nom=tail, departements=[]))
    projet = projet.strip() if projet is not None else None
    return structures, projet or None
