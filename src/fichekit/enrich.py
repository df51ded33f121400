"""Names of the codes a sheet gives in parentheses: ``21`` -> Côte-d'Or, Bourgogne-Franche-Comté.

The sheets write codes (``(21)``, ``(2A)``, ``(BFC)``); coordinators read
names. This module turns a code into the names the writers show (workbook
columns, map properties) and into the optional JSON enrichment
``departements_noms``, without touching the record itself: the names are
derived data, recomputed from the codes on every output, so the model and its
JSON Schema stay as they are and a record read back drops the enrichment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import places
from .records import FicheRecord
from .records import departements as record_departements

if TYPE_CHECKING:
    from .model import Fiche

__all__ = ["ENRICHED_KEY", "PlaceName", "departements_noms", "place_name"]

ENRICHED_KEY = "departements_noms"
"""Key the JSON writers add with ``--enrichir``; the readers ignore it (it is derived from the codes)."""


@dataclass(frozen=True, slots=True)
class PlaceName:
    """What a parenthesised code stands for; names are None for a code the place data does not know."""

    code: str
    """The code as written in the sheet."""
    nom: str | None
    """The département's name, or the region's for a region abbreviation (``BFC``)."""
    region: str | None
    """The region's name."""
    is_region: bool = False
    """The code is a region abbreviation, not a département."""

    def label(self) -> str:
        """``21 Côte-d'Or``, ``BFC Bourgogne-Franche-Comté``; the code alone when unknown."""
        return f"{self.code} {self.nom}" if self.nom else self.code


def place_name(code: str) -> PlaceName:
    """The names behind ``code`` (a département number or a region abbreviation)."""
    departement = places.departement(code)
    if departement is not None:
        return PlaceName(code, departement.nom, departement.region.nom)
    region = places.region(code)
    if region is not None:
        return PlaceName(code, region.nom, region.nom, is_region=True)
    return PlaceName(code, None, None)


def departements_noms(fiche: Fiche | FicheRecord) -> list[dict[str, Any]]:
    """The ``departements_noms`` enrichment: one ``{"code", "nom", "region"}`` per code of the sheet, in order."""
    codes = record_departements(fiche) if isinstance(fiche, dict) else fiche.departements()
    names = (place_name(code) for code in codes)
    return [{"code": name.code, "nom": name.nom, "region": name.region} for name in names]
