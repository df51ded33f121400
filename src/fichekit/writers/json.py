"""JSON (one array) and JSON Lines (one record per line), UTF-8, not ASCII-escaped."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import BinaryIO

from ..model import Fiche
from . import Format, WriterOptions

__all__ = ["JsonLinesWriter", "JsonWriter", "WRITERS", "dump_record"]


def dump_record(fiche: Fiche, *, indent: int | None = None) -> str:
    """One record as JSON text, keys in model order."""
    return json.dumps(fiche.as_json(), ensure_ascii=False, indent=indent)


class JsonWriter:
    """A JSON array, written record by record: memory holds one record at a time."""

    def __init__(self, options: WriterOptions) -> None:
        self.options = options

    def write(self, fiches: Iterable[Fiche], out: BinaryIO) -> None:
        separator = b"[\n"
        for fiche in fiches:
            out.write(separator)
            text = dump_record(fiche, indent=2)
            out.write(("  " + text.replace("\n", "\n  ")).encode("utf-8"))
            separator = b",\n"
        out.write(b"[]\n" if separator == b"[\n" else b"\n]\n")


class JsonLinesWriter:
    """JSON Lines: one compact record per line, streamed."""

    def __init__(self, options: WriterOptions) -> None:
        self.options = options

    def write(self, fiches: Iterable[Fiche], out: BinaryIO) -> None:
        for fiche in fiches:
            out.write(dump_record(fiche).encode("utf-8"))
            out.write(b"\n")


WRITERS = {Format.JSON: JsonWriter, Format.JSONL: JsonLinesWriter}
