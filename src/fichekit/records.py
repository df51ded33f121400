"""A sheet as plain data: one JSON record, without pydantic.

The grammar builds each sheet as a plain ``dict`` whose shape is exactly
``Fiche.model_dump()``: the same keys in the same order (``theme``,
``theme_number``, ``structures``, ``projet``, the 13 rubriques,
``hors_rubrique``, ``source``), items as ``{"texte", "type"}``, structures as
``{"nom", "departements"}``. The streaming writers (JSON, JSON Lines, CSV)
write records as they are; a :class:`~fichekit.model.Fiche` is built, and
validated, only where a caller asks for objects (:func:`fiche_from_record`).
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
    "fiche_from_record",
    "record_from_fiche",
    "structures_label",
]


class ItemType(StrEnum):
    """Comment l'élément est écrit dans la fiche : paragraphe, puce ou numéro."""

    PARAGRAPHE = "paragraphe"
    PUCE = "puce"
    NUMERO = "numero"


FicheRecord: TypeAlias = dict[str, Any]
"""One sheet as plain data, shaped as ``Fiche.model_dump()`` (see the module doc)."""


def structure_label(structure: dict[str, Any]) -> str:
    """``Secours catholique (71 et 58)``; the name alone without codes (as :meth:`Structure.label`)."""
    codes = structure["departements"]
    return f"{structure['nom']} ({' et '.join(codes)})" if codes else structure["nom"]


def structures_label(record: FicheRecord) -> str:
    """Structures as one cell value: ``Civam Le Serpolet (39); Active (BFC)`` (as :meth:`Fiche.structures_label`)."""
    return "; ".join([structure_label(s) for s in record["structures"]])


def departements(record: FicheRecord) -> list[str]:
    """All codes of the sheet, in order, without repeats (as :meth:`Fiche.departements`)."""
    structures = record["structures"]
    if len(structures) == 1:
        return list(dict.fromkeys(structures[0]["departements"]))
    seen: dict[str, None] = {}
    for structure in structures:
        for code in structure["departements"]:
            seen.setdefault(code, None)
    return list(seen)


def fiche_from_record(record: FicheRecord) -> Fiche:
    """The validated :class:`~fichekit.model.Fiche` of a record."""
    from .model import Fiche

    return Fiche.model_validate(record)


def record_from_fiche(fiche: Fiche) -> FicheRecord:
    """A :class:`~fichekit.model.Fiche` as plain data (its ``model_dump()``)."""
    return fiche.model_dump()


def as_records(items: Iterable[Fiche | FicheRecord]) -> Iterator[FicheRecord]:
    """Records, whether ``items`` holds records already or ``Fiche`` objects (a library caller's)."""
    for item in items:
        yield item if isinstance(item, dict) else item.model_dump()


def as_fiches(items: Iterable[Fiche | FicheRecord]) -> Iterator[Fiche]:
    """``Fiche`` objects, whether ``items`` holds them already or records (the readers')."""
    validate: Any = None
    for item in items:
        if isinstance(item, dict):
            if validate is None:
                from .model import Fiche

                validate = Fiche.model_validate
            yield validate(item)
        else:
            yield item
