"""French départements, regions and communes, offline, for checking and mapping sheets.

Sheets name places loosely: ``(8)`` for the Ardennes, ``(bfc)``, ``Localisation :
DIJON``. This module answers from ``data/places.json``, built by
``scripts/build_places.py`` from INSEE's code officiel géographique (Etalab's npm
package) and GeoNames coordinates (see ``data/SOURCES.md``). Names are kept exactly as
the official data writes them; lookups compare :func:`normalise_name` keys, which
ignore case, accents, hyphens, apostrophes and "St"/"Saint".

The file is read once, on first use (start-up stays fast); communes are indexed
separately, only when :func:`find_commune` is first called.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from .fr import LIGATURES, strip_accents

__all__ = [
    "Commune",
    "Departement",
    "Region",
    "data_sources",
    "departement",
    "departements",
    "find_commune",
    "is_known_place",
    "normalise_name",
    "place_code_from_name",
    "region",
    "regions",
    "suggest_code",
]


@dataclass(frozen=True, slots=True)
class Region:
    """A region as INSEE lists it, with the abbreviations sheets use for it."""

    code: str
    """INSEE region code, e.g. ``"27"``."""
    nom: str
    """Official name, e.g. ``"Bourgogne-Franche-Comté"``."""
    sigles: tuple[str, ...]
    """Usual abbreviations, the preferred one first, e.g. ``("NAQ", "NA")``."""


@dataclass(frozen=True, slots=True)
class Departement:
    """A département with its region and the coordinates of its chef-lieu."""

    code: str
    """Canonical code: ``"01"`` to ``"95"``, ``"2A"``, ``"2B"``, ``"971"`` to ``"976"``."""
    nom: str
    """Official name, e.g. ``"Côte-d'Or"``."""
    region: Region
    chef_lieu: str
    """Name of the chef-lieu commune, e.g. ``"Dijon"``."""
    longitude: float
    """Of the chef-lieu, WGS 84 degrees."""
    latitude: float


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune that GeoNames could place; small ones may be missing (see SOURCES.md)."""

    nom: str
    code_insee: str
    departement: str
    """Canonical code of its département."""
    longitude: float
    """WGS 84 degrees, 4 decimals (about 10 m)."""
    latitude: float


_SAINTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_ARTICLES = frozenset({"la", "le", "les", "l"})
_LINK_WORDS = _ARTICLES | {"de", "du", "des", "d", "et", "en", "sur", "sous", "aux", "a"}
_PREFIX_WORDS = frozenset({"region", "departement", "dept", "dpt", "dep"})
"""Words written before a name ("Région Grand Est", "Département du Nord")."""
_GENERIC_WORDS = frozenset(
    {"atlantique", "atlantiques", "bas", "haut", "cotes", "est", "grand", "ile", "maritimes", "pays", "saint"}
    | {"sud", "territoire"}
)
"""Words that occur in one official name only, yet alone do not name it: "Sud" is
not Corse-du-Sud, "Grand" not Grand Est. (Words in several names are ambiguous anyway.)"""
_CONFUSABLE_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "i": "1", "|": "1"})
"""Letters typed for digits in codes: "O8", "2l"."""
_CODE_THEN_NAME = re.compile(r"^(\S{1,6}?)\s*(?:[-–—:/,]\s*|\s+)(\D.*)$")
_NAME_THEN_CODE = re.compile(r"^(.*\D)(?:\s*[-–—:/,(]\s*|\s+)(\S{1,6}?)\)?$")
_CODE_PREFIX = re.compile(r"^(?:d[ée]p(?:artement|t)?|dpt|n[°º]|no)(?:\.\s*|\s+|(?=\d))", re.IGNORECASE)
"""A word before a code ("dép. 21", "n°8"), not the start of a sigle ("NOR")."""


def normalise_name(text: str) -> str:
    """The key names are compared by: casefolded, unaccented, words joined by one space.

    "Côte-d'Or", "cote d or" and "COTE D'OR" all give ``"cote d or"``; "St"/"Ste"
    become "saint"/"sainte", so "St Malo" meets "Saint-Malo".
    """
    bare = strip_accents(unicodedata.normalize("NFKC", text).casefold().translate(LIGATURES))
    return " ".join(_SAINTS.get(word, word) for word in re.findall(r"[a-z0-9]+", bare))


def _without_article(key: str) -> str:
    """ "la reunion" -> "reunion": sheets drop or add the article at will."""
    words = key.split()
    if len(words) > 1 and words[0] in _ARTICLES:
        return " ".join(words[1:])
    return key


