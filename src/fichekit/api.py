"""The public library API: text or files in, :class:`~fichekit.model.Fiche` records out.

Inputs may be raw text exports, or fichekit's own JSON / JSON Lines output, so
a collection can be edited and converted again.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from pydantic import ValidationError

from .errors import ParseError
from .findings import Finding
from .model import Fiche
from .parser import iter_fiches, parse_text
from .safety import check_json_record, load_json
from .sources import TextSource, open_source

__all__ = ["InputKind", "detect_kind", "iter_load", "load", "loads", "parse"]


class InputKind(StrEnum):
    TEXT = "texte"
    JSON = "json"
    JSONL = "jsonl"
    MARKDOWN = "md"


_SUFFIX_KINDS = {".json": InputKind.JSON, ".jsonl": InputKind.JSONL, ".ndjson": InputKind.JSONL, ".md": InputKind.MARKDOWN, ".markdown": InputKind.MARKDOWN}


def detect_kind(source: TextSource) -> InputKind:
    """Kind of an input: by its suffix, else by its first non-blank line."""
    if source.path is not None and source.path.suffix.lower() in _SUFFIX_KINDS:
        return _SUFFIX_KINDS[source.path.suffix.lower()]
    for line in source.lines():
        first = line.strip()
        if not first:
            continue
        if first.startswith("["):
            return InputKind.JSON
        if first.startswith("{"):
            return InputKind.JSONL
        if first == "---" or first.startswith("<!-- fichekit") or first.startswith("# "):
            return InputKind.MARKDOWN
        return InputKind.TEXT
    return InputKind.TEXT


def parse(text: str, file: str = "<texte>") -> list[Fiche]:
    """Parse a raw export given as a string into records."""
    return parse_text(text, file).fiches


def loads(text: str, file: str = "<texte>") -> list[Fiche]:
    """Alias of :func:`parse`, symmetric with :func:`load`."""
    return parse(text, file)


def _validate_record(data: object, name: str, where: str) -> Fiche:
    check_json_record(data, name, where)
    try:
        return Fiche.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "fiche"
        raise ParseError(f"{where} : champ « {field} » invalide ({first['msg']})", path=name) from None


def _iter_json(source: TextSource) -> Iterator[Fiche]:
    text = "\n".join(source.lines())
    data = load_json(text, source.name)
    records = data if isinstance(data, list) else [data]
    if not records:
        raise ParseError("aucune fiche dans ce JSON (tableau vide)", path=source.name)
    for index, record in enumerate(records, 1):
        yield _validate_record(record, source.name, f"fiche n° {index}")


def _iter_jsonl(source: TextSource) -> Iterator[Fiche]:
    count = 0
    for line_no, line in enumerate(source.lines(), 1):
        if not line.strip():
            continue
        record = load_json(line, source.name, line=line_no)
        count += 1
        yield _validate_record(record, source.name, f"ligne {line_no}")
    if count == 0:
        raise ParseError("aucune fiche dans ce fichier JSON Lines", path=source.name)


def iter_load(
    name: str | Path,
    *,
    encoding: str | None = None,
    findings: list[Finding] | None = None,
    stdin: BinaryIO | None = None,
    source: TextSource | None = None,
) -> Iterator[Fiche]:
    """Yield the records of one input (path, or ``-`` for stdin) lazily.

    Raw exports are parsed; fichekit JSON, JSON Lines and Markdown are read
    back. Remarks made while reading are appended to ``findings``. ``source``,
    when the input was already opened (and its encoding decided), avoids a
    second pass over it.
    """
    if source is None:
        source = open_source(str(name), encoding=encoding, stdin=stdin)
    kind = detect_kind(source)
    if kind is InputKind.JSON:
        yield from _iter_json(source)
    elif kind is InputKind.JSONL:
        yield from _iter_jsonl(source)
    elif kind is InputKind.MARKDOWN:
        from .markdown_reader import iter_fiches_from_markdown

        yield from iter_fiches_from_markdown(source.lines(), source.name, findings)
    else:
        yield from iter_fiches(source.lines(), source.name, findings)


def load(name: str | Path, *, encoding: str | None = None) -> list[Fiche]:
    """Read all records of one input (see :func:`iter_load`)."""
    return list(iter_load(name, encoding=encoding))
