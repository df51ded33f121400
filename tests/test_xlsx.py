"""Excel workbook: read back with openpyxl cell by cell, golden dumps, text kept as text, CLI."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import SAMPLES_DIR, assert_golden, corpus, make_fiche, runner, samples
from openpyxl.utils.escape import unescape

from fichekit.api import iter_load, load
from fichekit.cli import app
from fichekit.errors import OutputError
from fichekit.headings import HEADINGS
from fichekit.model import Fiche, Item, ItemType, Structure
from fichekit.writers import Format, WriterOptions, format_for_path, get_writer
from fichekit.writers.xlsx import (
    COMPLETENESS_COLUMNS,
    EMPTY_MARK,
    FICHES_COLUMNS,
    FILLED_MARK,
    MAX_CELL_CHARACTERS,
    STRUCTURES_COLUMNS,
    XlsxWriter,
    cell_text,
    filled,
)

FICHES_HEADERS = [c.header for c in FICHES_COLUMNS]
GRAND_EST = SAMPLES_DIR / "grand_est_cp1252.txt"


def _workbook(fiches: list[Fiche], **options: object) -> bytes:
    out = io.BytesIO()
    XlsxWriter(WriterOptions(**options)).write(fiches, out)  # type: ignore[arg-type]
    return out.getvalue()


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _value(cell: Any) -> Any:
    # Excel escapes characters XML cannot hold (and a literal "_x0041_") as _xHHHH_; openpyxl leaves them so.
    return unescape(cell.value) if isinstance(cell.value, str) else cell.value


def _rows(sheet: Any) -> list[list[Any]]:
    return [[_value(cell) for cell in row] for row in sheet.iter_rows()]


def _records(sheet: Any) -> list[dict[str, Any]]:
    header, *rows = _rows(sheet)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _relative(path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(path.parent.parent)
    return f"{path.parent.name}/{path.name}"


def _dump(data: bytes) -> dict[str, Any]:
    """The workbook as data: every cell's value and type, fills of the completeness grid, panes, filters, properties."""
    book = _open(data)
    dump: dict[str, Any] = {
        "properties": {"title": book.properties.title, "creator": book.properties.creator},
        "custom": {prop.name: prop.value for prop in book.custom_doc_props.props},
    }
    for sheet in book.worksheets:
        dump[sheet.title] = {
            "freeze_panes": sheet.freeze_panes,
            "auto_filter": sheet.auto_filter.ref,
            "rows": [
                [None if cell.value is None else {"t": cell.data_type, "v": _value(cell)} for cell in row]
                for row in sheet.iter_rows()
            ],
        }
    grid = book["Complétude"]
    dump["Complétude"]["fills"] = [
        [cell.fill.fgColor.rgb if cell.fill.fill_type else None for cell in row[2 : 2 + len(HEADINGS)]]
        for row in grid.iter_rows(min_row=2)
    ]
    return dump


