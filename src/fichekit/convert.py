"""Conversion of a collection of inputs to one output format.

Used by ``fichekit convert`` and ``fichekit parse``; callable from Python too.
Records stream from the readers to the writer (except for ``--split``, which
needs every name first), and every output is written atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from .api import iter_load
from .errors import FichekitError, OutputError
from .findings import Finding
from .model import Fiche
from .output import atomic_output, check_not_an_input, split_names, write_split_set
from .sources import TextSource, open_source
from .writers import Format, WriterOptions, get_writer

__all__ = ["ConvertReport", "convert", "iter_collection", "open_inputs"]

ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(input_name, input_index, sheets_so_far)`` after each sheet."""


@dataclass(slots=True)
class ConvertReport:
    """What a conversion did."""

    fiches: int = 0
    outputs: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def open_inputs(inputs: Iterable[str], encoding: str | None = None) -> tuple[dict[str, TextSource], list[FichekitError]]:
    """Open every input up front (nothing is parsed): the usable ones, and why the others are not.

    Passing the opened inputs on to :func:`convert` spares a second pass over
    each file to decide its encoding. Standard input is read when parsed.
    """
    opened: dict[str, TextSource] = {}
    errors: list[FichekitError] = []
    for name in inputs:
        if name == "-":
            continue
        try:
            opened[name] = open_source(name, encoding=encoding)
        except FichekitError as exc:
            errors.append(exc)
    return opened, errors


def iter_collection(
    inputs: Iterable[str],
    *,
    encoding: str | None = None,
    findings: list[Finding] | None = None,
    progress: ProgressCallback | None = None,
    stdin: BinaryIO | None = None,
    on_error: Callable[[FichekitError], None] | None = None,
    opened: Mapping[str, TextSource] | None = None,
) -> Iterator[Fiche]:
    """All records of all inputs, in order, lazily.

    By default the first failing input stops everything. With ``on_error``,
    each failure is handed to it and the next input is read.
    """
    count = 0
    for index, name in enumerate(inputs):
        try:
            source = opened.get(name) if opened is not None else None
            for fiche in iter_load(name, encoding=encoding, findings=findings, stdin=stdin, source=source):
                count += 1
                if progress is not None:
                    progress(name, index, count)
                yield fiche
        except FichekitError as exc:
            if on_error is None:
                raise
            on_error(exc)


def convert(
    inputs: list[str],
    fmt: Format,
    *,
    output: Path | None = None,
    split_dir: Path | None = None,
    stdout: BinaryIO | None = None,
    options: WriterOptions | None = None,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
    stdin: BinaryIO | None = None,
    opened: Mapping[str, TextSource] | None = None,
    force: bool = False,
) -> ConvertReport:
    """Convert ``inputs`` to ``fmt``: into ``output``, one file per sheet in ``split_dir``, or to ``stdout``.

    Raises a :class:`~fichekit.errors.FichekitError` on the first problem; no
    output file is then created or changed. ``force`` lets ``split_dir``
    overwrite files fichekit did not write there itself.
    """
    options = options or WriterOptions()
    report = ConvertReport(findings=options.findings)
    for target in (output, split_dir):
        if target is not None:
            check_not_an_input(target, inputs)
    counted = _counting(
        iter_collection(
            inputs, encoding=encoding, findings=report.findings, progress=progress, stdin=stdin, opened=opened
        ),
        report,
    )
    if split_dir is not None:
        _write_split(list(counted), fmt, split_dir, options, report, force=force)
    elif output is not None:
        with atomic_output(output) as stream:
            get_writer(fmt, options).write(counted, stream)
        report.outputs.append(output)
    else:
        if stdout is None:
            raise OutputError(f"le format {fmt.value} a besoin d'un fichier de sortie (-o)")
        get_writer(fmt, options).write(counted, stdout)
    return report


def _counting(fiches: Iterator[Fiche], report: ConvertReport) -> Iterator[Fiche]:
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
