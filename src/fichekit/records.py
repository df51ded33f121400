"""A sheet as plain data: one JSON record, without pydantic.

The grammar builds each sheet as a plain ``dict`` whose shape is exactly
``Fiche.model_dump()``: the same keys in the same order (``theme``,
``theme_number``, ``structures``, ``projet``, the 13 rubriques,
``hors_rubrique``, ``source``), items as ``{"texte", "type"}``, structures as
``{"nom", "departements"}``. The streaming writers (JSON, JSON Lines, CSV)
write records as they are; a :class:`~fichekit.model.Fiche` is built, and
validated, only where a caller asks for objects (:func:`as_fiches`).
The test suite proves that every record the grammar makes validates against
the model and dumps back to itself, so the model stays the schema.

This module imports no pydantic: a short run that only writes JSON never
loads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from .model import Fiche

__all__ = [
    "FicheRecord",
    "ItemType",
    "as_fiches",
    "as_records",
    "departements",
    "label",
    "structure_label",
    "structures_label",
    "unique_codes",
]


class ItemType(StrEnum):
    """Comment l'élément est écrit dans la fiche : paragraphe, puce ou numéro."""

    PARAGRAPHE = "paragraphe"
    PUCE = "puce"
    NUMERO = "numero"


FicheRecord: TypeAlias = dict[str, Any]
"""One sheet as plain data, shaped as ``Fiche.model_dump()`` (see the module doc)."""


def label(nom: str, codes: list[str]) -> str:
    """``Secours catholique (71 et 58)``; the name alone without codes. The one rule, for
    :meth:`Structure.label` and for records."""
    return f"{nom} ({' et '.join(codes)})" if codes else nom


def unique_codes(code_lists: Iterable[list[str]]) -> list[str]:
    """The codes of several structures, in order, without repeats (for :meth:`Fiche.departements` and records)."""
    return list(dict.fromkeys(code for codes in code_lists for code in codes))


def structure_label(structure: dict[str, Any]) -> str:
    """A record's structure as :func:`label` writes it."""
    return label(structure["nom"], structure["departements"])


def structures_label(record: FicheRecord) -> str:
    """Structures as one cell value: ``Civam Le Serpolet (39); Active (BFC)`` (as :meth:`Fiche.structures_label`)."""
    return "; ".join([structure_label(s) for s in record["structures"]])


def departements(record: FicheRecord) -> list[str]:
    """All codes of the sheet, in order, without repeats (as :meth:`Fiche.departements`)."""
    return unique_codes(structure["departements"] for structure in record["structures"])


def as_records(items: Iterable[Fiche | FicheRecord]) -> Iterator[FicheRecord]:
    """Records, whether ``items`` holds records already or ``Fiche`` objects (a library caller's)."""
    for item in items:
        yield item if isinstance(item, dict) else item.model_dump()


def as_fiches(items: Iterable[Fiche | FicheRecord]) -> Iterator[Fiche]:
    """``Fiche`` objects, whether ``items`` holds them already or records (the readers')."""
    from .model import Fiche  # a caller asking for objects has pydantic loaded anyway

    for item in items:
        yield Fiche.model_validate(item) if isinstance(item, dict) else item