@pytest.mark.parametrize("path", samples())
def test_golden_xlsx(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.BytesIO()
    XlsxWriter(WriterOptions()).write(iter_load(_relative(path, monkeypatch)), out)
    assert_golden(f"{path.stem}.xlsx.json", _pretty(_dump(out.getvalue())) + "\n")


def _pretty(value: Any, indent: str = "") -> str:
    """JSON with one worksheet row per line, so that a golden diff shows which rows changed."""
    if isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values()):
        inner = indent + " "
        items = ",\n".join(f"{inner}{json.dumps(k, ensure_ascii=False)}: {_pretty(v, inner)}" for k, v in value.items())
        return "{\n" + items + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, list) for v in value):
        inner = indent + " "
        return "[\n" + ",\n".join(inner + _pretty(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


@pytest.mark.parametrize("path", corpus())
def test_every_line_of_every_sheet_is_in_its_cell(path: Path) -> None:
    fiches = load(path)
    book = _open(_workbook(fiches))
    records = _records(book["Fiches"])
    assert len(records) == len(fiches) and list(records[0]) == FICHES_HEADERS
    for fiche, record in zip(fiches, records, strict=True):
        for heading, (_, items) in zip(HEADINGS, fiche.sections(), strict=True):
            cell = record[heading.title] or ""
            assert cell == cell_text(items)
            cell_lines = cell.split("\n") if items else []
            for item, line in zip(items, cell_lines, strict=True):
                # The item's words, in order, its source lines joined by spaces, after a list marker at most.
                assert line.endswith(item.texte.replace("\n", " "))
        assert (record["Hors rubrique"] or "") == cell_text(fiche.hors_rubrique)
        assert record["Thème"] == fiche.theme and record["N°"] == fiche.theme_number
        assert record["Structures"] == "\n".join(s.label() for s in fiche.structures)
        assert record["Projet"] == fiche.projet
        assert fiche.source is not None and (record["Fichier"], record["Ligne"]) == (fiche.source.file, fiche.source.line)
    structures = _records(book["Structures"])
    expected = [(s.nom, code) for f in fiches for s in f.structures for code in (s.departements or [None])]
    assert [(r["Structure"], r["Code"]) for r in structures] == expected
    grid = _records(book["Complétude"])
    assert len(grid) == len(fiches) + 1
    for fiche, row in zip(fiches, grid, strict=False):
        marks = [row[h.title] for h in HEADINGS]
        assert marks == [FILLED_MARK if filled(items) else EMPTY_MARK for _, items in fiche.sections()]
        assert row["Rubriques remplies"] == marks.count(FILLED_MARK)
    totals = grid[-1]
    for index, heading in enumerate(HEADINGS):
        assert totals[heading.title] == sum(filled(list(f.sections())[index][1]) for f in fiches)


TRICKY = ["=1+1", '=HYPERLINK("http://x","clic")', "+33 6 12 34 56 78", "-5 % de gaspillage", "@SUM(A1)", "08", "2024-01-01", "1e5", "VRAI", "TRUE", "_x0041_", "a\x07b", "  espaces  ", "http://exemple.fr"]


def test_text_stays_text_never_a_number_a_date_or_a_formula() -> None:
    fiche = make_fiche(
        theme="=1+1",
        projet="08",
        structures=[Structure(nom="=Collectif", departements=["08"]), Structure(nom="@Réseau")],
        localisation=[Item(texte=t) for t in TRICKY],
        partenaires=[Item(texte=TRICKY[1])],
        hors_rubrique=[Item(texte="+1")],
    )
    data = _workbook([fiche])
    book = _open(data)
    record = _records(book["Fiches"])[0]
    assert record["Thème"] == "=1+1" and record["Projet"] == "08" and record["Partenaires"] == TRICKY[1]
    assert record["Localisation"] == "\n".join(TRICKY)
    assert record["Hors rubrique"] == "+1"
    assert record["Départements"] == "08 Ardennes" and record["Région"] == "Grand Est"
    structures = _records(book["Structures"])
    assert structures[0]["Code"] == "08" and structures[0]["Structure"] == "=Collectif"
    assert structures[1]["Code"] is None and structures[1]["Structure"] == "@Réseau"
    numeric = {"N°", "Ligne", "Rubriques remplies"}
    for sheet in book.worksheets:
        header = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for title, cell in zip(header, row, strict=True):
                if cell.value is None:
                    continue
                is_total_row = sheet.title == "Complétude" and row[1].value.startswith("Total")
                expected = "n" if title in numeric or (is_total_row and title != "Structures") else "s"
                assert cell.data_type == expected, (sheet.title, title, cell.value)
    # No formula anywhere, not even a cached one: the worksheets' XML holds no <f> element.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name


def test_list_markers_and_wrapped_lines() -> None:
    items = [
        Item(texte="Intro"),
        Item(texte="un", type=ItemType.NUMERO),
        Item(texte="deux\nsuite", type=ItemType.NUMERO),
        Item(texte="puce", type=ItemType.PUCE),
        Item(texte="trois", type=ItemType.NUMERO),
        Item(texte="Fin"),
        Item(texte="encore", type=ItemType.NUMERO),
    ]
    assert cell_text(items) == "Intro\n1. un\n2. deux suite\n• puce\n1. trois\nFin\n1. encore"
    assert not filled([]) and not filled([Item(texte=" ")]) and filled([Item(texte="x")])


def test_workbook_layout_and_properties() -> None:
    data = _workbook([make_fiche(), make_fiche(structures=[])], title="Atelier de mars")
    book = _open(data)
    assert book.sheetnames == ["Fiches", "Structures", "Complétude"]
    assert book.properties.title == "Atelier de mars" and book.properties.creator == "fichekit"
    assert {p.name: p.value for p in book.custom_doc_props.props} == {"Language": "fr-FR"}
    for sheet, columns in zip(book.worksheets, (FICHES_COLUMNS, STRUCTURES_COLUMNS, COMPLETENESS_COLUMNS), strict=True):
        assert [cell.value for cell in sheet[1]] == [c.header for c in columns]
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2")
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        assert all(cell.alignment.wrap_text for cell in sheet[1])
    assert book["Fiches"].freeze_panes == "D2"
    # Filtering or sorting the grid must leave its total row in place: the filter stops above it.
    grid = book["Complétude"]
    assert grid.auto_filter.ref.endswith("3") and grid["B4"].value == "Total (2 fiches)"
    assert book["Fiches"]["B2"].alignment.wrap_text
    assert book["Fiches"].column_dimensions["B"].width > 20


def test_cell_beyond_excel_limit_is_refused_and_no_file_is_left(tmp_path: Path) -> None:
    fiche = make_fiche(resultats=[Item(texte="x" * (MAX_CELL_CHARACTERS + 1))])
    with pytest.raises(OutputError, match=r"Résultats.*32767"):
        _workbook([fiche])
    source = tmp_path / "fiches.jsonl"
    source.write_text(fiche.model_dump_json() + "\n", encoding="utf-8")
    target = tmp_path / "fiches.xlsx"
    result = runner.invoke(app, ["convert", str(source), "-o", str(target)])
    assert result.exit_code == 1 and "Excel" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == [source]


def test_registry_suffix_and_binary() -> None:
    assert format_for_path("fiches.XLSX") is Format.XLSX and Format.XLSX.is_binary
    assert isinstance(get_writer(Format.XLSX), XlsxWriter)


def test_cli_writes_a_workbook_from_the_suffix(tmp_path: Path) -> None:
    target = tmp_path / "fiches.xlsx"
    result = runner.invoke(app, ["convert", str(GRAND_EST), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert f"2 fiches → {target}" in result.stderr
    assert len(_records(_open(target.read_bytes())["Fiches"])) == 2


def test_cli_workbook_needs_a_file() -> None:
    result = runner.invoke(app, ["convert", str(GRAND_EST), "--to", "xlsx"])
    assert result.exit_code == 2 and "-o recueil.xlsx" in result.stderr
    assert result.stdout_bytes == b""