def _without_prefix(key: str) -> str:
    """ "departement du nord" -> "nord", "region grand est" -> "grand est"."""
    words = key.split()
    if len(words) > 1 and words[0] in _PREFIX_WORDS:
        words = words[1:]
        while len(words) > 1 and words[0] in _LINK_WORDS:
            words = words[1:]
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class _Table:
    """Everything but the communes, indexed once."""

    regions: tuple[Region, ...]
    departements: tuple[Departement, ...]
    departement_by_code: dict[str, Departement]
    region_by_key: dict[str, Region]
    """Upper-case sigles, ISO 3166-2 codes and INSEE codes."""
    sigles: frozenset[str]
    codes_by_name: dict[str, frozenset[str]]
    """Normalised official (and former region) names -> place codes."""
    official_names: tuple[tuple[frozenset[str], str], ...]
    """Words of each official name, with its place code, for one-word lookups."""
    sources: tuple[dict[str, str], ...]


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(files("fichekit").joinpath("data", "places.json").read_text(encoding="utf-8"))
    return data


@cache
def _table() -> _Table:
    data = _data()
    region_by_code: dict[str, Region] = {}
    region_by_key: dict[str, Region] = {}
    for entry in data["regions"]:
        found = Region(code=entry["code"], nom=entry["nom"], sigles=tuple(entry["sigles"]))
        region_by_code[found.code] = found
        for key in (*found.sigles, entry["iso"], found.code):
            region_by_key[key.upper()] = found
    departements = tuple(
        Departement(
            code=entry["code"],
            nom=entry["nom"],
            region=region_by_code[entry["region"]],
            chef_lieu=entry["chef_lieu"],
            longitude=entry["longitude"],
            latitude=entry["latitude"],
        )
        for entry in data["departements"]
    )

    codes_by_name: dict[str, set[str]] = defaultdict(set)
    official_names: list[tuple[frozenset[str], str]] = []

    def add(name: str, code: str, *, official: bool) -> None:
        key = normalise_name(name)
        codes_by_name[key].add(code)
        codes_by_name[_without_article(key)].add(code)
        if official:
            official_names.append((frozenset(key.split()), code))

    for each in departements:
        add(each.nom, each.code, official=True)
    departement_keys = {normalise_name(each.nom) for each in departements}
    for entry in data["regions"]:
        named = region_by_code[entry["code"]]
        # An overseas region and its only département share a name and a
        # territory: the name gives the département, the more precise code.
        if normalise_name(named.nom) not in departement_keys:
            add(named.nom, named.sigles[0], official=True)
        for former in entry["anciens_noms"]:
            add(former, named.sigles[0], official=False)

    return _Table(
        regions=tuple(region_by_code.values()),
        departements=departements,
        departement_by_code={each.code: each for each in departements},
        region_by_key=region_by_key,
        sigles=frozenset(sigle for each in region_by_code.values() for sigle in each.sigles),
        codes_by_name={key: frozenset(codes) for key, codes in codes_by_name.items()},
        official_names=tuple(official_names),
        sources=tuple(data["sources"]),
    )


@cache
def _communes_by_name() -> dict[str, tuple[Commune, ...]]:
    grouped: dict[str, list[Commune]] = defaultdict(list)
    for departement_code, rows in _data()["communes"].items():
        for code, nom, longitude, latitude in rows:
            grouped[normalise_name(nom)].append(Commune(nom, code, departement_code, longitude, latitude))
    return {key: tuple(found) for key, found in grouped.items()}


def departements() -> tuple[Departement, ...]:
    """All 101 départements, in the COG's order (codes sorted as text: 2A and 2B follow 29)."""
    return _table().departements


def regions() -> tuple[Region, ...]:
    """All 18 regions, in INSEE code order."""
    return _table().regions


def data_sources() -> list[dict[str, str]]:
    """Where the data comes from: name, version, date, licence, description of each source."""
    return [dict(source) for source in _table().sources]


def departement(code: str) -> Departement | None:
    """The département a code means, written as sheets do: "8", "08", "2a", " 21 "."""
    cleaned = code.strip().upper()
    if cleaned.isascii() and cleaned.isdigit() and len(cleaned) < 2:
        cleaned = cleaned.zfill(2)
    return _table().departement_by_code.get(cleaned)


def region(sigle: str) -> Region | None:
    """The region an abbreviation ("BFC", "naq"), ISO code ("FR-NAQ") or INSEE code ("27") means."""
    return _table().region_by_key.get(sigle.strip().upper())


def is_known_place(code: str) -> bool:
    """Whether a code in parentheses after a structure names a place.

    A département code in any of the forms :func:`departement` reads, or a
    region abbreviation written in capitals as sheets write them ("BFC", not
    "bfc": :func:`suggest_code` offers the fix).
    """
    return departement(code) is not None or code.strip() in _table().sigles


