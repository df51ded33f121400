"""fichekit: fiches d'expérience from raw text exports, Word and PDF to JSON, CSV, Markdown and Word.

The public API is imported lazily (PEP 562) so that ``fichekit --help`` and
short runs do not pay for modules they do not use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

_EXPORTS = {
    "dump": "api",
    "dumps": "api",
    "load": "api",
    "loads": "api",
    "parse": "api",
    "iter_load": "api",
    "FichekitError": "errors",
    "InputError": "errors",
    "OutputError": "errors",
    "ParseError": "errors",
    "TemplateError": "errors",
    "Code": "findings",
    "Format": "formats",
    "Finding": "findings",
    "Severity": "findings",
    "Fiche": "model",
    "Item": "model",
    "ItemType": "model",
    "Source": "model",
    "Structure": "model",
}

__all__ = [*sorted(_EXPORTS), "__version__"]

if TYPE_CHECKING:
    from .api import dump, dumps, iter_load, load, loads, parse
    from .errors import FichekitError, InputError, OutputError, ParseError, TemplateError
    from .findings import Code, Finding, Severity
    from .formats import Format
    from .model import Fiche, Item, ItemType, Source, Structure


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fichekit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
