"""How ``fichekit validate`` shows its findings: text lines, a JSON array, GitHub annotations, totals.

:mod:`fichekit.validate` finds the defects; this module only renders them, so a
caller with its own presentation needs nothing from here. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from .fr import counted
from .plaintext import printable

if TYPE_CHECKING:
    from .findings import Finding
    from .validate import FileResult

__all__ = ["ReportFormat", "Summary", "findings_json", "github_annotation"]


class ReportFormat(StrEnum):
    """How ``fichekit validate`` prints its findings."""

    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


@dataclass(slots=True)
class Summary:
    """Totals over a validation run."""

    files: int = 0
    fiches: int = 0
    errors: int = 0
    warnings: int = 0

    def add(self, result: FileResult) -> None:
        from .findings import Severity  # pydantic: not at start-up, where the CLI needs only ReportFormat

        self.files += 1
        self.fiches += result.fiches
        for finding in result.findings:
            if finding.severity is Severity.ERROR:
                self.errors += 1
            else:
                self.warnings += 1

    def failed(self, strict: bool) -> bool:
        """Whether the run fails: any error, or any warning when ``strict``."""
        return self.errors > 0 or (strict and self.warnings > 0)

    def __str__(self) -> str:
        return ", ".join(
            (
                counted(self.files, "fichier", "fichiers"),
                counted(self.fiches, "fiche", "fiches"),
                counted(self.errors, "erreur", "erreurs"),
                counted(self.warnings, "avertissement", "avertissements"),
            )
        )


def findings_json(findings: Iterable[Finding]) -> str:
    """The ``--format json`` document: an array of findings, UTF-8 text, indented.

    Each element has exactly these keys, in this order: ``code`` (``"FK002"``),
    ``severity`` (``"error"`` or ``"warning"``), ``file``, ``line`` and
    ``column`` (from 1, or null), ``message`` (French).
    """
    import json

    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(finding: Finding) -> str:
    """One GitHub Actions workflow command: ``::error file=…,line=…,col=…,title=FK002::message``.

    Escaped as GitHub's toolkit does: ``%``, CR and LF everywhere, plus ``:``
    and ``,`` in properties; terminal escapes and bidi controls from the sheet
    are made visible first (GitHub's log shows ANSI colours).
    """
    properties = [f"file={_escape_property(printable(finding.file))}"]
    if finding.line is not None:
        properties.append(f"line={finding.line}")
        if finding.column is not None:
            properties.append(f"col={finding.column}")
    properties.append(f"title={_escape_property(finding.code.value)}")
    return f"::{finding.severity.value} {','.join(properties)}::{_escape_data(printable(finding.message, line_breaks=True))}"
