"""Files, directories and stdin -> decoded lines.

Decoding policy: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise UTF-8 when the
whole file is valid UTF-8; otherwise UTF-16 without BOM when its NUL pattern
says so unambiguously; otherwise Windows-1252. ``encoding=`` forces one.
Files are read in chunks: memory stays bounded whatever their size.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .errors import InputError, french_os_error
from .plaintext import display_name
from .safety import bounded_lines, is_folder, text_encoding

__all__ = ["STDIN", "STDIN_NAME", "TextSource", "detect_encoding", "open_source"]

STDIN = "-"
STDIN_NAME = "<stdin>"
"""How messages and records name the standard input."""
_SNIFF_SIZE = 64 * 1024
_CHUNK = 1024 * 1024
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls that never appear in text exports (tab, LF, CR, FF are fine).
_BINARY_CONTROLS = frozenset(range(0, 9)) | {11} | frozenset(range(14, 32)) - {27}


@dataclass(frozen=True, slots=True)
class TextSource:
    """A readable text input: its display name and how to decode it."""

    name: str
    encoding: str
    path: Path | None = None
    data: bytes | None = None
    """Whole content, for stdin (which cannot be read twice)."""

    def lines(self) -> Iterator[str]:
        """Decoded lines without their line ending; CR, LF and CRLF all end a line."""
        stream: BinaryIO
        if self.data is not None:
            stream = io.BytesIO(self.data)
        else:
            assert self.path is not None
            stream = _open_binary(self.path, self.name)
        with stream, io.TextIOWrapper(stream, encoding=self.encoding, errors="strict", newline=None) as text:
            try:
                yield from bounded_lines(text, self.name)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"contenu illisible dans l'encodage {self.encoding} (octet {exc.start}) ; "
                    "précisez --encoding",
                    path=self.name,
                ) from None


def _open_binary(path: Path, name: str) -> BinaryIO:
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by the caller
    except FileNotFoundError:
        raise InputError("fichier introuvable", path=name) from None
    except IsADirectoryError:
        raise InputError("c'est un dossier, pas un fichier", path=name) from None
    except PermissionError:
        raise InputError("lecture interdite (permissions)", path=name) from None
    except OSError as exc:
        raise InputError(f"lecture impossible ({french_os_error(exc)})", path=name) from None


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit at every odd/even position of mostly-ASCII text."""
    sample = head[: len(head) - len(head) % 2]
    if len(sample) < 4:
        return None
    evens, odds = sample[0::2], sample[1::2]
    if odds.count(0) >= 0.9 * len(odds) and evens.count(0) == 0:
        return "utf-16-le"
    if evens.count(0) >= 0.9 * len(evens) and odds.count(0) == 0:
        return "utf-16-be"
    return None


def _is_valid_utf8(stream: BinaryIO, head: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head)
        while chunk := stream.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(stream: BinaryIO, name: str) -> str:
    """Choose the encoding of a binary stream positioned at its start (see module doc)."""
    head = stream.read(_SNIFF_SIZE)
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    if not head.strip():
        raise InputError("fichier vide", path=name)
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    if b"\x00" in head or sum(head.count(bytes([c])) for c in _BINARY_CONTROLS) > len(head) // 100:
        raise InputError("fichier binaire, pas un export texte", path=name)
    if _is_valid_utf8(stream, head):
        return "utf-8"
    return "cp1252"


def open_source(name: str, *, encoding: str | None = None, stdin: BinaryIO | None = None) -> TextSource:
    """Check an input (path or ``-``) and decide its encoding, without parsing it."""
    if encoding is not None:
        encoding = text_encoding(encoding, path=name)
    if name == STDIN:
        data = (stdin or sys.stdin.buffer).read()
        chosen = encoding or detect_encoding(io.BytesIO(data), STDIN_NAME)
        return TextSource(name=STDIN_NAME, encoding=chosen, data=data)
    path = Path(name)
    if is_folder(path):
        raise InputError("c'est un dossier, pas un fichier", path=name)
    with _open_binary(path, name) as stream:
        if encoding is None:
            encoding = detect_encoding(stream, name)
        elif os.fstat(stream.fileno()).st_size == 0:
            raise InputError("fichier vide", path=name)
    return TextSource(name=display_name(name), encoding=encoding, path=path)
