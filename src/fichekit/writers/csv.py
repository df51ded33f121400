"""CSV: one row per sheet, for spreadsheets and databases.

Columns, in this order: ``source`` (``file:line``), ``theme``, ``theme_number``,
``structures`` (``Civam Le Serpolet (39); Active (BFC)``), ``departements``
(every code of the sheet, joined by ``", "``: codes never hold a comma, while
structure names may, hence ``"; "`` between structures), ``projet``, the 13
section keys in the order of :data:`~fichekit.headings.SECTION_KEYS`, then
``hors_rubrique`` so that text under no heading is not lost.

A section is one cell: its items joined by a line feed (``\\n``), which Excel
and LibreOffice show as lines inside the cell. List markers are not added back
(the item type stays in JSON). An item that itself spans several source lines
keeps its own line feeds, so in CSV a line inside a cell is a source line,
not necessarily a whole item.

Default flavour: RFC 4180 — UTF-8 without BOM, ``,`` separator, fields quoted
only when needed, ``"`` doubled inside quotes, and CRLF at the end of every
row as the RFC prescribes (line breaks inside cells stay ``\\n``, so a row end
is never confused with a line inside a cell).

Safe by default (OWASP "CSV injection"): a spreadsheet opening the file must
never run a cell as a formula. A cell is neutralised by a leading ``'`` when
it starts with ``=``, ``+``, ``-``, ``@`` or their fullwidth forms
``＝＋－＠`` — also after leading spaces, no-break spaces or invisible
characters — or when it starts with a tab, a carriage return, a zero-width
character (U+200B–U+200D, U+2060) or a BOM (U+FEFF), which some programs
strip before looking. The apostrophe is the mark every spreadsheet user
knows for "text, not a formula"; it is the one character added, always at
the very start, so a program can remove it (``'-5 % de gaspillage`` was
``-5 % de gaspillage``). Excel and LibreOffice show it when they open a CSV:
for reading in a spreadsheet without any mark, the workbook (``--to xlsx``)
is the better output. ``raw_csv`` (``--csv-brut``) writes every cell exactly
as in the sheets, for programs that read CSV as data.

``excel`` preset (French spreadsheets opened by double click): ``;``
separator (unless a separator was chosen explicitly), UTF-8 BOM, CRLF;
formulas are neutralised as by default (unless ``raw_csv``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, BinaryIO

from ..errors import OutputError
from ..headings import SECTION_KEYS
from ..records import FicheRecord, as_records, departements, structures_label
from . import Format, WriterOptions

if TYPE_CHECKING:
    from ..model import Fiche

__all__ = ["COLUMNS", "CsvWriter", "WRITERS", "delimiter_allowed", "fiche_row", "inert"]

COLUMNS: tuple[str, ...] = (
    "source",
    "theme",
    "theme_number",
    "structures",
    "departements",
    "projet",
    *SECTION_KEYS,
    "hors_rubrique",
)
"""Header row: JSON keys of the record, so CSV and JSON name fields alike."""

_UTF8_BOM = b"\xef\xbb\xbf"
_RFC4180_DELIMITER = ","
_EXCEL_DELIMITER = ";"
_ROW_END = "\r\n"
_ITEM_SEPARATOR = "\n"
_DEPARTEMENT_SEPARATOR = ", "
# OWASP "CSV injection": spreadsheets treat a cell starting with one of these as a formula,
# some after skipping spaces and invisible characters, some after folding fullwidth forms.
_FORMULA_START = re.compile("^[\\s\u200b-\u200d\u2060\ufeff]*[=+\\-@\uff1d\uff0b\uff0d\uff20]")
# Cells starting with these are neutralised whatever follows: programs strip or act on them.
_RISKY_FIRST = frozenset("\t\r\u200b\u200c\u200d\u2060\ufeff")
# The formula characters themselves: with whitespace (str.isspace is exactly the regex's \s) and
# _RISKY_FIRST, the only first characters after which _FORMULA_START can match. Most cells start
# with a letter and skip the regex.
_FORMULA_FIRST = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
# Characters that cannot separate fields: they quote fields or end rows.
_FORBIDDEN_DELIMITERS = {'"', "\r", "\n"}


def delimiter_allowed(delimiter: str) -> bool:
    """One character, neither the quote nor a line end: the only delimiters a reader can split back."""
    return len(delimiter) == 1 and delimiter not in _FORBIDDEN_DELIMITERS


def _cell(items: list[dict[str, Any]]) -> str:
    # A list, not a generator: str.join builds one from a generator first anyway.
    return _ITEM_SEPARATOR.join([item["texte"] for item in items])


_SECTION_COLUMNS = (*SECTION_KEYS, "hors_rubrique")


def fiche_row(record: FicheRecord) -> list[str]:
    """The cells of one sheet (a record, :mod:`fichekit.records`), in :data:`COLUMNS` order, unescaped."""
    source = record["source"]
    number = record["theme_number"]
    return [
        f"{source['file']}:{source['line']}" if source is not None else "",
        record["theme"] or "",
        "" if number is None else str(number),
        structures_label(record),
        _DEPARTEMENT_SEPARATOR.join(departements(record)),
        record["projet"] or "",
        *[_cell(record[key]) for key in _SECTION_COLUMNS],
    ]


def inert(cell: str) -> str:
    """``cell`` with a leading ``'`` when a spreadsheet could read it as a formula (see the module doc)."""
    if not cell:
        return cell
    first = cell[0]
    if first in _RISKY_FIRST or ((first in _FORMULA_FIRST or first.isspace()) and _FORMULA_START.match(cell)):
        return "'" + cell
    return cell


class _Utf8Sink:
    """Text-to-bytes adapter: :mod:`csv` writes each row as one string, sent on at once."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write(text.encode("utf-8"))


class CsvWriter:
    """One CSV row per sheet, written as each sheet arrives: memory holds one record."""

    def __init__(self, options: WriterOptions) -> None:
        self.options = options
        delimiter = options.delimiter
        if delimiter is None:
            delimiter = _EXCEL_DELIMITER if options.excel else _RFC4180_DELIMITER
        if not delimiter_allowed(delimiter):
            raise OutputError(
                f"séparateur de colonnes CSV impossible : {delimiter!r} (un seul caractère, ni guillemet ni fin de ligne)"
            )
        self.delimiter = delimiter

    def write(self, fiches: Iterable[Fiche | FicheRecord], out: BinaryIO) -> None:
        if self.options.bom or self.options.excel:
            out.write(_UTF8_BOM)
        writer = csv.writer(
            _Utf8Sink(out),
            delimiter=self.delimiter,
            quotechar='"',
            doublequote=True,
            quoting=csv.QUOTE_MINIMAL,
            lineterminator=_ROW_END,
        )
        writer.writerow(COLUMNS)
        for record in as_records(fiches):
            row = fiche_row(record)
            writer.writerow(row if self.options.raw_csv else [inert(cell) for cell in row])


WRITERS = {Format.CSV: CsvWriter}
