"""CSV writer: golden files, read-back of every sheet, options, formula neutralisation, CLI."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SAMPLES_DIR, assert_golden, corpus, make_fiche, runner, samples, write_records
from hypothesis import given
from hypothesis import strategies as st

from fichekit.api import iter_load, load
from fichekit.cli import app
from fichekit.errors import OutputError
from fichekit.headings import SECTION_KEYS
from fichekit.model import Fiche, Item, ItemType, Source, Structure
from fichekit.writers import Format, WriterOptions, get_writer
from fichekit.writers.csv import COLUMNS, CsvWriter, inert

BOM = b"\xef\xbb\xbf"
HEADER = ",".join(COLUMNS).encode("ascii") + b"\r\n"
GRAND_EST = SAMPLES_DIR / "grand_est_cp1252.txt"
NORMANDIE = SAMPLES_DIR / "normandie_ateliers.txt"
FORMULAS = ['=HYPERLINK("http://x","clic")', "+33 6 12 34 56 78", "-5 % de gaspillage", "@SUM(A1)"]


def _relative(path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Path relative to the file's folder's parent, so the ``source`` column is stable."""
    monkeypatch.chdir(path.parent.parent)
    return f"{path.parent.name}/{path.name}"


def _read(data: bytes, delimiter: str = ",") -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))


def _lines(items: list[Item]) -> list[str]:
    return [line for item in items for line in item.texte.split("\n")]


