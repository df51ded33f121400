"""GeoJSON (RFC 7946): the structures as points on a map, for uMap or QGIS.

One ``FeatureCollection``; one ``Point`` feature per (sheet, structure,
département), in WGS 84 ``[longitude, latitude]`` as the RFC requires (no
``crs`` member). A point is placed:

- at the commune the « Localisation » rubric names, when one of its items,
  or a part of one, is exactly the name of a commune of that département
  (``DIJON`` → Dijon; ``Quartiers des Vignes, à Hohenwiller`` → Hohenwiller;
  ``Auxerrois (27 communes)`` names none). Parts are cut at commas,
  semicolons, slashes, parentheses, colons, spaced dashes and « et »; a
  leading « à », « autour de », « commune de »… is set aside. Only whole
  names count: a word inside a phrase never moves a point across the
  département;
- else at the chef-lieu of the département (``placement: "chef-lieu"``).

A structure given a region abbreviation (``BFC``) or an unknown code, or no
code at all, has no point: each is reported once as a finding (FK110), never
dropped silently. ``properties`` hold: theme, theme_number, structure,
departement (code), departement_nom, region, localisation (the rubric on one
line), projet, placement (« commune » or « chef-lieu »), commune (the name of
the place used), file, line.

Features are written one at a time, as the sheets arrive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from .. import places
from ..findings import Code, make_finding
from ..model import Fiche, Item
from ..records import FicheRecord, as_fiches
from . import Format, WriterOptions

__all__ = ["GeoJsonWriter", "WRITERS", "locate", "place_candidates"]

_PARTS = re.compile(r"\s*(?:[,;/()\[\]:]|\s[-–—]\s|\bet\b)\s*", re.IGNORECASE)
# Words that introduce a place name rather than belong to it.
_LEADING_WORDS = re.compile(
    r"^(?:(?:à|a|au|aux|en|sur|autour|près|pres|proche|de|du|des|d'|d’|commune|communes|ville|secteur|quartier)\s+|d['’])+",
    re.IGNORECASE,
)
_CHEF_LIEU = "chef-lieu"
_COMMUNE = "commune"


def place_candidates(items: list[Item]) -> Iterator[str]:
    """The names a « Localisation » rubric may give, most specific first within each item, in item order."""
    seen: set[str] = set()
    for item in items:
        text = " ".join(item.texte.split())
        for part in (text, *_PARTS.split(text)):
            for candidate in (part, _LEADING_WORDS.sub("", part)):
                candidate = candidate.strip(" .-–—'’\"«»")
                if candidate and candidate not in seen:
                    seen.add(candidate)
                    yield candidate


def locate(localisation: list[Item], departement: places.Departement) -> tuple[str, str, float, float]:
    """Where a structure of ``departement`` goes: ``(placement, place name, longitude, latitude)``."""
    for candidate in place_candidates(localisation):
        commune = places.find_commune(candidate, departement.code)
        if commune is not None:
            return _COMMUNE, commune.nom, commune.longitude, commune.latitude
    return _CHEF_LIEU, departement.chef_lieu, departement.longitude, departement.latitude


def _one_line(items: list[Item]) -> str:
    return " ; ".join(" ".join(item.texte.split()) for item in items)


class GeoJsonWriter:
    """A FeatureCollection written feature by feature: memory holds one sheet."""

    def __init__(self, options: WriterOptions) -> None:
        self.options = options

    def write(self, fiches: Iterable[Fiche | FicheRecord], out: BinaryIO) -> None:
        out.write(b'{"type": "FeatureCollection", "features": [')
        separator = b"\n"
        for fiche in as_fiches(fiches):
            for feature in self._features(fiche):
                out.write(separator)
                out.write(json.dumps(feature, ensure_ascii=False).encode("utf-8"))
                separator = b",\n"
        out.write(b"\n]}\n")

    def _features(self, fiche: Fiche) -> Iterator[dict[str, Any]]:
        localisation = _one_line(fiche.localisation)
        for structure in fiche.structures:
            if not structure.departements:
                self._skip(fiche, f"« {structure.nom} » n'a pas de département entre parenthèses : elle n'est pas placée sur la carte")
            for code in structure.departements:
                departement = places.departement(code)
                if departement is None:
                    if places.region(code) is not None:
                        why = f"« {structure.nom} » ({code}) : un sigle de région n'a pas de point sur la carte ; ajoutez le numéro du département pour la placer"
                    else:
                        why = f"« {structure.nom} » ({code}) : code de département inconnu, la structure n'est pas placée sur la carte"
                    self._skip(fiche, why)
                    continue
                placement, place, longitude, latitude = locate(fiche.localisation, departement)
                source = fiche.source
                yield {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                    "properties": {
                        "theme": fiche.theme,
                        "theme_number": fiche.theme_number,
                        "structure": structure.nom,
                        "departement": code,
                        "departement_nom": departement.nom,
                        "region": departement.region.nom,
                        "localisation": localisation,
                        "projet": fiche.projet,
                        "placement": placement,
                        "commune": place,
                        "file": source.file if source is not None else None,
                        "line": source.line if source is not None else None,
                    },
                }

    def _skip(self, fiche: Fiche, message: str) -> None:
        source = fiche.source
        file = source.file if source is not None else "-"
        line = None if source is None else (source.structures_line or source.line)
        self.options.findings.append(make_finding(Code.INTERPRETED, file, message, line))


WRITERS = {Format.GEOJSON: GeoJsonWriter}
