"""Writers: one module per output format, behind one small protocol.

The registry maps each :class:`Format` to the module that implements it; the
module is imported only when that format is used, so heavy dependencies
(python-docx, lxml) load only for Word output.
"""

from __future__ import annotations

import datetime as _dt
import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

if TYPE_CHECKING:
    from ..findings import Finding
    from ..model import Fiche

__all__ = ["DEFAULT_TITLE", "NO_STRUCTURE", "NO_THEME", "Format", "Writer", "WriterOptions", "format_for_path", "get_writer"]

DEFAULT_TITLE = "Recueil des fiches d'expérience"
NO_THEME = "Sans thème"
"""Heading of the group of sheets that have no theme (Markdown, Word)."""
NO_STRUCTURE = "Sans structure"
"""Heading of a sheet that names no structure (Markdown, Word)."""


class Format(StrEnum):
    """Output formats; ``--to`` choices come from here."""

    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    MD = "md"
    DOCX = "docx"

    @property
    def suffix(self) -> str:
        return f".{self.value}"

    @property
    def is_binary(self) -> bool:
        """Binary formats need a file, or a redirected standard output (``-o -``): never a terminal."""
        return self is Format.DOCX


_MODULES: dict[Format, str] = {
    Format.JSON: "json",
    Format.JSONL: "json",
    Format.CSV: "csv",
    Format.MD: "markdown",
    Format.DOCX: "docx",
}

_SUFFIXES: dict[str, Format] = {
    ".json": Format.JSON,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
    ".csv": Format.CSV,
    ".md": Format.MD,
    ".markdown": Format.MD,
    ".docx": Format.DOCX,
}


def format_for_path(path: str | Path) -> Format | None:
    """The format an output file name implies (``recueil.docx`` -> DOCX), if any."""
    return _SUFFIXES.get(Path(path).suffix.lower())


@dataclass(slots=True)
class WriterOptions:
    """Options shared by the writers; each writer reads the ones it needs."""

    title: str = DEFAULT_TITLE
    """Title of the collection (Word title page, Markdown front matter)."""
    date: _dt.date | None = None
    """Date printed on the Word title page (default: today)."""
    template: Path | None = None
    """Word template (.docx) whose styles, page setup, header and footer are used."""
    delimiter: str | None = None
    """CSV field separator; None: ``,``, or ``;`` with ``excel``."""
    bom: bool = False
    """Start CSV output with a UTF-8 BOM (Excel needs it to see UTF-8)."""
    excel: bool = False
    """CSV preset for French spreadsheets: ``;``, BOM, CRLF, formulas made inert."""
    single: bool = False
    """The output holds one sheet of a ``--split``: Markdown adds front matter."""
    findings: list[Finding] = field(default_factory=list)
    """Where writers append their remarks (e.g. characters removed for Word)."""


class Writer(Protocol):
    """Write a collection of records to a binary stream."""

    def __init__(self, options: WriterOptions) -> None: ...

    def write(self, fiches: Iterable[Fiche], out: BinaryIO) -> None:
        """Consume ``fiches`` (possibly lazily) and write the whole document to ``out``."""
        ...


def get_writer(fmt: Format, options: WriterOptions | None = None) -> Writer:
    """Instantiate the writer of ``fmt``, importing its module on first use."""
    module = importlib.import_module(f"{__name__}.{_MODULES[fmt]}")
    writer_class: type[Writer] = module.WRITERS[fmt]
    return writer_class(options or WriterOptions())
