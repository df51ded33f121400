"""Findings: what the parser and the validator report about a sheet.

Each finding has a stable code (documented in the README; tools and CI
configurations depend on it), a severity, a place and a French message that
says what to do.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .plaintext import display_name, printable

__all__ = ["Code", "Finding", "Severity", "DEFAULT_SEVERITY", "location_label", "make_finding"]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Code(StrEnum):
    """Stable finding codes. Never renumber: configurations refer to them."""

    UNREADABLE = "FK001"
    """The file cannot be read, decoded or holds no sheet."""
    MISSING_HEADING = "FK002"
    """A required heading is absent from a sheet."""
    DUPLICATE_HEADING = "FK003"
    """A heading appears twice in one sheet."""
    MISSING_STRUCTURE = "FK004"
    """A sheet has no « Avec … » structure line, or it names no structure."""
    BAD_DEPARTEMENT = "FK005"
    """A code in parentheses is not a French département nor a known region."""
    EMPTY_SECTION = "FK101"
    """A heading is present but nothing is written under it."""
    NEAR_MISS_HEADING = "FK102"
    """A misspelt heading, read as the heading it plainly means."""
    HEADING_ORDER = "FK103"
    """Headings are not in the canonical order."""
    MISSING_THEME = "FK104"
    """No workshop question line above the sheet."""
    CONTROL_CHARACTERS = "FK105"
    """Characters Word cannot hold (PDF control characters) were removed."""
    TEMPLATE_STYLE_ADDED = "FK106"
    """A Word template lacked a style the recueil needs: fichekit's own was added."""
    LAYOUT_REMOVED = "FK107"
    """Page furniture (running headers and footers, page numbers, a table of contents) was left out."""
    ENCODING_REPAIRED = "FK108"
    """Bytes that were not valid in the file's encoding were read as Windows-1252."""
    UNKNOWN_HEADING = "FK109"
    """A line looks like a heading but is none of the 13: kept as content."""
    INTERPRETED = "FK110"
    """The grammar had to interpret the layout (a structures line without « Avec », a place name read as its code…)."""


DEFAULT_SEVERITY: dict[Code, Severity] = {
    Code.UNREADABLE: Severity.ERROR,
    Code.MISSING_HEADING: Severity.ERROR,
    Code.DUPLICATE_HEADING: Severity.ERROR,
    Code.MISSING_STRUCTURE: Severity.ERROR,
    Code.BAD_DEPARTEMENT: Severity.ERROR,
    Code.EMPTY_SECTION: Severity.WARNING,
    Code.NEAR_MISS_HEADING: Severity.WARNING,
    Code.HEADING_ORDER: Severity.WARNING,
    Code.MISSING_THEME: Severity.WARNING,
    Code.CONTROL_CHARACTERS: Severity.WARNING,
    Code.TEMPLATE_STYLE_ADDED: Severity.WARNING,
    Code.LAYOUT_REMOVED: Severity.WARNING,
    Code.ENCODING_REPAIRED: Severity.WARNING,
    Code.UNKNOWN_HEADING: Severity.WARNING,
    Code.INTERPRETED: Severity.WARNING,
}


def location_label(file: str, number: int) -> str:
    """How a place in ``file`` is written in messages: ``12`` (line), ``§12`` (Word paragraph), ``p3`` (PDF page)."""
    suffix = file.rpartition(".")[2].lower() if "." in file else ""
    if suffix == "docx":
        return f"§{number}"
    if suffix == "pdf":
        return f"p{number}"
    return str(number)


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """Un constat sur une fiche : code stable, gravité, emplacement et message.

    A plain frozen dataclass, not a pydantic model: readers make findings on the
    hot path, and a short run must not pay for pydantic. Fields, in the order of
    the JSON report: ``code``, ``severity``, ``file`` (made printable:
    :func:`~fichekit.plaintext.display_name`), ``line`` and ``column`` (from 1,
    or None), ``message`` (French: what is wrong and what to do).
    """

    code: Code
    severity: Severity
    file: str
    line: int | None = None
    column: int | None = None
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", Code(self.code))
        object.__setattr__(self, "severity", Severity(self.severity))
        object.__setattr__(self, "file", display_name(self.file))

    def replace(self, **changes: Any) -> Finding:
        """A copy with ``changes`` (field names to values)."""
        new = copy.copy(self)
        for name, value in changes.items():
            object.__setattr__(new, name, value)
        return new

    def as_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data, fields in order (codes and severities as their strings)."""
        return {
            "code": self.code.value,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }

    def location(self) -> str:
        """``file:line:col`` with the parts that apply."""
        parts = [self.file]
        if self.line is not None:
            parts.append(location_label(self.file, self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        """One report line: names and quoted sheet text can never move the cursor nor start a new line."""
        return printable(f"{self.location()}: {self.code} {self.message}")


def make_finding(code: Code, file: str, message: str, line: int | None = None, column: int | None = None) -> Finding:
    """A finding with the default severity of ``code``: the one way readers and writers make them."""
    return Finding(code=code, severity=DEFAULT_SEVERITY[code], file=file, line=line, column=column, message=message)
