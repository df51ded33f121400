"""Writing outputs safely: atomic files and safe names for ``--split``.

An output is written to a temporary file beside its target, then renamed over
it: an error or an interruption never leaves a half-written file and never
destroys the previous one.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError
from .model import Fiche

__all__ = ["atomic_output", "check_not_an_input", "split_names"]

_MAX_STEM = 80
# Names Windows reserves whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def _describe(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "écriture interdite (permissions)"
    if isinstance(exc, FileNotFoundError):
        return "le dossier de sortie n'existe pas"
    if isinstance(exc, IsADirectoryError):
        return "c'est un dossier, pas un fichier"
    return f"écriture impossible ({exc.strerror or exc})"


@contextmanager
def atomic_output(path: str | Path) -> Iterator[BinaryIO]:
    """Open ``path`` for writing so that it appears whole or not at all."""
    target = Path(path)
    if target.is_dir():
        raise OutputError("c'est un dossier, pas un fichier", path=target)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError("le dossier de sortie n'existe pas", path=target)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(_describe(exc), path=target) from None
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        try:
            mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException as exc:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(_describe(exc), path=target) from None
        raise


def check_not_an_input(output: str | Path, inputs: list[str]) -> None:
    """Refuse to write over one of the inputs."""
    out = Path(output)
    for name in inputs:
        if name == "-":
            continue
        try:
            if out.exists() and Path(name).exists() and out.samefile(name):
                raise OutputError("la sortie est aussi une entrée : choisissez un autre fichier", path=output)
        except OSError:
            continue


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:_MAX_STEM].rstrip("-")


def split_names(fiches: list[Fiche], suffix: str) -> list[str]:
    """One safe, unique, readable file name per sheet, from its structures.

    Names are plain ASCII slugs (``epi-soleil-21.docx``): no separators, no
    leading dot, no Windows device name, at most 80 characters before the
    suffix, so they can never leave the output directory. Repeats get ``-2``,
    ``-3``…; a sheet without structure is named ``fiche-N``.
    """
    names: list[str] = []
    used: set[str] = set()
    for index, fiche in enumerate(fiches, 1):
        label = " ".join(
            f"{s.nom} {' '.join(s.departements)}" for s in fiche.structures
        )
        stem = _slug(label) or f"fiche-{index}"
        if stem in _RESERVED:
            stem = f"{stem}-fiche"
        candidate, counter = stem, 2
        while candidate.casefold() in used:
            candidate = f"{stem}-{counter}"
            counter += 1
        used.add(candidate.casefold())
        names.append(candidate + suffix)
    return names