@pytest.mark.parametrize("path", samples())
def test_golden_csv(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.BytesIO()
    CsvWriter(WriterOptions()).write(iter_load(_relative(path, monkeypatch)), out)
    assert_golden(f"{path.stem}.csv", out.getvalue().decode("utf-8"))


def test_golden_csv_excel(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.BytesIO()
    CsvWriter(WriterOptions(excel=True)).write(iter_load(_relative(GRAND_EST, monkeypatch)), out)
    assert_golden(f"{GRAND_EST.stem}.excel.csv", out.getvalue())


@pytest.mark.parametrize("path", corpus())
def test_every_line_of_every_sheet_reads_back_in_its_column(path: Path) -> None:
    fiches = load(path)
    data = write_records(Format.CSV, fiches)
    rows = _read(data)
    assert rows[0] == list(COLUMNS)
    assert len(rows) == len(fiches) + 1
    assert all(len(row) == len(COLUMNS) for row in rows)
    # Contents hold no CR: every CRLF is a row end, and every row ends with one.
    assert data.count(b"\r\n") == len(fiches) + 1 and data.endswith(b"\r\n")
    assert not data.startswith(BOM)
    for fiche, row in zip(fiches, rows[1:], strict=True):
        cells = dict(zip(COLUMNS, row, strict=True))
        assert fiche.source is not None
        assert cells["source"] == f"{fiche.source.file}:{fiche.source.line}"
        assert cells["theme"] == (fiche.theme or "")
        assert cells["theme_number"] == ("" if fiche.theme_number is None else str(fiche.theme_number))
        assert cells["structures"] == fiche.structures_label()
        assert cells["departements"].split(", ") == (fiche.departements() or [""])
        assert cells["projet"] == (fiche.projet or "")
        for key, items in fiche.sections():
            assert cells[key].split("\n") == (_lines(items) or [""]), key
        assert cells["hors_rubrique"].split("\n") == (_lines(fiche.hors_rubrique) or [""])


def test_accents_and_wrapped_lines_survive(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _read(write_records(Format.CSV, load(_relative(NORMANDIE, monkeypatch))))
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["source"] == "samples/normandie_ateliers.txt:3"
    assert first["structures"] == "Épicerie solidaire La Passerelle (14)"
    assert first["chiffres_cles"] == "3 salariés - 1 en contrat aidé\n28 bénévoles\n2,5 ETP\n640 foyers inscrits en 2023"
    # One item wrapped over two source lines keeps both lines; list markers are not re-added.
    assert "2020: premier\ncomité des adhérents\n2021: ouverture\n" in first["etapes"]
    assert first["contexte"].startswith("2016 : ouverture de l'épicerie")
    second = dict(zip(COLUMNS, rows[2], strict=True))
    assert second["structures"] == "Collectif Caddies Partagés (50 et 14)"
    assert second["departements"] == "50, 14"


def test_structures_and_departements_of_several_structures() -> None:
    fiche = make_fiche(
        structures=[Structure(nom="Civam Le Serpolet", departements=["39"]), Structure(nom="Active", departements=["BFC"])],
        projet="projet MIAM",
    )
    row = dict(zip(COLUMNS, _read(write_records(Format.CSV, [fiche]))[1], strict=True))
    assert row["structures"] == "Civam Le Serpolet (39); Active (BFC)"
    assert row["departements"] == "39, BFC"
    assert row["projet"] == "projet MIAM"


def test_quotes_separators_and_line_breaks_are_escaped_per_rfc_4180() -> None:
    fiche = make_fiche(
        theme=None,
        theme_number=None,
        structures=[],
        source=None,
        partenaires=[Item(texte='Ville : dispositif "Quartiers solidaires", volet 2', type=ItemType.PUCE)],
        resultats=[Item(texte="une phrase coupée\nsur deux lignes"), Item(texte="suite")],
        hors_rubrique=[Item(texte="préambule")],
    )
    data = write_records(Format.CSV, [fiche])
    cells = ["", "", "", "", "", ""] + [""] * len(SECTION_KEYS) + ["préambule"]
    cells[6 + SECTION_KEYS.index("partenaires")] = '"Ville : dispositif ""Quartiers solidaires"", volet 2"'
    cells[6 + SECTION_KEYS.index("resultats")] = '"une phrase coupée\nsur deux lignes\nsuite"'
    assert data == HEADER + ",".join(cells).encode("utf-8") + b"\r\n"


def test_no_sheet_gives_the_header_alone() -> None:
    assert write_records(Format.CSV, []) == HEADER


def test_rows_are_written_as_sheets_arrive() -> None:
    out = io.BytesIO()
    rows_seen_before_each_pull: list[int] = []

    def sheets() -> Iterator[Fiche]:
        for index in range(3):
            rows_seen_before_each_pull.append(out.getvalue().count(b"\r\n"))
            yield make_fiche(theme=f"thème {index}")
        rows_seen_before_each_pull.append(out.getvalue().count(b"\r\n"))

    CsvWriter(WriterOptions()).write(sheets(), out)
    # Header, then one more row each time the next sheet is asked for.
    assert rows_seen_before_each_pull == [1, 2, 3, 4]


def test_registry_gives_the_csv_writer() -> None:
    assert isinstance(get_writer(Format.CSV), CsvWriter)


def test_delimiter_and_bom_options() -> None:
    fiche = make_fiche(localisation=[Item(texte="Dijon; Quetigny")])
    semicolon = write_records(Format.CSV, [fiche], delimiter=";")
    assert semicolon.startswith(b"source;theme;theme_number;")
    assert b';"Dijon; Quetigny";' in semicolon
    assert _read(semicolon, ";")[1][COLUMNS.index("localisation")] == "Dijon; Quetigny"
    with_bom = write_records(Format.CSV, [fiche], bom=True)
    assert with_bom == BOM + write_records(Format.CSV, [fiche])


@pytest.mark.parametrize("delimiter", ['"', "\n", "\r", "ab", ""], ids=["quote", "lf", "cr", "two-chars", "empty"])
def test_unusable_delimiter_is_refused(delimiter: str) -> None:
    with pytest.raises(OutputError, match="séparateur de colonnes CSV impossible"):
        CsvWriter(WriterOptions(delimiter=delimiter))


def _formula_fiche() -> Fiche:
    return make_fiche(
        theme="=1+1",
        structures=[Structure(nom="@Collectif", departements=["21"])],
        chiffres_cles=[Item(texte=FORMULAS[2]), Item(texte="28 bénévoles")],
        partenaires=[Item(texte=FORMULAS[0])],
        contexte=[Item(texte="\tindenté")],
        resultats=[Item(texte=FORMULAS[3])],
        conseils=[Item(texte="\rretour")],
        ressources_mobilisees=[Item(texte=FORMULAS[1])],
        source=Source(file="-", line=2),
    )


@pytest.mark.parametrize("excel", [False, True], ids=["default", "excel"])
def test_formulas_are_neutralised_by_default_and_with_excel(excel: bool) -> None:
    data = write_records(Format.CSV, [_formula_fiche()], excel=excel)
    delimiter = ";" if excel else ","
    assert data.startswith((BOM if excel else b"") + f"source{delimiter}theme{delimiter}theme_number{delimiter}".encode())
    assert data.count(b"\r\n") == 2 and data.endswith(b"\r\n")
    row = dict(zip(COLUMNS, _read(data, delimiter)[1], strict=True))
    assert row["source"] == "'-:2"
    assert row["theme"] == "'=1+1"
    assert row["structures"] == "'@Collectif (21)"
    assert row["partenaires"] == "'" + FORMULAS[0]
    assert row["ressources_mobilisees"] == "'+33 6 12 34 56 78"
    assert row["resultats"] == "'@SUM(A1)"
    assert row["contexte"] == "'\tindenté"
    assert row["conseils"] == "'\rretour"
    # Only the start of a cell can trigger a formula: later lines stay as written.
    assert row["chiffres_cles"] == "'-5 % de gaspillage\n28 bénévoles"
    assert row["localisation"] == "" and row["theme_number"] == "4" and row["departements"] == "21"


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "+33 6 12 34 56 78",
        "-5 % de gaspillage",
        "- Créer un lien",
        "@SUM(A1)",
        "\tindenté",
        "\rretour",
        "  =1+1",
        "\u00a0=1+1",
        "\u202f+1",
        "\n=1+1",
        "＝1+1",
        "＋1",
        "－1",
        "＠SUM(A1)",
        " ＝1",
        "\u200b=1+1",
        "\u200c=1",
        "\u200d@A1",
        "\u2060-1",
        "\ufeff=1+1",
        "\u200bun texte",
        "\ufeffun texte",
        "\u200b \u00a0\ufeff=1",
    ],
    ids=repr,
)
def test_cells_that_a_spreadsheet_could_run_get_an_apostrophe(cell: str) -> None:
    assert inert(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell",
    ["", "Dijon", "2 salariés – 1,8 ETP", "5 % = la moitié", " 28 bénévoles", "« =1 »", "a=1", "'=déjà protégé", "€ -5"],
    ids=repr,
)
def test_ordinary_text_is_left_alone(cell: str) -> None:
    assert inert(cell) == cell


@pytest.mark.parametrize("excel", [False, True], ids=["default", "excel"])
def test_raw_csv_leaves_formulas_verbatim(excel: bool) -> None:
    data = write_records(Format.CSV, [_formula_fiche()], raw_csv=True, excel=excel)
    row = dict(zip(COLUMNS, _read(data, ";" if excel else ",")[1], strict=True))
    assert row["partenaires"] == FORMULAS[0]
    assert row["ressources_mobilisees"] == FORMULAS[1]
    assert row["chiffres_cles"] == FORMULAS[2] + "\n28 bénévoles"
    assert row["resultats"] == FORMULAS[3]
    assert row["contexte"] == "\tindenté"
    assert row["source"] == "-:2"


# Any text a decoded file can hold (no lone surrogates), biased towards what CSV must escape
# and towards what a spreadsheet could run.
_texts = st.text(
    alphabet=st.one_of(
        st.sampled_from('";,\r\n\t=+-@\'é€ \u00a0\u200b\ufeff＝'), st.characters(exclude_categories=("Cs",))
    )
)


@given(theme=_texts, texte=_texts, delimiter=st.sampled_from([",", ";", "\t", "|"]), excel=st.booleans(), raw=st.booleans())
def test_any_text_reads_back_unchanged(theme: str, texte: str, delimiter: str, excel: bool, raw: bool) -> None:
    fiche = make_fiche(theme=theme, conseils=[Item(texte=texte)])
    rows = _read(write_records(Format.CSV, [fiche], delimiter=delimiter, excel=excel, raw_csv=raw), delimiter)
    assert len(rows) == 2 and len(rows[1]) == len(COLUMNS)
    row = dict(zip(COLUMNS, rows[1], strict=True))
    for written, original in ((row["theme"], theme), (row["conseils"], texte)):
        if raw:
            assert written == original
        else:
            # At most one apostrophe is added, in front, and then only before something a spreadsheet could run.
            assert written in (original, "'" + original)
            assert (written != original) == (inert(original) != original)
            stripped = original.lstrip(" \u00a0\u202f\t\r\n\u200b\u200c\u200d\u2060\ufeff")
            if stripped[:1] in ("=", "+", "-", "@", "＝", "＋", "－", "＠") or original[:1] in ("\t", "\r", "\u200b", "\ufeff"):
                assert written == "'" + original


def test_excel_preset_keeps_an_explicit_other_delimiter() -> None:
    data = write_records(Format.CSV, [make_fiche()], excel=True, delimiter="\t")
    assert data.startswith(BOM + b"source\ttheme\t")


# --- CLI, in-process -------------------------------------------------------------------------



def test_cli_convert_to_csv_on_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["convert", _relative(NORMANDIE, monkeypatch), "--to", "csv"])
    assert result.exit_code == 0, result.stderr
    assert_golden(f"{NORMANDIE.stem}.csv", result.stdout_bytes.decode("utf-8"))


