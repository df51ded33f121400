"""The « Avec » sub-grammar: ``A (39) et B (BFC) : projet X`` -> structures and projet."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Structure

__all__ = ["parse_structures", "read_structures"]

_CODE = re.compile(r"(?:\d{1,3}|2[AaBb]|[A-Z]{2,5})")
_CODE_SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\+|\bet\b)\s*")
_SEPARATOR_WORDS = (",", ";", "&", "+", "/")
_GROUP = re.compile(r"\(([^()]*)\)")


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


def _place_codes(group: str, notes: list[str] | None) -> list[str] | None:
    """The codes a parenthesised group stands for, or None when it is part of the name.

    Codes (``39``, ``2A``, ``974``, ``BFC``, ``71 et 58``) are kept as written; a
    place written by name (``Côte-d'Or``, ``ile de France``) becomes its code,
    with a note; something that looks like a mistyped code (``2l``, ``75 - Paris``)
    is kept as written, as a code, so that validation reports it with a
    suggestion rather than letting it vanish into the structure name.
    """
    codes, note = _read_group(group)
    if note is not None and notes is not None:
        notes.append(note)
    return list(codes) if codes is not None else None


_PROJET_LABEL = re.compile(r"[ \t\u00a0]*[;,–—-][ \t\u00a0]*(projet)[ \t\u00a0]*$", re.IGNORECASE)
_CODE_AND_NAME = re.compile(
    r"(?P<code>\d{1,3}|2[AaBb])[ \t\u00a0]*[-–—:,][ \t\u00a0]*(?P<name>[^\d()]{3,40})"
    r"|(?P<name_before>[^\d()]{3,40}?)[ \t\u00a0]*[-–—:,][ \t\u00a0]*(?P<code_after>\d{1,3}|2[AaBb])"
)
"""A département's code and its name together in one group, either way round."""


@lru_cache(maxsize=4096)
def _read_group(group: str) -> tuple[tuple[str, ...] | None, str | None]:
    """:func:`_place_codes` without its notes, cached: structure names repeat from sheet to sheet."""
    codes = [c for c in _CODE_SEPARATORS.split(group.strip()) if c]
    if codes and all(_CODE.fullmatch(c) for c in codes):
        return tuple(codes), None
    if not group.strip() or len(group) > 60:
        return None, None
    from .. import places

    code = places.place_code_from_name(group)
    if code is not None:
        return (code,), f"« ({group.strip()}) » lu comme le code {code}"
    both = _CODE_AND_NAME.fullmatch(group.strip())
    if both is not None:
        # « (21 - Côte-d'Or) », « (Côte-d'Or, 21) »: the code and its name, when they agree.
        written = both.group("code") or both.group("code_after")
        name = both.group("name") or both.group("name_before")
        if places.place_code_from_name(name) == written.upper().lstrip("0").rjust(2, "0"):
            return (written,), f"« ({group.strip()}) » lu comme le code {written}"
    if places.suggest_code(group) is not None:
        return (group.strip(),), None
    return None, None


def parse_structures(text: str, notes: list[str] | None = None) -> tuple[list[Structure], str | None]:
    """Read what follows "Avec": ``"A (39) et B (BFC) : projet X"`` -> structures, projet.

    :func:`read_structures`, with :class:`~fichekit.model.Structure` objects.
    """
    from ..model import Structure

    structures, projet = read_structures(text, notes)
    return [Structure.model_validate(structure) for structure in structures], projet


def read_structures(text: str, notes: list[str] | None = None) -> tuple[list[dict[str, Any]], str | None]:
    """Read what follows "Avec": ``"A (39) et B (BFC) : projet X"`` -> structures (plain data), projet.

    A parenthesised group counts as départements when it holds codes, a place
    name or a mistyped code (see :func:`_place_codes`); otherwise it is part of
    the name. Names and codes are kept as written; interpretations are added to
    ``notes`` (French, for warnings). Each structure is ``{"nom", "departements"}``.
    """
    names_part, projet = _split_top_level(text, ":") if ":" in text else (text, None)
    if projet is not None and (label := _PROJET_LABEL.search(names_part)) is not None:
        # « Collectif Z (71) ; projet : « Paniers » »: the word before the colon names the projet.
        names_part, projet = names_part[: label.start()], f"{label.group(1)} : {projet.strip()}"
    structures: list[dict[str, Any]] = []
    pending = ""
    position = 0
    for match in _GROUP.finditer(names_part):
        codes = _place_codes(match.group(1), notes)
        if codes is not None:
            name = _strip_separators(pending + names_part[position : match.start()])
            if name:
                structures.append({"nom": name, "departements": codes})
            elif structures:
                structures[-1]["departements"].extend(codes)
            pending = ""
        else:
            pending += names_part[position : match.end()]
        position = match.end()
    tail = _strip_separators(pending + names_part[position:])
    if tail:
        structures.append({"nom": tail, "departements": []})
    projet = projet.strip() if projet is not None else None
    return structures, projet or None
