"""Findings: what the parser and the validator report about a sheet.

Each finding has a stable code (documented in the README; tools and CI
configurations depend on it), a severity, a place and a French message that
says what to do.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Code", "Finding", "Severity", "DEFAULT_SEVERITY"]


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
    """The Word template lacks a style the recueil uses: the house style's is copied in."""


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
}


class Finding(BaseModel):
    """Un constat sur une fiche : code stable, gravité, emplacement et message."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    code: Code = Field(description="Code stable du constat (FK…).")
    severity: Severity = Field(description="« error » ou « warning ».")
    file: str = Field(description="Fichier concerné.")
    line: int | None = Field(default=None, description="Ligne (à partir de 1), si elle s'applique.")
    column: int | None = Field(default=None, description="Colonne (à partir de 1), si elle s'applique.")
    message: str = Field(description="Message en français : ce qui ne va pas et quoi faire.")

    def location(self) -> str:
        """``file:line:col`` with the parts that apply."""
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.code} {self.message}"
