"""The one table of formats fichekit reads and writes.

Each row says, for one format: its name (the value of ``--from`` / ``--to``), the
file suffixes that mean it, whether it is binary, and the modules of
:mod:`fichekit.readers` and :mod:`fichekit.writers` that handle it (imported only
when used). Deciding the kind of an input, the ``--to`` choices and the writers'
registry all come from here.

The kind of an input is decided by its **suffix first** (``.txt`` is always a raw
export, whatever its first line); content is sniffed only for stdin or an unknown
suffix (:func:`sniff_format`), and errors then say which kind was assumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath

__all__ = [
    "FORMATS",
    "UNSUPPORTED_SUFFIXES",
    "Format",
    "FormatSpec",
    "ReadableFormat",
    "WritableFormat",
    "format_for_suffix",
    "readable_kinds",
    "readable_suffixes",
    "sniff_format",
]


class Format(StrEnum):
    """Every format of the table; ``--from`` and ``--to`` offer the readable and writable ones."""

    TXT = "txt"
    MD = "md"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    DOCX = "docx"
    PDF = "pdf"
    EML = "eml"
    HTML = "html"
    XLSX = "xlsx"
    GEOJSON = "geojson"

    @property
    def spec(self) -> FormatSpec:
        return FORMATS[self]

    @property
    def suffix(self) -> str:
        """The suffix fichekit gives the files it writes in this format (``.docx``)."""
        return self.spec.suffixes[0]

    @property
    def is_binary(self) -> bool:
        """Binary formats cannot go to a terminal or a pipe: they need a file."""
        return self.spec.binary

    @property
    def label(self) -> str:
        """French name of the format, for messages."""
        return self.spec.label


@dataclass(frozen=True, slots=True)
class FormatSpec:
    """One row of the table."""

    format: Format
    label: str
    """French name, for messages: « export texte », « document Word »…"""
    suffixes: tuple[str, ...]
    """Lower-case suffixes meaning this format, the first one being the one fichekit writes."""
    binary: bool
    """Read and written as bytes (Word, PDF) rather than as text."""
    reader: str | None
    """Module of :mod:`fichekit.readers` that reads it, or None (fichekit does not read it)."""
    writer: str | None
    """Module of :mod:`fichekit.writers` that writes it, or None (fichekit does not write it)."""


FORMATS: dict[Format, FormatSpec] = {
    spec.format: spec
    for spec in (
        FormatSpec(Format.TXT, "export texte", (".txt", ".text"), False, "text", None),
        FormatSpec(Format.MD, "Markdown", (".md", ".markdown"), False, "markdown", "markdown"),
        FormatSpec(Format.JSON, "JSON", (".json",), False, "json", "json"),
        FormatSpec(Format.JSONL, "JSON Lines", (".jsonl", ".ndjson"), False, "json", "json"),
        FormatSpec(Format.CSV, "CSV", (".csv",), False, None, "csv"),
        FormatSpec(Format.DOCX, "document Word", (".docx",), True, "docx", "docx"),
        FormatSpec(Format.PDF, "PDF", (".pdf",), True, "pdf", None),
        FormatSpec(Format.EML, "courriel", (".eml",), True, "email", None),
        FormatSpec(Format.HTML, "page HTML", (".html", ".htm"), False, "html", None),
        FormatSpec(Format.XLSX, "classeur Excel", (".xlsx",), True, None, "xlsx"),
        FormatSpec(Format.GEOJSON, "carte GeoJSON", (".geojson",), False, None, "geojson"),
    )
}

ReadableFormat = StrEnum("ReadableFormat", [(f.name, f.value) for f in Format if FORMATS[f].reader])  # type: ignore[misc]  # the functional API builds the choices from the table
"""The ``--from`` choices: formats with a reader."""
WritableFormat = StrEnum("WritableFormat", [(f.name, f.value) for f in Format if FORMATS[f].writer])  # type: ignore[misc]  # the functional API builds the choices from the table
"""The ``--to`` choices: formats with a writer."""

_BY_SUFFIX: dict[str, Format] = {suffix: spec.format for spec in FORMATS.values() for suffix in spec.suffixes}

UNSUPPORTED_SUFFIXES: dict[str, str] = {
    ".doc": "document Word 97-2003 (.doc) : ouvrez-le dans Word ou LibreOffice et choisissez "
    "« Enregistrer sous › Document Word (.docx) »",
    ".odt": "document LibreOffice (.odt) : ouvrez-le dans LibreOffice et choisissez "
    "« Fichier › Enregistrer sous › Word 2007-365 (.docx) »",
    ".rtf": "document RTF : ouvrez-le dans Word ou LibreOffice et enregistrez-le en Document Word (.docx)",
    ".pages": "document Pages : exportez-le en Word (.docx) depuis Pages (Fichier › Exporter vers › Word)",
    ".msg": "message Outlook (.msg) : dans Outlook, enregistrez les pièces jointes (Word, PDF) "
    "et lisez-les, ou « Fichier › Enregistrer sous › Texte seulement (.txt) » pour le texte du message",
    ".xls": "classeur Excel : fichekit ne lit pas les tableurs ; donnez l'export, le Word ou le JSON d'origine",
    ".ods": "classeur LibreOffice : fichekit ne lit pas les tableurs ; donnez l'export, le Word ou le JSON d'origine",
}
"""Suffixes of documents people send that fichekit does not read, with what to do instead."""


def format_for_suffix(path: str | PurePath) -> Format | None:
    """The format a file name's suffix means (``recueil.docx`` -> DOCX), if any."""
    return _BY_SUFFIX.get(PurePath(path).suffix.lower())


def readable_suffixes() -> tuple[str, ...]:
    """Suffixes of every readable format: what a directory walk picks up."""
    return tuple(s for spec in FORMATS.values() if spec.reader for s in spec.suffixes)


def readable_kinds(*, without: tuple[Format, ...] = ()) -> str:
    """The readable formats named by their main suffix, for messages: ``.txt, .md, .json…``."""
    return ", ".join(spec.suffixes[0] for spec in FORMATS.values() if spec.reader and spec.format not in without)


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(head: bytes) -> Format | str:
    """The kind of an input from its first bytes (stdin, unknown suffix).

    Returns a readable :class:`Format`, or a French description of a document
    fichekit does not read (a Word 97 file) for the error message.
    """
    if head.startswith(b"PK\x03\x04"):
        if b"opendocument" in head[:200]:
            return UNSUPPORTED_SUFFIXES[".odt"]
        return Format.DOCX
    if head.lstrip()[:5] == b"%PDF-":
        return Format.PDF
    if head.startswith(_OLE2):
        return UNSUPPORTED_SUFFIXES[".doc"]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(head) > 3 and head[1:4:2] == b"\x00\x00"):
        head = head.decode("utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-16-le", "ignore").encode()
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"["):
        return Format.JSON
    if text.startswith(b"{"):
        return Format.JSONL
    first = text.split(b"\n", 1)[0].strip()
    if first == b"---" or first.startswith(b"<!-- fichekit") or first.startswith(b"# "):
        return Format.MD
    return Format.TXT
