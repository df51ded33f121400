"""Guards for hostile or broken inputs: each turns a crash into a one-line French error.

Inputs come from anywhere: JSON edited by hand or written by another tool,
``--encoding`` typed by a user, a file that is one gigantic line. Python's
own failures there (``RecursionError``, ``LookupError``, a ``str`` holding half
of a UTF-16 pair that no UTF-8 writer accepts…) are turned here into
:class:`~fichekit.errors.InputError` / :class:`~fichekit.errors.ParseError`
that name the file, so that readers stay short and the CLI never shows a
traceback.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable
from pathlib import Path

from .errors import InputError, ParseError
from .findings import Finding

__all__ = [
    "MAX_LINE_CHARS",
    "attribute_to_input",
    "check_json_record",
    "is_folder",
    "load_json",
    "text_encoding",
]

MAX_LINE_CHARS = 16 * 1024 * 1024
"""Longest line read (in characters). A sheet paragraph is a few thousand
characters; a longer line is not an export, and holding it whole would let
one file take gigabytes of memory."""


def is_folder(path: Path) -> bool:
    """Whether ``path`` is a directory; False when the system refuses to say (a name too long, a loop).

    ``Path.is_dir`` raises for those in Python 3.11; opening the path then
    reports the reason as an ordinary input error.
    """
    try:
        return path.is_dir()
    except OSError:
        return False


def text_encoding(name: str, *, path: str | None = None) -> str:
    """The canonical name of a text encoding, or an :class:`InputError` saying why ``name`` is not one.

    ``codecs.lookup`` also knows transforms such as ``rot13``, ``base64`` or
    ``hex``, which cannot decode a file into text.
    """
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise InputError(f"encodage inconnu : {name}", path=path) from None
    if not getattr(info, "_is_text_encoding", True):
        raise InputError(f"« {name} » n'est pas un encodage de texte (exemples : utf-8, cp1252, utf-16)", path=path)
    return info.name


def line_too_long(name: str, line: int) -> InputError:
    """The error for a line longer than :data:`MAX_LINE_CHARS` (refused before it is held whole)."""
    millions = MAX_LINE_CHARS // (1024 * 1024)
    return InputError(
        f"ligne trop longue (plus de {millions} millions de caractères) : ce fichier n'est pas un export de fiches",
        path=name,
        line=line,
    )


# json's messages, in French. Unknown ones are summed up rather than shown in English.
_JSON_MESSAGES = {
    "Expecting value": "valeur attendue",
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendus",
    "Expecting property name enclosed in double quotes": "nom de clé entre guillemets droits attendu",
    "Unterminated string starting at": "texte entre guillemets jamais refermé",
    "Invalid control character at": "caractère de contrôle dans un texte",
    "Invalid \\escape": "séquence d'échappement invalide",
    "Invalid \\uXXXX escape": "séquence \\uXXXX invalide",
    "Extra data": "données en trop après la fin du JSON",
    "Illegal trailing comma before end of array": "virgule en trop avant « ] »",
    "Illegal trailing comma before end of object": "virgule en trop avant « } »",
}


def load_json(text: str, name: str, *, line: int | None = None) -> object:
    """Parse one JSON document of ``name`` (a whole file, or line ``line`` of a JSON Lines file).

    Besides syntax errors, refuses what ``json`` cannot hold: nesting too deep
    for Python's stack and integers longer than Python converts (4,300 digits).
    """
    prefix = "ligne JSON invalide" if line is not None else "JSON invalide"
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        reason = _JSON_MESSAGES.get(exc.msg, "syntaxe incorrecte")
        where = line if line is not None else exc.lineno
        raise ParseError(f"{prefix} ({reason}, colonne {exc.colno})", path=name, line=where) from None
    except RecursionError:
        raise ParseError(f"{prefix} (imbrication trop profonde : ce n'est pas une fiche)", path=name, line=line) from None
    except ValueError:
        # Only integers longer than sys.get_int_max_str_digits() end here.
        raise ParseError(f"{prefix} (nombre de plusieurs milliers de chiffres)", path=name, line=line) from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_json_record(record: object, name: str, where: str) -> None:
    """Refuse a record holding half of a UTF-16 pair (``"\\ud800"``): no UTF-8 output can hold it.

    JSON allows such escapes, Python keeps them in ``str``, and every writer
    would then fail. The record is refused rather than altered: content is
    the users' own words. Walks the record without recursion (any depth).
    """
    stack: list[tuple[object, str]] = [(record, "")]
    while stack:
        value, field = stack.pop()
        if isinstance(value, str):
            if bad := _SURROGATE.search(value):
                label = f"« {field} »" if field else "la fiche"
                raise ParseError(
                    f"{where} : caractère invalide dans {label} (moitié de paire UTF-16 \\u{ord(bad.group()):04x}) ; corrigez le texte",
                    path=name,
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, field))
                stack.append((item, f"{field}.{key}" if field else str(key)))
        elif isinstance(value, list):
            stack.extend((item, f"{field}.{index}" if field else str(index)) for index, item in enumerate(value))


def attribute_to_input(findings: Iterable[Finding], file: str) -> list[Finding]:
    """Findings about records read from ``file``, all placed in ``file`` itself.

    A JSON or Markdown input carries each record's ``source`` (the export it
    was first parsed from): its lines say nothing about ``file``. Such a
    finding is moved to ``file``, without line, its original place kept as
    context in the message; findings already about ``file`` are unchanged.
    """
    moved: list[Finding] = []
    for finding in findings:
        if finding.file == file:
            moved.append(finding)
            continue
        context = f" (fiche issue de {finding.location()})" if finding.file != "<fiche>" else ""
        moved.append(finding.replace(file=file, line=None, column=None, message=finding.message + context))
    return moved
