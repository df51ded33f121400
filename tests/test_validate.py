"""`fichekit validate`: the broken-sheet corpus, checks, configuration, output formats, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE_FILES, SAMPLES_DIR, SEED, needs_seed, runner

from fichekit.cli import app
from fichekit.config import ConfigError, ValidationRules, load_rules
from fichekit.findings import Code, Finding, Severity
from fichekit.headings import HEADING_BY_KEY, SECTION_KEYS
from fichekit.model import Fiche, Item, Source, Structure
from fichekit.report import Summary, findings_json, github_annotation
from fichekit.sources import Skipped
from fichekit.validate import (
    check_fiche,
    is_known_place,
    iter_inputs,
    iter_validate,
    validate_source,
)

BROKEN = Path(__file__).resolve().parent / "broken"
E, W = Severity.ERROR, Severity.WARNING


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No pyproject.toml above the current directory, and not inside GitHub Actions."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def _run(*args: str | Path, input: bytes | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["validate", *map(str, args)], input=input)


# -- the corpus of broken sheets: one defect per file ------------------------------------

# file -> (expected (code, severity, line) findings, exit code, a piece of the message)
CORPUS: dict[str, tuple[list[tuple[Code, Severity, int | None]], int, str]] = {
    "missing_heading.txt": ([(Code.MISSING_HEADING, E, 1)], 1, "rubrique « Partenaires » absente : ajoutez la ligne « Partenaires : » après « Publics touchés »"),
    "duplicate_heading.txt": ([(Code.DUPLICATE_HEADING, E, 13)], 1, "rubrique « Résultats » répétée (déjà ligne 11)"),
    "no_avec_line.txt": ([(Code.MISSING_STRUCTURE, E, 1)], 1, "aucune structure : ajoutez sous le thème la ligne « → Avec Nom de la structure (21) »"),
    "avec_without_structure.txt": ([(Code.MISSING_STRUCTURE, E, 3)], 1, "aucune structure nommée sur cette ligne"),
    "departement_99.txt": ([(Code.BAD_DEPARTEMENT, E, 3)], 1, "« (99) » après « Association Les Pousses du Quartier »"),
    "departement_xyz.txt": ([(Code.BAD_DEPARTEMENT, E, 3)], 1, "« (XYZ) » après « Association Les Pousses du Quartier »"),
    "departement_20.txt": ([(Code.BAD_DEPARTEMENT, E, 3)], 1, "(01 à 95, 2A, 2B, 971 à 974, 976)"),
    "near_miss_heading.txt": ([(Code.NEAR_MISS_HEADING, W, 17)], 0, "titre « Obstacle et frein » mal orthographié : vouliez-vous dire « Obstacles et freins » ?"),
    "heading_order.txt": ([(Code.HEADING_ORDER, W, 20)], 0, "rubrique « Partenaires » hors de l'ordre habituel : placez-la après « Publics touchés »"),
    "no_theme.txt": ([(Code.MISSING_THEME, W, 1)], 0, "fiche sans thème : ajoutez la question d'atelier, terminée par « ? », au-dessus de la ligne « → Avec … »"),
    "empty_section.txt": ([(Code.EMPTY_SECTION, W, 6)], 0, "rubrique « Chiffres clés » vide"),
    "empty.txt": ([(Code.UNREADABLE, E, None)], 1, "fichier vide"),
    "blank_lines_only.txt": ([(Code.UNREADABLE, E, None)], 1, "fichier vide"),
    "binary.txt": ([(Code.UNREADABLE, E, None)], 1, "fichier binaire"),
    "no_sheet.txt": ([(Code.UNREADABLE, E, None)], 1, "aucune fiche reconnue"),
    # fichekit's Markdown, as a user would write it by hand (no metadata comment).
    "missing_heading.md": ([(Code.MISSING_HEADING, E, 3)], 1, "rubrique « Partenaires » absente : ajoutez le titre « ### Partenaires » après « Publics touchés »"),
    "near_miss_heading.md": ([(Code.NEAR_MISS_HEADING, W, 38)], 0, "titre « Obstacle et frein » mal orthographié : vouliez-vous dire « Obstacles et freins » ?"),
    "departement_99.md": ([(Code.BAD_DEPARTEMENT, E, 3)], 1, "« (99) » après « Association Les Pousses du Quartier »"),
    "no_theme.md": ([(Code.MISSING_THEME, W, 1)], 0, "fiche sans thème : ajoutez la question d'atelier en titre « # … ? » au-dessus du titre « ## … » des structures"),
}


def test_every_corpus_file_has_an_expectation() -> None:
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(CORPUS)


@pytest.mark.parametrize(
    ("name", "expected", "exit_code", "message"),
    [
        pytest.param(name, *case, id=name.replace(".txt", ""))
        for name, case in CORPUS.items()
    ],
)
def test_broken_sheet(name: str, expected: list[tuple[Code, Severity, int | None]], exit_code: int, message: str) -> None:
    path = BROKEN / name
    result = validate_source(str(path))
    assert [(f.code, f.severity, f.line) for f in result.findings] == expected
    assert message in result.findings[0].message
    assert all(f.file == str(path) for f in result.findings)

    cli = _run(path)
    assert cli.exit_code == exit_code, cli.output
    line = expected[0][2]
    where = f"{path}:{line}:1" if line is not None else str(path)
    assert cli.stdout.splitlines()[0] == f"{where}: {expected[0][0]} {result.findings[0].message}"
    assert "Traceback" not in cli.output


def test_near_miss_message_keeps_the_written_heading() -> None:
    # The parser reads the misspelt heading as the one it means; the content stays in that section.
    result = validate_source(str(BROKEN / "near_miss_heading.txt"))
    assert result.fiches == 1
    assert result.findings[0].column == 1


# -- the samples and the real export pass --------------------------------------------------


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in SAMPLE_FILES])
def test_each_sample_validates(path: Path) -> None:
    result = _run(path)
    assert result.exit_code == 0, result.stdout
    findings = validate_source(str(path)).findings
    assert findings and all(f.severity is W for f in findings)  # empty sections, misspelt headings


def test_bretagne_warnings_are_exactly_its_page_numbers_two_misspelt_headings_and_two_empty_sections() -> None:
    findings = validate_source(str(SAMPLES_DIR / "bretagne_pdf.txt")).findings
    assert findings[0].message == (
        "5 lignes de mise en page laissées de côté (numéros de page, en-têtes et pieds de page répétés, "
        "table des matières, en-têtes de courriel), la première : « 1 »"
    )
    assert [(f.code, f.line) for f in findings] == [
        (Code.LAYOUT_REMOVED, 41),
        (Code.NEAR_MISS_HEADING, 178),
        (Code.EMPTY_SECTION, 193),
        (Code.EMPTY_SECTION, 205),
        (Code.NEAR_MISS_HEADING, 304),
    ]
    assert findings[1].message.endswith("vouliez-vous dire « Obstacles et freins » ?")
    assert findings[4].message.endswith("vouliez-vous dire « Ressources mobilisées » ?")


@needs_seed
def test_real_export_validates_with_warnings_for_its_empty_sections() -> None:
    result = _run(SEED)
    assert result.exit_code == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines == [
        f"{SEED}:97:1: FK101 rubrique « Apports du groupe » vide : complétez-la si possible",
        f"{SEED}:512:1: FK101 rubrique « Apports du groupe » vide : complétez-la si possible",
        "1 fichier, 8 fiches, 0 erreur, 2 avertissements",
    ]
    assert _run("--strict", SEED).exit_code == 1


# -- checks on records ----------------------------------------------------------------------


def _fiche(
    order: list[str] | None = None,
    *,
    rubriques: dict[str, list[int]] | None = None,
    theme: str | None = "Comment partager un jardin ?",
    structures: list[Structure] | None = None,
    empty: tuple[str, ...] = (),
) -> Fiche:
    """A record whose headings appear in ``order`` at lines 10, 11, 12…"""
    order = list(SECTION_KEYS) if order is None else order
    rubriques = rubriques if rubriques is not None else {key: [10 + i] for i, key in enumerate(order)}
    content = {key: [Item(texte="Texte inventé")] for key in rubriques if key not in empty}
    return Fiche(
        theme=theme,
        structures=structures if structures is not None else [Structure(nom="Les Pousses", departements=["44"])],
        source=Source(file="fiche.txt", line=1, structures_line=3, rubriques=rubriques),
        **content,
    )


def _moved(key: str, to: int) -> list[str]:
    order = [k for k in SECTION_KEYS if k != key]
    order.insert(to, key)
    return order


def test_a_complete_record_has_no_finding() -> None:
    assert check_fiche(_fiche()) == []


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        pytest.param(_moved("contexte", 5), [("contexte", "placez-la après « Partenaires »")], id="adjacent-swap"),
        pytest.param(_moved("apports_du_groupe", 0), [("apports_du_groupe", "placez-la après « Ressources mobilisées »")], id="last-moved-first"),
        pytest.param(_moved("localisation", 12), [("localisation", "placez-la avant « Chiffres clés »")], id="first-moved-last"),
        pytest.param(list(reversed(SECTION_KEYS[:3])) + list(SECTION_KEYS[3:]), [
            ("chiffres_cles", "placez-la avant « Publics touchés »"),
            ("localisation", "placez-la avant « Publics touchés »"),
        ], id="three-reversed"),
    ],
)
def test_heading_order_reports_only_the_headings_to_move(order: list[str], expected: list[tuple[str, str]]) -> None:
    findings = check_fiche(_fiche(order))
    assert all(f.code is Code.HEADING_ORDER and f.severity is W for f in findings)
    assert [(f.line, f.message) for f in findings] == [
        (10 + order.index(key), f"rubrique « {HEADING_BY_KEY[key].title} » hors de l'ordre habituel : {where}")
        for key, where in expected
    ]


def test_each_repetition_of_a_heading_names_the_first() -> None:
    rubriques = {key: [10 + i] for i, key in enumerate(SECTION_KEYS)}
    rubriques["partenaires"] = [13, 40, 52]
    findings = check_fiche(_fiche(rubriques=rubriques))
    assert [(f.code, f.line) for f in findings] == [(Code.DUPLICATE_HEADING, 40), (Code.DUPLICATE_HEADING, 52)]
    assert all("« Partenaires » répétée (déjà ligne 13)" in f.message for f in findings)


def test_missing_headings_say_where_to_add_them() -> None:
    findings = check_fiche(_fiche(["resultats"]), ValidationRules(required=("localisation", "resultats", "apports_du_groupe")))
    assert [(f.code, f.line, f.message) for f in findings] == [
        (Code.MISSING_HEADING, 1, "rubrique « Localisation » absente : ajoutez la ligne « Localisation : » avant « Résultats »"),
        (Code.MISSING_HEADING, 1, "rubrique « Apports du groupe » absente : ajoutez la ligne « Apports du groupe : » après « Résultats »"),
    ]
    alone = check_fiche(_fiche([]), ValidationRules(required=("partenaires",)))
    assert alone[0].message.endswith("« Partenaires : » sous la ligne « → Avec … »")


def test_every_bad_code_of_every_structure_is_reported_on_the_structures_line() -> None:
    structures = [Structure(nom="Alpha", departements=["21", "99"]), Structure(nom="Beta", departements=["ZZ", "BFC"])]
    findings = check_fiche(_fiche(structures=structures))
    assert [(f.code, f.line) for f in findings] == [(Code.BAD_DEPARTEMENT, 3)] * 2
    assert findings[0].message.startswith("« (99) » après « Alpha »")
    assert findings[1].message.startswith("« (ZZ) » après « Beta »")
    assert "ou un sigle de région (ARA, BFC, BRE, COR, CVL, GE, HDF, IDF, NAQ, NOR, OCC, PACA, PDL, GF, GP, MQ, RE, YT)" in findings[1].message
    typo = check_fiche(_fiche(structures=[Structure(nom="Gamma", departements=["2l"])]))
    assert typo[0].message == "« (2l) » après « Gamma » n'est ni un département ni une région : vouliez-vous dire « 21 » ?"


@pytest.mark.parametrize(
    "code",
    ["1", "01", "8", "08", "19", "21", "95", "2A", "2B", "2a", "971", "976"]
    + ["ARA", "BFC", "BRE", "CVL", "COR", "GE", "GES", "HDF", "IDF", "NOR", "NA", "NAQ", "OCC", "PDL", "PACA", "PAC"],
)
def test_known_places(code: str) -> None:
    assert is_known_place(code)


@pytest.mark.parametrize("code", ["0", "00", "20", "96", "99", "001", "970", "975", "977", "2C", "XYZ", "bfc", "٣"])
def test_unknown_places(code: str) -> None:
    assert not is_known_place(code)


def test_record_without_source_is_checked_on_its_content() -> None:
    fiche = Fiche(theme=None, structures=[], localisation=[Item(texte="Ville inventée")])
    findings = check_fiche(fiche, ValidationRules(required=("localisation", "partenaires")))
    assert [(f.code, f.file, f.line) for f in findings] == [
        (Code.MISSING_HEADING, "<fiche>", None),
        (Code.MISSING_STRUCTURE, "<fiche>", None),
        (Code.MISSING_THEME, "<fiche>", None),
    ]


def test_severities_from_rules() -> None:
    fiche = _fiche(["localisation"], theme=None)
    rules = ValidationRules(required=("localisation", "partenaires"), severities={Code.MISSING_HEADING: W, Code.MISSING_THEME: None})
    assert [(f.code, f.severity) for f in check_fiche(fiche, rules)] == [(Code.MISSING_HEADING, W)]


# -- configuration ----------------------------------------------------------------------------


def _pyproject(folder: Path, table: str) -> Path:
    path = folder / "pyproject.toml"
    path.write_text(f'[project]\nname = "fiches"\n\n[tool.fichekit]\n{table}\n', encoding="utf-8")
    return path


def test_config_from_the_nearest_pyproject_walking_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pyproject(tmp_path, 'required = ["localisation"]\nwarnings = ["fk004"]\nignore = ["FK104"]\nstrict = true')
    below = tmp_path / "fiches" / "2024"
    below.mkdir(parents=True)
    monkeypatch.chdir(below)
    rules = load_rules()
    assert rules == ValidationRules(
        required=("localisation",), severities={Code.MISSING_STRUCTURE: W, Code.MISSING_THEME: None}, strict=True
    )
    # Partenaires is no longer required; FK104 is ignored; FK004 is a warning, which fails with strict.
    assert _run(BROKEN / "missing_heading.txt").exit_code == 0
    assert _run(BROKEN / "no_theme.txt").stdout == "1 fichier, 1 fiche, 0 erreur, 0 avertissement\n"
    no_avec = _run(BROKEN / "no_avec_line.txt")
    assert no_avec.exit_code == 1
    assert ": FK004 " in no_avec.stdout and "0 erreur, 1 avertissement" in no_avec.stdout
    assert _run("--no-strict", BROKEN / "no_avec_line.txt").exit_code == 0


def test_pyproject_without_fichekit_table_means_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load_rules() == ValidationRules()


def test_command_line_overrides_the_config(tmp_path: Path) -> None:
    _pyproject(tmp_path, 'warnings = ["FK002"]\nerrors = ["FK101"]')
    assert _run(BROKEN / "missing_heading.txt").exit_code == 0
    assert _run("--error", "FK002", BROKEN / "missing_heading.txt").exit_code == 1
    assert _run(BROKEN / "empty_section.txt").exit_code == 1
    assert _run("--ignore", "FK101", BROKEN / "empty_section.txt").exit_code == 0
    assert _run("--require", "localisation", BROKEN / "missing_heading.txt").exit_code == 0


def test_explicit_config_file(tmp_path: Path) -> None:
    other = tmp_path / "conf" / "fichekit.toml"
    other.parent.mkdir()
    other.write_text('[tool.fichekit]\nwarnings = ["FK005"]\n', encoding="utf-8")
    _pyproject(tmp_path, 'errors = ["FK104"]')  # not read: --config wins
    assert _run("--config", other, BROKEN / "departement_99.txt").exit_code == 0
    assert _run("--config", other, BROKEN / "no_theme.txt").exit_code == 0


@pytest.mark.parametrize(
    ("table", "message"),
    [
        pytest.param('require = ["localisation"]', "[tool.fichekit] clé inconnue « require » (clés possibles : required, errors, warnings, ignore, strict, rubriques)", id="unknown-key"),
        pytest.param('required = ["lieu"]', "[tool.fichekit] required : rubrique inconnue « lieu »", id="unknown-heading"),
        pytest.param('required = "localisation"', "[tool.fichekit] required doit être une liste de rubriques", id="required-not-a-list"),
        pytest.param('ignore = ["FK999"]', "[tool.fichekit] ignore : code inconnu « FK999 » (codes possibles : FK001, FK002", id="unknown-code"),
        pytest.param('ignore = "FK101"', "[tool.fichekit] ignore doit être une liste", id="codes-not-a-list"),
        pytest.param("ignore = [101]", "[tool.fichekit] ignore : « 101 » n'est pas un code entre guillemets", id="code-not-a-string"),
        pytest.param('warnings = ["FK001"]', "[tool.fichekit] warnings : FK001 (fichier illisible ou sans fiche) reste toujours une erreur", id="fk001-downgraded"),
        pytest.param('ignore = ["FK001"]', "[tool.fichekit] ignore : FK001 (fichier illisible ou sans fiche) reste toujours une erreur", id="fk001-ignored"),
        pytest.param('errors = ["FK101"]\nwarnings = ["FK101"]', "FK101 figure à la fois dans [tool.fichekit] errors et [tool.fichekit] warnings", id="code-in-two-lists"),
        pytest.param('strict = "oui"', "[tool.fichekit] strict doit valoir true ou false", id="strict-not-a-bool"),
    ],
)
def test_invalid_config_is_a_usage_error(tmp_path: Path, table: str, message: str) -> None:
    path = _pyproject(tmp_path, table)
    with pytest.raises(ConfigError) as caught:
        load_rules()
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)
    result = _run(SAMPLE_FILES[0])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"erreur : {path}: {message}" in result.stderr


def test_fk001_may_be_listed_as_an_error() -> None:
    rules = ValidationRules().override(errors=["FK001"])
    assert rules.severity(Code.UNREADABLE) is E


def test_invalid_toml_points_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.fichekit]\nstrict = \n', encoding="utf-8")
    result = _run(SAMPLE_FILES[0])
    assert result.exit_code == 2
    assert f"erreur : {tmp_path / 'pyproject.toml'}:4: TOML invalide : corrigez la syntaxe du fichier\n" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--require", "lieu"], "--require : rubrique inconnue « lieu »", id="require"),
        pytest.param(["--ignore", "FK1"], "--ignore : code inconnu « FK1 »", id="ignore"),
        pytest.param(["--warning", "FK001"], "--warning : FK001 (fichier illisible ou sans fiche) reste toujours une erreur", id="fk001"),
        pytest.param(["--error", "FK101", "--ignore", "fk101"], "FK101 figure à la fois dans --error et --ignore", id="conflict"),
        pytest.param(["--format", "xml"], "format inconnu « xml » : choisissez parmi text, json, github", id="format"),
        pytest.param(["--config", "absent.toml"], "absent.toml: fichier de configuration introuvable", id="config-missing"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], message: str) -> None:
    result = _run(*args, SAMPLE_FILES[0])
    assert result.exit_code == 2
    assert f"erreur : {message}" in result.stderr
    assert result.stdout == ""


def test_config_file_without_fichekit_table_is_refused(tmp_path: Path) -> None:
    conf = tmp_path / "autre.toml"
    conf.write_text("[tool.autre]\nx = 1\n", encoding="utf-8")
    result = _run("--config", conf, SAMPLE_FILES[0])
    assert result.exit_code == 2
    assert f"{conf}: aucune table [tool.fichekit] dans ce fichier" in result.stderr


# -- inputs: several files, directories, stdin ---------------------------------------------------


def test_mixed_good_and_bad_files_are_all_reported(tmp_path: Path) -> None:
    good = SAMPLES_DIR / "normandie_ateliers.txt"
    bad = [BROKEN / "missing_heading.txt", tmp_path / "absent.txt", BROKEN / "departement_xyz.txt"]
    result = _run(bad[0], good, bad[1], bad[2])
    assert result.exit_code == 1
    codes = [line.split(": ", 2)[1].split()[0] for line in result.stdout.splitlines()[:-1]]
    assert codes == ["FK002", "FK101", "FK001", "FK005"]
    assert result.stdout.splitlines()[-1] == "4 fichiers, 5 fiches, 3 erreurs, 1 avertissement"


def test_directories_are_walked_for_every_readable_format(tmp_path: Path) -> None:
    root = tmp_path / "fiches"
    (root / "2024" / "juin").mkdir(parents=True)
    (root / ".cache").mkdir()
    for name in ("b.txt", "2024/juin/a.TXT", ".cache/ignored.txt", ".hidden.txt", "notes.json", "2024/lisez-moi"):
        (root / name).write_text("", encoding="utf-8")
    (root / "c.md").write_text("### Localisation\n", encoding="utf-8")
    assert list(iter_inputs([str(root), "-", str(root / "2024" / "lisez-moi")])) == [
        str(root / "b.txt"),
        str(root / "c.md"),
        str(root / "notes.json"),
        Skipped(str(root / "2024" / "lisez-moi"), "format inconnu : ignoré"),  # reported, never silent
        str(root / "2024" / "juin" / "a.TXT"),
        "-",
        str(root / "2024" / "lisez-moi"),  # named explicitly: read whatever its suffix
    ]


def test_every_file_of_a_directory_is_validated(tmp_path: Path) -> None:
    root = tmp_path / "fiches"
    (root / "2024").mkdir(parents=True)
    shutil.copy(BROKEN / "no_theme.txt", root / "b.txt")
    shutil.copy(BROKEN / "missing_heading.txt", root / "2024" / "a.txt")
    results = list(iter_validate([str(root)]))
    assert [(r.name, r.fiches, [f.code for f in r.findings]) for r in results] == [
        (str(root / "b.txt"), 1, [Code.MISSING_THEME]),
        (str(root / "2024" / "a.txt"), 1, [Code.MISSING_HEADING]),
    ]
    result = _run(root)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "2 fichiers, 2 fiches, 1 erreur, 1 avertissement"


def test_a_directory_with_nothing_to_check_fails(tmp_path: Path) -> None:
    (tmp_path / "vide").mkdir()
    result = _run(tmp_path / "vide")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{tmp_path / 'vide'}: FK001 aucun fichier de fiches dans ce dossier "
        "(.txt, .md, .json, .jsonl, .docx, .pdf, .eml, .html) : rien à lire"
    )


def test_stdin() -> None:
    result = _run("-", input=(BROKEN / "departement_99.txt").read_bytes())
    assert result.exit_code == 1
    assert result.stdout.startswith("<stdin>:3:1: FK005 « (99) »")
    empty = _run("-", input=b"")
    assert empty.exit_code == 1
    assert ": FK001 fichier vide\n" in empty.stdout


def test_utf16_without_bom_is_not_broken(tmp_path: Path) -> None:
    sheet = tmp_path / "export.txt"
    sheet.write_bytes((BROKEN / "no_theme.txt").read_text(encoding="utf-8").encode("utf-16-le"))
    findings = validate_source(str(sheet)).findings
    assert [f.code for f in findings] == [Code.MISSING_THEME]


def test_forced_wrong_encoding_is_fk001(tmp_path: Path) -> None:
    cp1252 = SAMPLES_DIR / "grand_est_cp1252.txt"
    result = _run("--encoding", "utf-8", cp1252)
    assert result.exit_code == 1
    assert f"{cp1252}: FK001 contenu illisible dans l'encodage utf-8" in result.stdout


# -- output formats -------------------------------------------------------------------------------


def test_json_format_is_an_array_of_findings() -> None:
    result = _run("--format", "json", BROKEN / "duplicate_heading.txt", BROKEN / "empty_section.txt")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data == [
        {
            "code": "FK003",
            "severity": "error",
            "file": str(BROKEN / "duplicate_heading.txt"),
            "line": 13,
            "column": 1,
            "message": "rubrique « Résultats » répétée (déjà ligne 11) : regroupez son contenu sous le premier titre et supprimez celui-ci",
        },
        {
            "code": "FK101",
            "severity": "warning",
            "file": str(BROKEN / "empty_section.txt"),
            "line": 6,
            "column": 1,
            "message": "rubrique « Chiffres clés » vide : complétez-la si possible",
        },
    ]
    assert "«" in result.stdout  # UTF-8, not \u-escaped
    assert result.stderr == "2 fichiers, 2 fiches, 1 erreur, 1 avertissement\n"


def test_json_format_without_finding_is_an_empty_array() -> None:
    # occitanie spells one theme twice (a no-break space before « ? »): FK110 says so.
    result = _run("-f", "json", SAMPLES_DIR / "occitanie_restitution.txt", "--ignore", "FK101", "--ignore", "FK110")
    assert result.exit_code == 0
    assert result.stdout == "[]\n"


def test_findings_json_keys_are_stable() -> None:
    finding = Finding(code=Code.UNREADABLE, severity=E, file="a.txt", message="fichier vide")
    assert list(json.loads(findings_json([finding]))[0]) == ["code", "severity", "file", "line", "column", "message"]


def test_github_format() -> None:
    result = _run("--format", "github", BROKEN / "missing_heading.txt", BROKEN / "no_theme.txt", BROKEN / "empty.txt")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"::error file={BROKEN / 'missing_heading.txt'},line=1,col=1,title=FK002::rubrique « Partenaires » absente : "
        "ajoutez la ligne « Partenaires : » après « Publics touchés »",
        f"::warning file={BROKEN / 'no_theme.txt'},line=1,col=1,title=FK104::fiche sans thème : ajoutez la question "
        "d'atelier, terminée par « ? », au-dessus de la ligne « → Avec … »",
        f"::error file={BROKEN / 'empty.txt'},title=FK001::fichier vide",
        "3 fichiers, 2 fiches, 2 erreurs, 1 avertissement",
    ]


def test_github_format_is_chosen_inside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert _run(BROKEN / "no_theme.txt").stdout.startswith("::warning file=")
    assert _run("--format", "text", BROKEN / "no_theme.txt").stdout.startswith(f"{BROKEN / 'no_theme.txt'}:1:1: FK104 ")


def test_github_escaping() -> None:
    finding = Finding(code=Code.UNREADABLE, severity=E, file="a,b:c%.txt", line=2, column=3, message="50 % ok\r\nfin: a,b")
    assert github_annotation(finding) == "::error file=a%2Cb%3Ac%25.txt,line=2,col=3,title=FK001::50 %25 ok%0D%0Afin: a,b"


@pytest.mark.parametrize(
    ("summary", "text"),
    [
        pytest.param(Summary(), "0 fichier, 0 fiche, 0 erreur, 0 avertissement", id="zero"),
        pytest.param(Summary(1, 1, 1, 1), "1 fichier, 1 fiche, 1 erreur, 1 avertissement", id="one"),
        pytest.param(Summary(2, 8, 2, 12), "2 fichiers, 8 fiches, 2 erreurs, 12 avertissements", id="many"),
    ],
)
def test_summary_french_plurals(summary: Summary, text: str) -> None:
    assert str(summary) == text


def test_help_is_french_and_has_an_example() -> None:
    result = runner.invoke(app, ["validate", "--help"])
    assert result.exit_code == 0
    assert "Vérifie des fiches avant publication" in result.stdout
    assert "Exemple : fichekit validate fiches/ --strict" in result.stdout


def test_pre_commit_hook_definition() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: fichekit-validate\n" in text
    assert "  entry: fichekit validate\n" in text
    assert "  language: python\n" in text
    assert "  files: \\.(txt|md|docx|pdf)$\n" in text


# The test extras install pre-commit beside the interpreter running the tests (the venv's bin/).
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")


def _git(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *map(str, args)], cwd=cwd, capture_output=True, text=True, check=False)


@pytest.mark.skipif(PRE_COMMIT is None, reason="pre-commit n'est pas installé : lancer ce test avec pre-commit dans le PATH")
def test_pre_commit_hook_runs_for_real(tmp_path: Path) -> None:
    """pre-commit installs fichekit from this repository's HEAD (the committed code) and runs the hook."""
    assert PRE_COMMIT is not None
    head = _git("rev-parse", "HEAD", cwd=ROOT)
    if head.returncode != 0 or _git("cat-file", "-e", "HEAD:.pre-commit-hooks.yaml", cwd=ROOT).returncode != 0:
        pytest.skip("le dépôt fichekit n'est pas un dépôt git avec .pre-commit-hooks.yaml à HEAD")
    repo = tmp_path / "depot"
    (repo / "fiches").mkdir(parents=True)
    _git("init", "-q", cwd=repo)
    shutil.copy(SAMPLES_DIR / "normandie_ateliers.txt", repo / "fiches" / "normandie.txt")
    shutil.copy(BROKEN / "departement_99.txt", repo / "fiches" / "atelier.txt")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head.stdout.strip()}\n    hooks:\n      - id: fichekit-validate\n",
        encoding="utf-8",
    )
    _git("add", ".", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}  # leave the user's cache alone

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [PRE_COMMIT, "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True, timeout=900, check=False
        )

    failed = run()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "fichekit validate...." in failed.stdout and "Failed" in failed.stdout
    assert "fiches/atelier.txt:3:1: FK005 « (99) »" in failed.stdout
    assert "2 fichiers, 4 fiches, 1 erreur, 1 avertissement" in failed.stdout

    atelier = repo / "fiches" / "atelier.txt"
    atelier.write_text(atelier.read_text(encoding="utf-8").replace("(99)", "(44)"), encoding="utf-8")
    _git("add", ".", cwd=repo)
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_directory_walk_skips_markdown_notes_but_not_sheets(tmp_path: Path) -> None:
    from fichekit.validate import iter_inputs

    (tmp_path / "README.md").write_text("# Nos fiches\n\n## Comment contribuer\n\nÉcrivez une fiche par atelier.\n", encoding="utf-8")
    (tmp_path / "fiche.md").write_text("# Question ?\n\n## Lieu (21)\n\n### Localisation\n\nDijon\n", encoding="utf-8")
    (tmp_path / "export.txt").write_text("Notes sans fiche\n", encoding="utf-8")
    found = list(iter_inputs([str(tmp_path)]))
    assert sorted(Path(p).name for p in found if isinstance(p, str)) == ["export.txt", "fiche.md"]
    assert [s.reason for s in found if isinstance(s, Skipped)] == ["Markdown sans fiche (notes, README) : ignoré"]
    # Named explicitly, a Markdown file is always checked.
    assert list(iter_inputs([str(tmp_path / "README.md")])) == [str(tmp_path / "README.md")]


def test_samples_directory_validates() -> None:
    result = runner.invoke(app, ["validate", str(SAMPLES_DIR)])
    assert result.exit_code == 0, result.stdout
    assert "4 fichiers, 11 fiches, 0 erreur" in result.stderr + result.stdout


def test_directory_walk_skips_a_readme_showing_a_sheet_in_a_code_block(tmp_path: Path) -> None:
    from fichekit.validate import iter_inputs

    example = "```markdown\n# Question ?\n\n## Lieu (21)\n\n### Localisation\n\nDijon\n```\n"
    (tmp_path / "README.md").write_text(f"# Nos fiches\n\nUne fiche ressemble à ceci :\n\n{example}", encoding="utf-8")
    (tmp_path / "fiche.md").write_text("# Question ?\n\n## Lieu (21)\n\n**Localisation :** Dijon\n", encoding="utf-8")
    found = list(iter_inputs([str(tmp_path)]))
    assert sorted(Path(p).name for p in found if isinstance(p, str)) == ["fiche.md"]
