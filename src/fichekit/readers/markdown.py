"""fichekit's Markdown (or Markdown of the same shape written by hand), read back into records."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..markdown_reader import iter_fiches_from_markdown
from ..model import Fiche
from ..sources import Source

__all__ = ["read"]


def read(source: Source, findings: list[Finding]) -> Iterator[Fiche]:
    """The sheets of a Markdown document."""
    return iter_fiches_from_markdown(source.lines(findings), source.name, findings)
