"""Writing outputs safely: atomic files, ``--split`` sets, and safe names.

An output is written to a temporary file beside its target, then renamed over
it: an error or an interruption never leaves a half-written file and never
destroys the previous one. What the target already is decides the details:

- a character device or a FIFO (``/dev/null``, a named pipe, ``/dev/stdout``)
  is written into directly: renaming over it would replace the device by a
  regular file;
- a symbolic link is followed: the file it points to is replaced atomically
  and the link stays a link;
- a file with other hard links is rewritten in place once the new content is
  complete (renaming would silently split the links);
- an existing file keeps its permissions and, where the system allows, its
  owner.

``--split`` writes a whole set of files (:func:`write_split_set`): all of them
into a hidden folder first, then moved in, with a manifest of what was written
so that a later run never overwrites a file it did not write.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .errors import OutputError, french_os_error
from .fr import counted, strip_accents
from .sources import STDIN

if TYPE_CHECKING:
    from .model import Fiche

__all__ = [
    "MANIFEST_NAME",
    "MAX_NAME_BYTES",
    "atomic_output",
    "check_not_an_input",
    "split_names",
    "write_split_set",
]

MAX_NAME_BYTES = 255
"""Longest file name, in bytes of UTF-8, on the usual file systems (ext4, NTFS, APFS: 255)."""
_MAX_STEM = 80
"""Longest ``--split`` name before its suffix, for readability (well under :data:`MAX_NAME_BYTES`)."""
_TEMP_NAME_BYTES = 100
"""How much of the target's name a temporary file repeats: enough to recognise it, short enough for any name."""
MANIFEST_NAME = ".fichekit-split.json"
"""The file in a ``--split`` folder naming what fichekit wrote there, with each file's SHA-256."""
# Names Windows reserves whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def _error(exc: OSError, path: Path) -> OutputError:
    return OutputError(french_os_error(exc, "écriture"), path=path)


def _cut_bytes(text: str, limit: int) -> str:
    """``text`` shortened to at most ``limit`` bytes of UTF-8, never inside a character."""
    return text.encode("utf-8", "surrogateescape")[:limit].decode("utf-8", "ignore")


def _stat(path: Path) -> os.stat_result | None:
    """What ``path`` points to (links followed), or None when nothing is there yet."""
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _error(exc, path) from None


