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


_COMPACT = json.JSONEncoder(ensure_ascii=False, check_circular=False)
"""``json.dumps(data, ensure_ascii=False)`` made once: ``json.dumps`` builds a new encoder for
every call, and records hold no cycles to look for. The bytes are the same (``", "`` and
``": "`` separators, which pydantic's compact ``model_dump_json`` does not write)."""


def dump_record(fiche: Fiche, *, indent: int | None = None, enrich: bool = False) -> str:
    """One record as JSON text, keys in model order, then ``departements_noms`` with ``enrich``."""
    if indent is not None and not enrich:
        # pydantic's serializer writes indented JSON byte for byte as json.dumps(ensure_ascii=False,
        # indent=...) does, several times faster (json's indented encoder is pure Python).
        return fiche.model_dump_json(indent=indent)
    # Python mode is JSON-ready here: the model holds str, int, None, lists, dicts and a StrEnum,
    # which json writes as its value.
    data = fiche.model_dump()
    if enrich:
        from ..enrich import ENRICHED_KEY, departements_noms

        data[ENRICHED_KEY] = departements_noms(fiche)
    if indent is None:
        return _COMPACT.encode(data)
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
            out.write((dump_record(fiche, enrich=self.options.enrich) + "\n").encode("utf-8"))


WRITERS = {Format.JSON: JsonWriter, Format.JSONL: JsonLinesWriter}
