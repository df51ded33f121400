"""Conversion of a collection of inputs to one output format.

Used by ``fichekit convert`` and ``fichekit parse``; callable from Python too.
Records stream from the readers to the writer (except for ``--split``, which
needs every name first), and every output is written atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .api import read_records
from .errors import FichekitError, InputError, OutputError
from .findings import Finding
from .formats import Format
from .grammar.themes import unify_themes
from .output import atomic_output, check_not_an_input, split_names, write_split_set
from .records import FicheRecord, as_fiches
from .sources import Skipped, Source, open_source, walk_inputs
from .writers import WriterOptions, get_writer

if TYPE_CHECKING:
    from .model import Fiche

__all__ = ["ConvertReport", "convert", "iter_collection", "open_inputs"]

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(input_name, input_index, sheets_so_far)`` after each sheet."""


@dataclass(slots=True)
class ConvertReport:
    """What a conversion did."""

    fiches: int = 0
    outputs: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    failures: list[FichekitError] = field(default_factory=list)
    """Inputs that could not be read (only with ``on_error``: otherwise the first one is raised)."""





def open_inputs(
    inputs: Iterable[str],
    encoding: str | None = None,
    format: Format | None = None,
    stdin: BinaryIO | None = None,
) -> tuple[list[Source], list[FichekitError], list[Skipped]]:
    """Open every input up front (nothing is parsed), folders expanded: the usable ones, why the others are not, what was skipped.

    Each input is opened once (:mod:`fichekit.sources`): the sources returned are
    handed to :func:`convert`, which reads them.
    """
    opened: list[Source] = []
    errors: list[FichekitError] = []
    skipped: list[Skipped] = []
    for item in walk_inputs(list(inputs)):
        if isinstance(item, Skipped):
            if item.error:
                errors.append(InputError(item.reason, path=item.path))
            else:
                skipped.append(item)
            continue
        try:
            opened.append(open_source(item, encoding=encoding, stdin=stdin, format=format))
        except FichekitError as exc:
            errors.append(exc)
    return opened, errors, skipped


def iter_collection(
    sources: Iterable[Source],
    *,
    findings: list[Finding] | None = None,
    progress: ProgressCallback | None = None,
    on_error: Callable[[FichekitError], None] | None = None,
) -> Iterator[FicheRecord]:
    """All records of all opened inputs, in order, lazily, as plain data (:mod:`fichekit.records`).

    By default the first failing input stops everything. With ``on_error``,
    each failure is handed to it and the next input is read.
    """
    count = 0
    first_spellings: dict[str, str] = {}
    """One theme key across every input: a theme keeps the spelling it was first met with."""
    warned: set[str] = set()
    for index, source in enumerate(sources):
        try:
            for fiche in unify_themes(read_records(source, findings), findings, first_spellings, warned):
                count += 1
                if progress is not None:
                    progress(source.name, index, count)
                yield fiche
        except FichekitError as exc:
            if on_error is None:
                raise
            on_error(exc)


def convert(
    inputs: list[str] | list[Source],
    fmt: Format,
    *,
    output: Path | None = None,
    split_dir: Path | None = None,
    stdout: BinaryIO | None = None,
    options: WriterOptions | None = None,
    encoding: str | None = None,
    input_format: Format | None = None,
    progress: ProgressCallback | None = None,
    stdin: BinaryIO | None = None,
    on_error: Callable[[FichekitError], None] | None = None,
    force: bool = False,
) -> ConvertReport:
    """Convert ``inputs`` (paths, folders, ``-``, or sources opened by :func:`open_inputs`) to ``fmt``:
    into ``output``, one file per sheet in ``split_dir``, or to ``stdout``.

    Raises a :class:`~fichekit.errors.FichekitError` on the first problem; no
    output file is then created or changed. With ``on_error``, a failing input
    is handed to it instead and the others are converted.
    ``force`` lets ``split_dir`` overwrite files fichekit did not write there itself.
    """
    options = options or WriterOptions()
    report = ConvertReport(findings=options.findings)
    if all(isinstance(item, Source) for item in inputs):
        sources = [item for item in inputs if isinstance(item, Source)]
    else:
        sources, errors, _ = open_inputs([str(item) for item in inputs], encoding, input_format, stdin)
        if errors:
            for source in sources:
                source.close()
            raise errors[0]
    names = [str(source.path) for source in sources if source.path is not None]
    for target in (output, split_dir):
        if target is not None:
            check_not_an_input(target, names)
    def failed(exc: FichekitError) -> None:
        report.failures.append(exc)
        if on_error is not None:
            on_error(exc)

    counted = _counting(
        iter_collection(
            sources, findings=report.findings, progress=progress, on_error=failed if on_error is not None else None
        ),
        report,
    )
    if split_dir is not None:
        _write_split(list(as_fiches(counted)), fmt, split_dir, options, report, force=force)
        return report
    if output is None and stdout is None:
        raise OutputError(f"le format {fmt.value} a besoin d'un fichier de sortie (-o)")
    # The first record is read before anything is written: when every input
    # failed, no output is made at all (no empty « [] », no empty workbook).
    first = next(counted, None)
    if first is None and report.failures:
        return report
    records = chain([first], counted) if first is not None else counted
    if output is not None:
        with atomic_output(output) as stream:
            get_writer(fmt, options).write(records, stream)
        report.outputs.append(output)
    else:
        assert stdout is not None
        get_writer(fmt, options).write(records, stdout)
    return report


def _counting(fiches: Iterator[FicheRecord], report: ConvertReport) -> Iterator[FicheRecord]:
    for fiche in fiches:
        report.fiches += 1
        yield fiche


def _write_split(
    fiches: list[Fiche], fmt: Format, directory: Path, options: WriterOptions, report: ConvertReport, *, force: bool = False
) -> None:
    """One file per sheet, written as one set (see :func:`~fichekit.output.write_split_set`)."""
    writer = get_writer(fmt, replace(options, single=True))

    def content(fiche: Fiche) -> Callable[[BinaryIO], None]:
        return lambda stream: writer.write([fiche], stream)

    names = split_names(fiches, fmt.suffix)
    report.outputs.extend(write_split_set(directory, [(name, content(fiche)) for name, fiche in zip(names, fiches, strict=True)], force=force))
