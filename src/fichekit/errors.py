"""The one exception hierarchy of fichekit.

Every error a user can cause (bad file, bad template, unwritable output) is a
``FichekitError``; its ``str()`` is the one-line French message the CLI prints,
in ``path:line: message`` form when a place is known.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "FichekitError",
    "InputError",
    "OutputError",
    "ParseError",
    "TemplateError",
]


class FichekitError(Exception):
    """Base class: a French message, optionally tied to a file and a line."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class InputError(FichekitError):
    """An input cannot be read or decoded (missing, directory, binary, encoding)."""


class ParseError(FichekitError):
    """An input was read but holds no sheet fichekit can recognise."""


class OutputError(FichekitError):
    """An output cannot be written (missing directory, permissions, same as input)."""


class TemplateError(FichekitError):
    """A Word template is unusable (not a .docx, corrupt, missing a style)."""
