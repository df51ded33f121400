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
from typing import TYPE_CHECKING, BinaryIO

from ..records import FicheRecord, as_records
from . import Format, WriterOptions

if TYPE_CHECKING:
    from ..model import Fiche

__all__ = ["JsonLinesWriter", "JsonWriter", "WRITERS", "dump_record"]


_COMPACT = json.JSONEncoder(ensure_ascii=False, check_circular=False)
"""``json.dumps(data, ensure_ascii=False)`` made once: ``json.dumps`` builds a new encoder for
every call, and records hold no cycles to look for. The bytes are the same (``", "`` and
``": "`` separators, which pydantic's compact ``model_dump_json`` does not write)."""


def dump_record(record: FicheRecord, *, indent: int | None = None, enrich: bool = False) -> str:
    """One record (plain data, :mod:`fichekit.records`) as JSON text, keys in model order,
    then ``departements_noms`` with ``enrich``."""
    if enrich:
        from ..enrich import ENRICHED_KEY, departements_noms

        record = {**record, ENRICHED_KEY: departements_noms(record)}
    if indent is None:
        # Records hold str, int, None, lists, dicts and a StrEnum, which json writes as its value.
        return _COMPACT.encode(record)
    # pydantic-core's serializer writes indented JSON byte for byte as json.dumps(ensure_ascii=False,
    # indent=...) does, several times faster (json's indented encoder is pure Python).
    from pydantic_core import to_json

    return to_json(record, indent=indent).decode("utf-8")


class JsonWriter:
    """A JSON array, written record by record: memory holds one record at a time."""

    def __init__(self, options: WriterOptions) -> None:
        self.options = options

    def write(self, fiches: Iterable[Fiche | FicheRecord], out: BinaryIO) -> None:
        separator = b"[\n"
        for record in as_records(fiches):
            out.write(separator)
            text = dump_record(record, indent=2, enrich=self.options.enrich)
            out.write(("  " + text.replace("\n", "\n  ")).encode("utf-8"))
            separator = b",\n"
        out.write(b"[]\n" if separator == b"[\n" else b"\n]\n")


class JsonLinesWriter:
    """JSON Lines: one compact record per line, streamed."""

    def __init__(self, options: WriterOptions) -> None:
        self.options = options

    def write(self, fiches: Iterable[Fiche | FicheRecord], out: BinaryIO) -> None:
        enrich = self.options.enrich
        for record in as_records(fiches):
            out.write((dump_record(record, enrich=enrich) + "\n").encode("utf-8"))


WRITERS = {Format.JSON: JsonWriter, Format.JSONL: JsonLinesWriter}
