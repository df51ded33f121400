"""Excel workbook (.xlsx) for coordinators: read, filter, count, map.

Three worksheets, written in one pass over the sheets with xlsxwriter in
``constant_memory`` mode: each row goes to disk as soon as the next one
starts, and all that stays in memory is the height of each Fiches row (about
0.2 kB a sheet, kept by xlsxwriter until the end):

**Fiches**, one row per sheet. Columns, so that a row reads left to right
like the sheet itself: N°, Thème, Structures, Départements (``21
Côte-d'Or``), Région, Projet (who and where first, the columns one filters
on), then the 13 rubrics under their canonical titles, then Hors rubrique
(text under no heading: nothing is lost), then Fichier and Ligne (where the
sheet comes from, needed only to go back to the source). A rubric is one
cell: one item per line, ``• `` before bullets, ``1. ``, ``2. ``… before
numbered items (numbering restarts with every list, as in Markdown and Word),
paragraphs as written; a wrapped source line inside an item is shown as a
space. The header row and the first three columns stay in place when
scrolling.

**Structures**, one row per (sheet, structure, département): the flat table
a pivot table or a map wants. A structure without a code still gets a row.
Its cells keep to one line (no wrapping), like the grid below.

**Complétude**, one row per sheet (N°, Structures as in the CSV:
``A (21); B (BFC)``) and one column per rubric: « ✓ » on green
when the rubric holds text, « — » on red when it is empty or absent, the
number of rubrics filled per sheet, and a total row counting the sheets that
fill each rubric. Totals are computed numbers, not formulas: they show in
every viewer (file previews, phones, pandas) without a recalculation, and
the workbook then holds no formula at all.

Every text cell is written as a string (never guessed as a number, a date or
a formula): ``08`` stays ``08`` and ``=1+1`` is shown as typed, with no guard
character. Only N°, Ligne and the completeness counts are numbers. Each
worksheet has filter buttons on its header row; a real Excel table is not
available in ``constant_memory`` mode (one click in Excel: « Mettre sous
forme de tableau »). Document properties: title, author « fichekit »,
language fr-FR (custom property ``Language``: xlsxwriter writes no
``dc:language``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO

from ..enrich import PlaceName, place_name
from ..errors import OutputError
from ..findings import location_label
from ..fr import counted
from ..headings import HEADINGS
from ..records import FicheRecord, ItemType, as_records, departements, structure_label, structures_label
from . import Format, WriterOptions

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

    from ..model import Fiche, Item

__all__ = ["COMPLETENESS_COLUMNS", "FICHES_COLUMNS", "STRUCTURES_COLUMNS", "XlsxWriter", "WRITERS", "cell_text", "filled"]

# Excel's limits: a cell holds at most 32,767 characters, a worksheet 1,048,576 rows.
MAX_CELL_CHARACTERS = 32_767
MAX_ROWS = 1_048_576

# Row heights, in points: one line of the default 11-point font, and Excel's maximum.
LINE_HEIGHT = 15.0
MAX_ROW_HEIGHT = 409.0

FILLED_MARK = "✓"
EMPTY_MARK = "—"


@dataclass(frozen=True, slots=True)
class Column:
    """One worksheet column: header text and width (in characters)."""

    header: str
    width: float


_RUBRIC_WIDTHS = {"localisation": 28, "chiffres_cles": 32, "publics_touches": 32, "partenaires": 36}

FICHES_COLUMNS: tuple[Column, ...] = (
    Column("N°", 5),
    Column("Thème", 34),
    Column("Structures", 30),
    Column("Départements", 22),
    Column("Région", 22),
    Column("Projet", 16),
    *(Column(h.title, _RUBRIC_WIDTHS.get(h.key, 45)) for h in HEADINGS),
    Column("Hors rubrique", 36),
    Column("Fichier", 24),
    Column("Ligne", 7),
)
STRUCTURES_COLUMNS: tuple[Column, ...] = (
    Column("Structure", 34),
    Column("Code", 7),
    Column("Département", 22),
    Column("Région", 26),
    Column("Localisation", 40),
    Column("N°", 5),
    Column("Thème", 40),
)
COMPLETENESS_COLUMNS: tuple[Column, ...] = (
    Column("N°", 5),
    Column("Structures", 40),
    *(Column(h.title, 13) for h in HEADINGS),
    Column("Rubriques remplies", 11),
)
_FROZEN_COLUMNS = 3  # N°, Thème, Structures stay visible while reading the rubrics


def _items_lines(items: list[dict[str, Any]]) -> Iterator[str]:
    kind: str | None = None
    number = 0
    for item in items:
        text = item["texte"].replace("\n", " ")
        item_type = item["type"]
        if item_type == ItemType.PARAGRAPHE:
            kind = None
            yield text
            continue
        if item_type != kind:
            kind, number = item_type, 0
        number += 1
        yield f"• {text}" if item_type == ItemType.PUCE else f"{number}. {text}"


def _cell_text(items: list[dict[str, Any]]) -> str:
    return "\n".join(_items_lines(items))


def _filled(items: list[dict[str, Any]]) -> bool:
    return any(item["texte"].strip() for item in items)


def _as_dicts(items: list[Item]) -> list[dict[str, Any]]:
    return [{"texte": item.texte, "type": item.type} for item in items]


def cell_text(items: list[Item]) -> str:
    """A rubric as one cell: one item per line with its list marker, wrapped source lines joined by a space."""
    return _cell_text(_as_dicts(items))


def filled(items: list[Item]) -> bool:
    """Whether a rubric holds any text (an absent heading and an empty one are both unfilled)."""
    return _filled(_as_dicts(items))


def _one_line(items: list[dict[str, Any]]) -> str:
    return " ; ".join(item["texte"].replace("\n", " ") for item in items)


_SECTION_KEYS = tuple(heading.key for heading in HEADINGS)


def _wrapped_lines(text: str, per_line: int) -> int:
    """Lines ``text`` takes in a column holding ``per_line`` characters a line (an estimate: fonts are proportional)."""
    if len(text) < per_line and "\n" not in text:
        return 1
    return sum(len(line) // per_line + 1 for line in text.split("\n"))


def _distinct(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


class _Sheet:
    """A worksheet written row after row, with its header, widths and filter.

    A ``wrapped`` sheet shows every line of its cells (rows as tall as their
    text); the others keep one line per row, as tables for pivots and filters
    do — and need no per-row height, which xlsxwriter keeps in memory for
    every row until the end.
    """

    def __init__(
        self, worksheet: Worksheet, columns: tuple[Column, ...], formats: _Formats, frozen_columns: int, *, wrapped: bool
    ) -> None:
        self.worksheet = worksheet
        self.wrapped = wrapped
        self.text_format = formats.wrapped if wrapped else formats.plain
        self.number_format = formats.number
        self.columns = columns
        for index, column in enumerate(columns):
            worksheet.set_column(index, index, column.width)
        worksheet.freeze_panes(1, frozen_columns)
        self.per_line = [max(int(column.width) - 1, 1) for column in columns]
        header_lines = max(_wrapped_lines(column.header, n) for column, n in zip(columns, self.per_line, strict=True))
        worksheet.set_row(0, header_lines * LINE_HEIGHT)
        for index, column in enumerate(columns):
            worksheet.write_string(0, index, column.header, formats.header)
        worksheet.set_landscape()
        worksheet.set_paper(9)  # A4
        worksheet.repeat_rows(0)
        self.row = 0

    def next_row(self, what: str, cells: Iterable[tuple[int, str]] = ()) -> int:
        """Start the next row, tall enough for the wrapped ``(column, text)`` cells it will hold.

        Neither Excel nor LibreOffice reliably grows a row for wrapped text
        when opening a file, so the height is estimated here; it must be set
        before any cell of the row in ``constant_memory`` mode.
        """
        self.row += 1
        if self.row >= MAX_ROWS:
            raise OutputError(f"trop de lignes pour une feuille Excel « {self.worksheet.name} » ({what}) : utilisez --to csv")
        if self.wrapped:
            per_line = self.per_line
            lines = max((_wrapped_lines(text, per_line[column]) for column, text in cells), default=1)
            if lines > 1:
                self.worksheet.set_row(self.row, min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT))
        return self.row

    def write_row(self, where: str, texts: dict[int, str], numbers: dict[int, int | None]) -> int:
        """Write the next row: ``texts`` as strings (never a formula, number or date), ``numbers`` as numbers.

        Empty texts and None numbers leave their cell blank. Returns the row's index.
        """
        for column, value in texts.items():
            if len(value) > MAX_CELL_CHARACTERS:
                raise OutputError(
                    f"{where}, colonne « {self.columns[column].header} » : {len(value)} caractères, plus qu'une "
                    f"cellule Excel n'en contient ({MAX_CELL_CHARACTERS}) ; utilisez --to csv ou --to json"
                )
        row = self.next_row(where, texts.items())
        worksheet, text_format = self.worksheet, self.text_format
        for column, value in texts.items():
            if value:
                worksheet.write_string(row, column, value, text_format)
        for column, number in numbers.items():
            if number is not None:
                worksheet.write_number(row, column, number, self.number_format)
        return row

    def close(self, last_row: int | None = None) -> None:
        """Put filter buttons on the header, over the rows up to ``last_row`` (default: all)."""
        self.worksheet.autofilter(0, 0, max(self.row if last_row is None else last_row, 1), len(self.columns) - 1)


class XlsxWriter:
    """The workbook described in the module docstring, streamed sheet by sheet."""

    def __init__(self, options: WriterOptions) -> None:
        self.options = options

    def write(self, fiches: Iterable[Fiche | FicheRecord], out: BinaryIO) -> None:
        import xlsxwriter

        workbook = xlsxwriter.Workbook(
            out,
            {
                "constant_memory": True,
                # write_string is used for every text cell; these only guard against a slip.
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        workbook.set_properties({"title": self.options.title, "author": "fichekit", "comments": "Fiches d'expérience converties par fichekit"})
        workbook.set_custom_property("Language", "fr-FR")
        self.formats = _Formats(workbook)
        formats = self.formats
        self.fiches = _Sheet(workbook.add_worksheet("Fiches"), FICHES_COLUMNS, formats, _FROZEN_COLUMNS, wrapped=True)
        self.structures = _Sheet(workbook.add_worksheet("Structures"), STRUCTURES_COLUMNS, formats, 1, wrapped=False)
        self.completeness = _Sheet(workbook.add_worksheet("Complétude"), COMPLETENESS_COLUMNS, formats, 2, wrapped=False)
        self.totals = [0] * len(HEADINGS)
        try:
            for record in as_records(fiches):
                self._write_fiche(record)
            sheets = self.completeness.row
            self._write_totals()
            self.fiches.close()
            self.structures.close()
            # Sorting or filtering must leave the total row below the sheets it counts.
            self.completeness.close(last_row=sheets)
        finally:
            # Closing writes the archive and removes xlsxwriter's temporary row files, also after an error
            # (the caller then discards the output: it is written atomically).
            workbook.close()

    def _write_fiche(self, record: FicheRecord) -> None:
        where = _where(record)
        names = [place_name(code) for code in departements(record)]
        self._fiches_row(record, names, where)
        self._structures_rows(record, where)
        self._completeness_row(record, where)

    def _fiches_row(self, record: FicheRecord, names: list[PlaceName], where: str) -> None:
        source = record["source"]
        texts = [
            record["theme"] or "",
            "\n".join([structure_label(s) for s in record["structures"]]),
            "\n".join([name.label() for name in names]),
            "\n".join(_distinct(name.region for name in names)),
            record["projet"] or "",
            *[_cell_text(record[key]) for key in _SECTION_KEYS],
            _cell_text(record["hors_rubrique"]),
            source["file"] if source is not None else "",
        ]
        numbers = {0: record["theme_number"], len(texts) + 1: source["line"] if source is not None else None}
        self.fiches.write_row(where, dict(enumerate(texts, 1)), numbers)

    def _structures_rows(self, record: FicheRecord, where: str) -> None:
        localisation = _one_line(record["localisation"])
        theme = record["theme"] or ""
        for structure in record["structures"]:
            for code in structure["departements"] or [""]:
                name = place_name(code) if code else None
                texts = {
                    0: structure["nom"],
                    1: code,
                    2: (name.nom or "") if name is not None and not name.is_region else "",
                    3: (name.region or "") if name is not None else "",
                    4: localisation,
                    6: theme,
                }
                self.structures.write_row(where, texts, {5: record["theme_number"]})

    def _completeness_row(self, record: FicheRecord, where: str) -> None:
        f = self.formats
        row = self.completeness.write_row(where, {1: structures_label(record)}, {0: record["theme_number"]})
        count = 0
        worksheet = self.completeness.worksheet
        totals = self.totals
        for index, key in enumerate(_SECTION_KEYS):
            if _filled(record[key]):
                count += 1
                totals[index] += 1
                worksheet.write_string(row, 2 + index, FILLED_MARK, f.filled)
            else:
                worksheet.write_string(row, 2 + index, EMPTY_MARK, f.empty)
        worksheet.write_number(row, 2 + len(HEADINGS), count, f.count)

    def _write_totals(self) -> None:
        sheet, f = self.completeness, self.formats
        sheets = sheet.row
        row = sheet.next_row("ligne des totaux")
        sheet.worksheet.write_string(row, 1, f"Total ({counted(sheets, 'fiche')})", f.total)
        for index, total in enumerate(self.totals):
            sheet.worksheet.write_number(row, 2 + index, total, f.total_number)
        sheet.worksheet.write_number(row, 2 + len(HEADINGS), sum(self.totals), f.total_number)


class _Formats:
    """The workbook's cell formats, created once."""

    def __init__(self, workbook: Any) -> None:
        self.header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1})
        self.wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.plain = workbook.add_format({"valign": "top"})
        self.number = workbook.add_format({"valign": "top"})
        self.filled = workbook.add_format({"align": "center", "valign": "top", "bg_color": "#C6EFCE", "font_color": "#006100"})
        self.empty = workbook.add_format({"align": "center", "valign": "top", "bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.count = workbook.add_format({"align": "center", "valign": "top"})
        self.total = workbook.add_format({"bold": True, "top": 1})
        self.total_number = workbook.add_format({"bold": True, "top": 1, "align": "center"})


def _where(record: FicheRecord) -> str:
    source = record["source"]
    if source is None:
        return "fiche"
    return f"{source['file']}:{location_label(source['file'], source['line'])}"


WRITERS = {Format.XLSX: XlsxWriter}