@contextmanager
def atomic_output(path: str | Path) -> Iterator[BinaryIO]:
    """Open ``path`` for writing so that it appears whole or not at all (see the module doc)."""
    target = Path(path)
    existing = _stat(target)
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise OutputError("c'est un dossier, pas un fichier", path=target)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with _direct_output(target) as stream:
            yield stream
        return
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    directory = real.parent if str(real.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError("le dossier de sortie n'existe pas", path=target)
    # A stop signal (Ctrl-C, SIGTERM, SIGHUP) arriving while the temporary file is being created
    # would unwind before the clean-up below is in place and leave the file behind: such signals
    # wait until the clean-up is armed, and are raised inside it.
    deferred = _defer_stop_signals()
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{_cut_bytes(real.name, _TEMP_NAME_BYTES)}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        _restore_signals(deferred)
        raise _error(exc, target) from None
    try:
        _restore_signals(deferred)
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if existing is not None and existing.st_nlink > 1:
            _copy_in_place(Path(temp_name), real)
            os.unlink(temp_name)
        else:
            _take_over_metadata(temp_name, existing)
            os.replace(temp_name, real)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise _error(exc, target) from None
        raise


_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


def _defer_stop_signals() -> set[int | signal.Signals] | None:
    """Block the stop signals (POSIX), returning the previous mask; None where signals cannot be blocked."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)


def _restore_signals(previous: set[int | signal.Signals] | None) -> None:
    """Unblock: a stop signal that came meanwhile is delivered now, and its handler raises here."""
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def _direct_output(target: Path) -> Iterator[BinaryIO]:
    """Write straight into a device or a FIFO: there is no previous content to protect."""
    try:
        stream = open(target, "wb")  # noqa: SIM115 - closed below, its errors translated
    except OSError as exc:
        raise _error(exc, target) from None
    try:
        with stream:
            yield stream
            stream.flush()
    except OSError as exc:
        raise _error(exc, target) from None


def _take_over_metadata(temp_name: str, existing: os.stat_result | None) -> None:
    """Give the new file the old one's permissions and owner (or the umask's default for a new file)."""
    if existing is None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp_name, 0o666 & ~umask)
        return
    os.chmod(temp_name, stat.S_IMODE(existing.st_mode))
    if hasattr(os, "chown"):
        # Only root may give a file away: the new file is then the writer's.
        with contextlib.suppress(PermissionError):
            os.chown(temp_name, existing.st_uid, existing.st_gid)


def _copy_in_place(source: Path, target: Path) -> None:
    """Rewrite a hard-linked ``target`` with the complete ``source``, keeping its links, mode and owner."""
    with open(source, "rb") as new, open(target, "r+b") as old:
        shutil.copyfileobj(new, old, 1024 * 1024)
        old.truncate()
        old.flush()
        os.fsync(old.fileno())


def check_not_an_input(output: str | Path, inputs: Sequence[str]) -> None:
    """Refuse to write over one of the inputs, or (for ``--split``) into the folder that holds one."""
    out = Path(output)
    try:
        is_folder = out.is_dir()
    except OSError:
        return  # a name the system refuses: writing it will say why
    for name in inputs:
        if name == STDIN:
            continue
        try:
            if is_folder and Path(name).exists() and Path(name).resolve().parent.samefile(out):
                raise OutputError(
                    f"l'entrée {Path(name).name} est dans ce dossier : choisissez un dossier de sortie à part", path=output
                )
            if not is_folder and out.exists() and Path(name).exists() and out.samefile(name):
                raise OutputError("la sortie est aussi une entrée : choisissez un autre fichier", path=output)
        except OSError:
            continue


def _slug(text: str, limit: int) -> str:
    # Only œ is spelt out here: file names have always dropped æ, and changing that renames outputs.
    ascii_text = strip_accents(text.replace("œ", "oe").replace("Œ", "OE")).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return _cut_bytes(slug, limit).rstrip("-")


def split_names(fiches: list[Fiche], suffix: str) -> list[str]:
    """One safe, unique, readable file name per sheet, from its structures.

    Names are plain ASCII slugs (``epi-soleil-21.docx``): no separators, no
    leading dot, no Windows device name, at most 80 bytes before the suffix,
    and never more than :data:`MAX_NAME_BYTES` bytes with the suffix and the
    ``-2``, ``-3``… that repeats get, so they can never leave the output
    directory nor be refused by the file system. A sheet without structure is
    named ``fiche-N``.
    """
    counter_room = len(f"-{len(fiches) + 1}")
    limit = min(_MAX_STEM, MAX_NAME_BYTES - len(suffix.encode("utf-8")) - counter_room)
    names: list[str] = []
    used: set[str] = set()
    for index, fiche in enumerate(fiches, 1):
        label = " ".join(f"{s.nom} {' '.join(s.departements)}" for s in fiche.structures)
        stem = _slug(label, limit) or f"fiche-{index}"
        if stem in _RESERVED:
            stem = f"{stem}-fiche"
        candidate, counter = stem, 2
        while candidate.casefold() in used:
            candidate = f"{stem}-{counter}"
            counter += 1
        used.add(candidate.casefold())
        names.append(candidate + suffix)
    return names


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def _read_manifest(directory: Path) -> dict[str, set[str]]:
    """Names fichekit wrote in ``directory`` before, each with the hashes its content may have."""
    try:
        document = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
        files = document["fichiers"]
        return {str(name): {str(h) for h in hashes} for name, hashes in files.items() if isinstance(hashes, list)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # no (usable) manifest: every existing file counts as someone else's


def _write_manifest(directory: Path, files: dict[str, set[str]]) -> None:
    document = {
        "avertissement": "Écrit par fichekit convert --split : les fichiers qu'il a écrits ici. Ne pas modifier.",
        "fichiers": {name: sorted(hashes) for name, hashes in sorted(files.items())},
    }
    with atomic_output(directory / MANIFEST_NAME) as stream:
        stream.write((json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def _not_ours(directory: Path, names: Sequence[str], manifest: dict[str, set[str]]) -> list[str]:
    """Names about to be written whose current file fichekit did not write, or that changed since."""
    foreign = []
    for name in names:
        path = directory / name
        if not os.path.lexists(path):
            continue
        try:
            if not path.is_file() or _sha256(path) not in manifest.get(name, set()):
                foreign.append(name)
        except OSError as exc:
            raise _error(exc, path) from None
    return foreign


def write_split_set(
    directory: Path, files: Sequence[tuple[str, Callable[[BinaryIO], None]]], *, force: bool = False
) -> list[Path]:
    """Write ``files`` (name, function writing its content) into ``directory`` as one set.

    Every file is first written into a hidden folder inside ``directory``,
    then moved in: a failure half-way (disk full, a bad sheet, Ctrl-C) leaves
    the previous set as it was. A file already there that fichekit did not
    write in an earlier run, or that was edited since (its hash differs from
    the manifest's), is never overwritten unless ``force``. Files of the
    previous set that the new one no longer has are removed when unchanged.
    """
    if not directory.is_dir():
        raise OutputError("le dossier de sortie n'existe pas (créez-le d'abord)", path=directory)
    if not files:
        return []
    names = [name for name, _ in files]
    for name in names:
        if (directory / name).is_dir():
            raise OutputError(f"{name} est un dossier : rien n'a été écrit", path=directory)
    manifest = _read_manifest(directory)
    if not force and (foreign := _not_ours(directory, names, manifest)):
        others = f" (et {counted(len(foreign) - 1, 'autre')})" if len(foreign) > 1 else ""
        raise OutputError(
            f"{foreign[0]}{others} existe déjà et n'a pas été écrit par fichekit, ou a été modifié depuis : "
            "rien n'a été écrit (--force pour l'écraser)",
            path=directory,
        )
    try:
        staging = Path(tempfile.mkdtemp(prefix=".fichekit-split-", suffix=".tmp", dir=directory))
    except OSError as exc:
        raise _error(exc, directory) from None
    try:
        written = _write_staged(staging, files)
        # Until every file is moved, the manifest accepts both the old and the new content.
        _write_manifest(directory, {name: manifest.get(name, set()) | written.get(name, set()) for name in {*manifest, *written}})
        for name in names:
            os.replace(staging / name, directory / name)
        for name in set(manifest) - set(written):
            _remove_if_unchanged(directory / name, manifest[name])
        _write_manifest(directory, written)
    except OSError as exc:
        raise _error(exc, directory) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [directory / name for name in names]


def _write_staged(staging: Path, files: Sequence[tuple[str, Callable[[BinaryIO], None]]]) -> dict[str, set[str]]:
    written: dict[str, set[str]] = {}
    for name, write in files:
        path = staging / name
        with open(path, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        written[name] = {_sha256(path)}
    return written


def _remove_if_unchanged(path: Path, hashes: set[str]) -> None:
    try:
        if path.is_file() and _sha256(path) in hashes:
            path.unlink()
    except FileNotFoundError:
        pass
