"""fichekit: fiches d'expérience from raw text exports to JSON, CSV, Markdown and Word."""

from __future__ import annotations

from .api import load, loads, parse
from .errors import FichekitError, InputError, OutputError, ParseError, TemplateError
from .findings import Code, Finding, Severity
from .model import Fiche, Item, ItemType, Source, Structure

__version__ = "0.1.0"

__all__ = [
    "Code",
    "Fiche",
    "FichekitError",
    "Finding",
    "InputError",
    "Item",
    "ItemType",
    "OutputError",
    "ParseError",
    "Severity",
    "Source",
    "Structure",
    "TemplateError",
    "__version__",
    "load",
    "loads",
    "parse",
]
