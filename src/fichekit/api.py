"""The public library API: files or strings in, :class:`~fichekit.model.Fiche` records out, and back.

``load``/``loads`` read any supported input (raw text exports, Markdown, JSON and
JSON Lines written by fichekit, Word and PDF documents); ``dump``/``dumps`` write
records in any output format. The CLI is a thin shell over these.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .errors import FichekitError, InputError, ParseError
from .findings import Finding
from .formats import Format, format_for_suffix, sniff_format
from .grammar import parse_text
from .grammar.themes import unify_themes
from .readers import get_reader
from .records import FicheRecord, as_fiches
from .sources import Source, open_source, source_from_bytes

if TYPE_CHECKING:
    from .model import Fiche

__all__ = ["dump", "dumps", "iter_load", "load", "loads", "parse"]


def parse(text: str, file: str = "<texte>") -> list[Fiche]:
    """Parse a raw text export given as a string into records."""
    return parse_text(text, file).fiches


def _assumed(exc: FichekitError, source: Source) -> FichekitError:
    """The same error, saying which kind of input was assumed from its content."""
    note = f" (lu comme {source.format.label} d'après son contenu ; précisez --from si ce n'en est pas)"
    return type(exc)(exc.message + note, path=exc.path, line=exc.line)


def read_source(source: Source, findings: list[Finding] | None = None) -> Iterator[Fiche]:
    """Yield the records of an opened input lazily, as validated objects; remarks are appended to ``findings``."""
    return as_fiches(read_records(source, findings))


def read_records(source: Source, findings: list[Finding] | None = None) -> Iterator[FicheRecord]:
    """Yield the records of an opened input lazily, as plain data (:mod:`fichekit.records`)."""
    reader = get_reader(source.format)
    found = findings if findings is not None else []
    try:
        yield from unify_themes(reader(source, found), found)
    except (ParseError, InputError) as exc:
        if source.sniffed and exc.path == source.name:
            raise _assumed(exc, source) from None
        raise
    finally:
        source.close()


def iter_load(
    name: str | Path,
    *,
    encoding: str | None = None,
    format: Format | None = None,
    findings: list[Finding] | None = None,
    stdin: BinaryIO | None = None,
) -> Iterator[Fiche]:
    """Yield the records of one input (a path, or ``-`` for stdin) lazily.

    The kind of input comes from its suffix, else from its content; ``format``
    forces it. Remarks made while reading are appended to ``findings``.
    """
    source = open_source(str(name), encoding=encoding, stdin=stdin, format=format)
    yield from read_source(source, findings)


def load(name: str | Path, *, encoding: str | None = None, format: Format | None = None) -> list[Fiche]:
    """Read all records of one input (see :func:`iter_load`)."""
    return list(iter_load(name, encoding=encoding, format=format))


def loads(text: str, *, format: Format | None = None, file: str = "<texte>") -> list[Fiche]:
    """The string twin of :func:`load`, for text formats.

    Without ``format``, the content decides, as for stdin: JSON text is JSON,
    fichekit's Markdown is Markdown, anything else a raw export.
    """
    data = text.encode("utf-8")
    if format is None:
        sniffed = sniff_format(data[:65536])
        format = sniffed if isinstance(sniffed, Format) and not sniffed.is_binary else Format.TXT
    if format.is_binary:
        raise ValueError(f"{format.value} is a binary format: use load() on a file")
    return list(read_source(source_from_bytes(data, file, format, "utf-8")))


def dump(fiches: Iterable[Fiche | FicheRecord], path: str | Path, *, format: Format | None = None, **options: Any) -> None:
    """Write records to ``path`` atomically, in ``format`` (default: from the suffix).

    ``fiches`` holds :class:`~fichekit.model.Fiche` objects, or dicts shaped as
    ``Fiche.model_dump()``, validated by the model (a pydantic ``ValidationError``
    for a dict that is not a sheet). ``options`` are
    :class:`~fichekit.writers.WriterOptions` fields (``title``, ``excel``…).
    """
    from .output import atomic_output
    from .writers import WriterOptions, get_writer

    fmt = format or format_for_suffix(path)
    if fmt is None or fmt.spec.writer is None:
        raise ValueError(f"no output format for {path}: give format=")
    with atomic_output(path) as stream:
        get_writer(fmt, WriterOptions(**options)).write(as_fiches(fiches), stream)


def dumps(fiches: Iterable[Fiche | FicheRecord], format: Format = Format.JSON, **options: Any) -> str:
    """Records as text in a text format (JSON by default); see :func:`dump` for ``options``."""
    from .writers import WriterOptions, get_writer

    if format.is_binary or format.spec.writer is None:
        raise ValueError(f"{format.value} cannot be written as text: use dump() to a file")
    out = io.BytesIO()
    get_writer(format, WriterOptions(**options)).write(as_fiches(fiches), out)
    return out.getvalue().decode("utf-8")