def place_code_from_name(name: str) -> str | None:
    """The code of the département or region a name means, or None if unknown or ambiguous.

    "Côte-d'Or" -> "21", "ile de France" -> "IDF", "Département du Nord" -> "59",
    "Aquitaine" (a former region) -> "NAQ". A single distinctive word of one
    official name also counts ("Belfort" -> "90"); "Pyrénées" fits three and gives None.
    """
    table = _table()
    key = _without_article(_without_prefix(normalise_name(name)))
    codes = table.codes_by_name.get(key)
    if codes is None:
        words = [word for word in key.split() if word not in _LINK_WORDS]
        if len(words) != 1 or words[0] in _GENERIC_WORDS or len(words[0]) < 3:
            return None
        codes = frozenset(code for name_words, code in table.official_names if words[0] in name_words)
    return next(iter(codes)) if len(codes) == 1 else None


def _code_of(token: str) -> str | None:
    """The canonical code a short token stands for, forgiving spacing, case and look-alike letters."""
    compact = re.sub(r"[\s.\-_]", "", token)
    if not compact or len(compact) > 6:
        return None
    found = departement(compact)
    if found is None and any(char.isdigit() for char in compact):
        digits = compact.translate(_CONFUSABLE_DIGITS)
        found = departement(digits) or (departement(digits[1:]) if len(digits) == 3 and digits[0] == "0" else None)
    if found is not None:
        return found.code
    upper = compact.upper()
    if upper in _table().sigles:
        return upper
    if upper.startswith("FR"):
        iso = region(f"FR-{upper.removeprefix('FR')}")
        if iso is not None:
            suffix = upper.removeprefix("FR")
            return suffix if suffix in iso.sigles else iso.sigles[0]
    return None


def _transposed_sigle(token: str) -> str | None:
    """A sigle with two neighbouring letters swapped ("BCF" -> "BFC"), if only one fits."""
    letters = token.strip().upper()
    if not (letters.isascii() and letters.isalpha() and 3 <= len(letters) <= 4):
        return None
    sigles = _table().sigles
    fits = {
        swapped
        for i in range(len(letters) - 1)
        if (swapped := letters[:i] + letters[i + 1] + letters[i] + letters[i + 2 :]) in sigles
    }
    return fits.pop() if len(fits) == 1 else None


def _code_beside_name(code_part: str, name_part: str) -> str | None:
    """ "75 - Paris" -> "75": a code written with the name of that same place.

    The name must confirm the code (the place itself, one of its communes, or the
    département's region): "21 - Paris" contradicts itself and "27 communes" is a
    count, not the Eure.
    """
    code = _code_of(_CODE_PREFIX.sub("", code_part))
    if code is None:
        return None
    named = place_code_from_name(name_part)
    if named == code:
        return code
    here = departement(code)
    if here is not None and (here.region.sigles[0] == named or find_commune(name_part, here.code) is not None):
        return code
    return None


def suggest_code(text: str) -> str | None:
    """The code someone most likely meant by an unknown one, or None when nothing is plausible.

    "2l" -> "21", "O8" -> "08", "75 - Paris" -> "75", "21-Côte d'Or" -> "21",
    "B F C" or "bfc" -> "BFC", "Haute-Saône" -> "70", "BCF" -> "BFC", "Dijon" -> "21"
    (a commune's département); "XYZ", "99" and "20" (2A or 2B?) -> None.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().strip("()[]").strip()
    if not cleaned:
        return None
    direct = _code_of(_CODE_PREFIX.sub("", cleaned))
    if direct is not None:
        return direct
    for pattern, code_group, name_group in ((_CODE_THEN_NAME, 1, 2), (_NAME_THEN_CODE, 2, 1)):
        match = pattern.match(cleaned)
        if match is not None:
            beside = _code_beside_name(match[code_group], match[name_group])
            if beside is not None:
                return beside
    named = place_code_from_name(cleaned) or _transposed_sigle(cleaned)
    if named is not None:
        return named
    commune = find_commune(cleaned)  # "(Dijon)" written where "(21)" was meant
    return commune.departement if commune is not None else None


def find_commune(name: str, departement_code: str | None = None) -> Commune | None:
    """The commune a name means, within a département if given, else only if unique in France.

    "DIJON", "21" -> Dijon; "St Malo" -> Saint-Malo. None when unknown, not placed
    by the data, or shared by several communes of the scope searched.
    """
    found = _communes_by_name().get(normalise_name(name), ())
    if departement_code is not None:
        scope = departement(departement_code)
        if scope is None:
            return None
        found = tuple(commune for commune in found if commune.departement == scope.code)
    return found[0] if len(found) == 1 else None
