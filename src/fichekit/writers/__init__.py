"""Writers: one module per output format, behind one small protocol.

The table of formats (:data:`fichekit.formats.FORMATS`) names the module that
writes each :class:`Format`; the module is imported only when that format is used, so heavy dependencies
(python-docx, lxml) load only for Word output.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

from ..formats import Format, format_for_suffix
from ..recueil_labels import NO_STRUCTURE, NO_THEME

if TYPE_CHECKING:
    import datetime as _dt

    from ..findings import Finding
    from ..model import Fiche
    from ..records import FicheRecord

__all__ = ["DEFAULT_TITLE", "NO_STRUCTURE", "NO_THEME", "Format", "Writer", "WriterOptions", "format_for_path", "get_writer"]

DEFAULT_TITLE = "Recueil des fiches d'expérience"


def format_for_path(path: str | Path) -> Format | None:
    """The output format a file name implies (``recueil.docx`` -> DOCX), if fichekit writes it."""
    fmt = format_for_suffix(path)
    return fmt if fmt is not None and fmt.spec.writer is not None else None


@dataclass(slots=True)
class WriterOptions:
    """Options shared by the writers; each writer reads the ones it needs."""

    title: str = DEFAULT_TITLE
    """Title of the collection (Word title page, Markdown front matter)."""
    date: _dt.date | None = None
    """Date printed on the Word title page (default: today)."""
    author: str | None = None
    """Author printed under the title of the Word recueil (none by default)."""
    template: Path | None = None
    """Word template (.docx) whose styles, page setup, header and footer are used."""
    delimiter: str | None = None
    """CSV field separator; None: ``,``, or ``;`` with ``excel``."""
    bom: bool = False
    """Start CSV output with a UTF-8 BOM (Excel needs it to see UTF-8)."""
    excel: bool = False
    """CSV preset for French spreadsheets: ``;``, BOM, CRLF."""
    raw_csv: bool = False
    """CSV cells exactly as in the sheets, for programs: no formula neutralisation."""
    enrich: bool = False
    """JSON / JSON Lines: add ``departements_noms`` (names of the codes) to every record."""
    single: bool = False
    """The output holds one sheet of a ``--split``: Markdown adds front matter, Word has no title page nor sommaire."""
    findings: list[Finding] = field(default_factory=list)
    """Where writers append their remarks (e.g. characters removed for Word)."""


class Writer(Protocol):
    """Write a collection of records to a binary stream."""

    def __init__(self, options: WriterOptions) -> None: ...

    def write(self, fiches: Iterable[Fiche | FicheRecord], out: BinaryIO) -> None:
        """Consume ``fiches`` (possibly lazily) and write the whole document to ``out``.

        ``fiches`` holds :class:`~fichekit.model.Fiche` objects (a library caller's) or
        plain records (:mod:`fichekit.records`, what the readers give); a writer turns
        them into what it works with (:func:`~fichekit.records.as_records`, ``as_fiches``).
        """
        ...


def get_writer(fmt: Format, options: WriterOptions | None = None) -> Writer:
    """Instantiate the writer of ``fmt``, importing its module on first use."""
    module_name = fmt.spec.writer
    if module_name is None:
        raise ValueError(f"no writer for {fmt}")
    module = importlib.import_module(f"{__name__}.{module_name}")
    writer_class: type[Writer] = module.WRITERS[fmt]
    return writer_class(options or WriterOptions())