def test_cli_output_suffix_chooses_csv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "fiches.csv"
    result = runner.invoke(app, ["convert", _relative(NORMANDIE, monkeypatch), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == b""
    assert f"3 fiches → {target}" in result.stderr
    assert_golden(f"{NORMANDIE.stem}.csv", target.read_bytes().decode("utf-8"))


def test_cli_csv_brut_keeps_cells_raw(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source = tmp_path / "formules.txt"
    source.write_text(
        "→ Avec Collectif (21)\nLocalisation : Dijon\nChiffres clés :\n-5 % de gaspillage\n", encoding="utf-8"
    )
    safe = runner.invoke(app, ["convert", str(source), "--to", "csv"])
    raw = runner.invoke(app, ["convert", str(source), "--to", "csv", "--csv-brut"])
    assert safe.exit_code == raw.exit_code == 0, safe.stderr + raw.stderr
    column = COLUMNS.index("chiffres_cles")
    assert _read(safe.stdout_bytes)[1][column] == "'-5 % de gaspillage"
    assert _read(raw.stdout_bytes)[1][column] == "-5 % de gaspillage"


def test_cli_excel(monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["convert", _relative(GRAND_EST, monkeypatch), "--to", "csv", "--excel"])
    assert result.exit_code == 0, result.stderr
    assert_golden(f"{GRAND_EST.stem}.excel.csv", result.stdout_bytes)


def test_cli_delimiter(monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["convert", _relative(GRAND_EST, monkeypatch), "--to", "csv", "--delimiter", ";"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"source;theme;")
    rows = _read(result.stdout_bytes, ";")
    assert len(rows) == 3 and {len(row) for row in rows} == {len(COLUMNS)}
    assert rows[1][COLUMNS.index("source")] == "samples/grand_est_cp1252.txt:3"


def test_cli_bom(monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["convert", _relative(NORMANDIE, monkeypatch), "--to", "csv", "--bom"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(BOM + b"source,theme,")


def test_cli_two_character_delimiter_is_a_usage_error() -> None:
    result = runner.invoke(app, ["convert", str(NORMANDIE), "--to", "csv", "--delimiter", "ab"])
    assert result.exit_code == 2
    assert "--delimiter attend un seul caractère" in result.stderr
    assert result.stdout_bytes == b""


def test_cli_explicit_delimiter_wins_over_excel_and_quote_is_a_usage_error() -> None:
    from fichekit.cli import app

    result = runner.invoke(app, ["convert", str(NORMANDIE), "--to", "csv", "--excel", "--delimiter", ","])
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(BOM + b"source,theme,")
    result = runner.invoke(app, ["convert", str(NORMANDIE), "--to", "csv", "--delimiter", '"'])
    assert result.exit_code == 2
    assert "--delimiter attend un seul caractère" in result.stderr
