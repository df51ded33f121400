"""JSON (one array) and JSON Lines (one record per line), UTF-8, not ASCII-escaped.

Records hold exactly the fields of the model, in model order (the JSON
Schema of ``fichekit schema``). With ``enrich`` (``--enrichir``) each record
also gets, after all of them, ``departements_noms``: one
``{"code": "21", "nom": "Côte-d'Or", "region": "Bourgogne-Franche-Comté"}``
per code of the sheet, in order (``nom`` and ``region`` are null for a code
the place data does not know; a region abbreviation gives the region's name
for both). It is derived from the codes, so it is an opt-in addition rather
than a schema field: the fixed keys, their order and the schema never
change, and fichekit reading a record back ignores the key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import BinaryIO

from ..model import Fiche
from . import Format, WriterOptions

__all__ = ["JsonLinesWriter", "JsonWriter", "WRITERS", "dump_record"]


def dump_record(fiche: Fiche, *, indent: int | None = None, enrich: bool = False) -> str:
    """One record as JSON text, keys in model order, then ``departements_noms`` with ``enrich``."""
    data = fiche.as_json()
    if enrich:
        from ..enrich import ENRICHED_KEY, departements_noms

        data[ENRICHED_KEY] = departements_noms(fiche)
    return json.dumps(data, ensure_ascii=False, indent=indent)


class JsonWriter:
    """A JSON array, written record by record: memory holds one record at a time."""

    def __init__(self, options: WriterOptions) -> None:
        self.options = options

    def write(self, fiches: Iterable[Fiche], out: BinaryIO) -> None:
        separator = b"[\n"
        for fiche in fiches:
            out.write(separator)
            text = dump_record(fiche, indent=2, enrich=self.options.enrich)
            out.write(("  " + text.replace("\n", "\n  ")).encode("utf-8"))
            separator = b",\n"
        out.write(b"[]\n" if separator == b"[\n" else b"\n]\n")


class JsonLinesWriter:
    """JSON Lines: one compact record per line, streamed."""

    def __init__(self, options: WriterOptions) -> None:
        self.options = options

    def write(self, fiches: Iterable[Fiche], out: BinaryIO) -> None:
        for fiche in fiches:
            out.write(dump_record(fiche, enrich=self.options.enrich).encode("utf-8"))
            out.write(b"\n")


WRITERS = {Format.JSON: JsonWriter, Format.JSONL: JsonLinesWriter}
