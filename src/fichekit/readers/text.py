"""Raw text exports (copy-paste, Word « Texte Unicode », PDF converted to text): the sheet grammar on decoded lines."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..grammar import iter_records
from ..grammar.layout import profile_text
from ..records import FicheRecord
from ..sources import Source

__all__ = ["read"]


def read(source: Source, findings: list[Finding]) -> Iterator[FicheRecord]:
    """The sheets of a raw export, streamed line by line (PDF text recognised by its head)."""
    return iter_records(source.lines(findings), source.name, findings, profile_text(source.head_text()))
