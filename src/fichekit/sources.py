"""Inputs: files, pipes and stdin, each opened once; their kind and, for text, their decoding.

Every input is opened **once**. Its first bytes (the *head*) are read at
opening, to decide its format (:mod:`fichekit.formats`: suffix first, content
only for stdin or an unknown suffix) and its encoding; reading then goes on
from the same stream. A regular file, which can be read again safely, is
closed after that first look and reopened to be read, so that checking a
thousand inputs up front holds no thousand descriptors; pipes, FIFOs,
``/dev/stdin``, process substitution and stdin stay open and are read exactly
once, as a stream, never whole.

Decoding policy: a BOM decides (UTF-8, UTF-16 LE/BE, UTF-32); otherwise UTF-16
without BOM when the NUL pattern of the head says so unambiguously; otherwise
UTF-8, where bytes that are not valid UTF-8 (a stray Windows-1252 ``é`` in a
UTF-8 export) are read as Windows-1252 one by one, with an FK108 warning naming
each line; and Windows-1252 for the whole file when its head holds invalid
UTF-8 and no valid multi-byte UTF-8 at all. ``encoding=`` forces one, strictly.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from .errors import InputError, french_os_error
from .findings import Code, Finding, make_finding
from .formats import UNSUPPORTED_SUFFIXES, Format, format_for_suffix, sniff_format
from .plaintext import display_name
from .safety import MAX_LINE_CHARS, is_folder, line_too_long, text_encoding

__all__ = ["STDIN", "STDIN_NAME", "Source", "detect_encoding", "open_source"]

STDIN = "-"
STDIN_NAME = "<stdin>"
"""How messages and records name the standard input."""

_HEAD_SIZE = 64 * 1024
_CHUNK = 1024 * 1024
_PROFILE_SIZE = 16 * 1024
MAX_BINARY_BYTES = 200 * 1024 * 1024
"""Largest Word or PDF document read (they are read whole)."""
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls that never appear in text exports (tab, LF, CR, FF and ESC are fine).
_BINARY_CONTROLS = bytes(sorted(set(range(0, 9)) | {11} | set(range(14, 32)) - {27}))
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_ESCAPED = re.compile("[\udc80-\udcff]")
_REPAIRED = "utf-8 (réparé)"
"""The encoding name of UTF-8 read with stray Windows-1252 bytes repaired."""
_MAX_REPAIR_FINDINGS = 10


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    # Windows-1252 leaves five bytes undefined; Windows itself maps them to C1 controls.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error("fichekit-latin1", _latin1_fallback)


def _repair_byte(match: re.Match[str]) -> str:
    return bytes([ord(match.group()) - 0xDC00]).decode("cp1252", "fichekit-latin1")


@dataclass(slots=True)
class Source:
    """One input, opened once: its name, format and (for text) encoding."""

    name: str
    """Display name: the path as given, or ``<stdin>``."""
    format: Format
    path: Path | None = None
    encoding: str | None = None
    """Decided or forced encoding of a text input; None for binary formats."""
    sniffed: bool = False
    """The format was guessed from the content (stdin, unknown suffix): errors say so."""
    forced_encoding: bool = False
    head: bytes = b""
    """The first bytes of the input, read when it was opened (readers profile them)."""
    _head: bytes = b""
    _stream: BinaryIO | None = None
    """Kept open for inputs that can be read only once (pipes, stdin)."""
    _owned: bool = False
    """``_stream`` was opened here (closed when read), rather than handed in (stdin)."""
    _single_pass: bool = field(default=False, repr=False)
    _consumed: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        self._single_pass = self._stream is not None

    def chunks(self) -> Iterator[bytes]:
        """The input's bytes from its start, in chunks; an input that is not a regular file only once."""
        if not self._single_pass:
            assert self.path is not None
            with _open_binary(self.path, self.name) as stream:
                yield from _read_chunks(stream, self.name)
            return
        if self._consumed or self._stream is None:
            raise InputError("entrée déjà lue (un tube ne se lit qu'une fois)", path=self.name)
        self._consumed = True
        try:
            if self._head:
                yield self._head
            yield from _read_chunks(self._stream, self.name)
        finally:
            self.close()

    def read_bytes(self, limit: int = MAX_BINARY_BYTES) -> bytes:
        """The whole input, refused beyond ``limit`` bytes (documents read whole: Word, PDF)."""
        parts: list[bytes] = []
        size = 0
        for chunk in self.chunks():
            size += len(chunk)
            if size > limit:
                raise InputError(f"fichier trop gros (plus de {limit // 1_048_576} Mo)", path=self.name)
            parts.append(chunk)
        return b"".join(parts)

    def lines(self, findings: list[Finding] | None = None) -> Iterator[str]:
        """Decoded lines without their line ending; CR, LF and CRLF all end a line.

        Repairs of stray bytes are reported to ``findings`` (FK108), one per line.
        """
        for batch in self.line_batches(findings):
            yield from batch

    def line_batches(self, findings: list[Finding] | None = None) -> Iterator[list[str]]:
        """:meth:`lines`, a decoded chunk's lines at a time: what the grammar reads, without a step per line."""
        assert self.encoding is not None, "lines() is for text inputs"
        return _decode_lines(self.chunks(), self.encoding, self.name, findings, self.forced_encoding)

    def head_text(self) -> str:
        """The head decoded (errors replaced): enough to profile how a text input was made."""
        if self.encoding is None:
            return ""
        encoding = "utf-8" if self.encoding == _REPAIRED else self.encoding
        return self.head.decode(encoding, "replace").replace("\r\n", "\n")

    def close(self) -> None:
        """Release a stream kept open for a single-pass input (nothing to do for regular files)."""
        stream, self._stream = self._stream, None
        if stream is not None and self._owned:
            stream.close()


def _stdin_buffer() -> BinaryIO:
    return sys.stdin.buffer


def _read_chunks(stream: BinaryIO, name: str) -> Iterator[bytes]:
    try:
        while chunk := stream.read(_CHUNK):
            yield chunk
    except OSError as exc:
        raise InputError(f"lecture impossible ({french_os_error(exc, 'lecture')})", path=name) from None


def _open_binary(path: Path, name: str) -> BinaryIO:
    try:
        return open(path, "rb")  # closed by the caller
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


def detect_encoding(head: bytes, name: str) -> str:
    """Choose the encoding of a text input from its first bytes (see the module doc)."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    controls = len(head) - len(head.translate(None, _BINARY_CONTROLS))
    if b"\x00" in head or controls > len(head) // 100:
        raise InputError("fichier binaire, pas un export texte", path=name)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return _REPAIRED if _UTF8_MULTIBYTE.search(head) else "cp1252"
    return "utf-8"


def _decoder(encoding: str, forced: bool) -> codecs.IncrementalDecoder:
    if encoding == _REPAIRED or (encoding == "utf-8" and not forced):
        return codecs.getincrementaldecoder("utf-8")("surrogateescape")
    if encoding == "cp1252":
        return codecs.getincrementaldecoder("cp1252")("fichekit-latin1")
    return codecs.getincrementaldecoder(encoding)("strict")


def _decode_lines(
    chunks: Iterator[bytes], encoding: str, name: str, findings: list[Finding] | None, forced: bool
) -> Iterator[list[str]]:
    """Decode, translate line endings and split, chunk by chunk (splitting in C is the fast path):
    the lines of each chunk, as one list.

    A line longer than a chunk is joined once, not re-copied per chunk, so
    long lines stay linear; one longer than :data:`MAX_LINE_CHARS` is refused.
    """
    decoder = _decoder(encoding, forced)
    pending: list[str] = []
    pending_size = 0
    pending_dirty = False
    """The line carried over to the next chunk holds bytes to repair."""
    line_no = 0
    offset = 0
    repairs = 0
    carry_cr = False
    final = False
    source = iter(chunks)
    while not final:
        chunk = next(source, None)
        final = chunk is None
        buffered = len(decoder.getstate()[0])
        try:
            text = decoder.decode(chunk or b"", final=final)
        except UnicodeDecodeError as exc:
            position = offset - buffered + exc.start
            raise InputError(
                f"contenu illisible dans l'encodage {encoding} (octet {position}) ; précisez --encoding",
                path=name,
            ) from None
        offset += len(chunk or b"")
        if carry_cr:
            text = "\r" + text
        carry_cr = text.endswith("\r") and not final
        if carry_cr:
            text = text[:-1]
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text and not final:
            continue
        lines = text.split("\n")
        dirty = _ESCAPED.search(text) is not None
        if pending:
            pending.append(lines[0])
            lines[0] = "".join(pending)
            dirty = dirty or pending_dirty
            pending = []
            pending_size = 0
            pending_dirty = False
        if not final:
            tail = lines.pop()
            pending.append(tail)
            pending_size += len(tail)
            pending_dirty = dirty and _ESCAPED.search(tail) is not None
            if lines and len(lines[0]) > MAX_LINE_CHARS:
                raise line_too_long(name, line_no + 1)
            if pending_size > MAX_LINE_CHARS:
                raise line_too_long(name, line_no + len(lines) + 1)
        elif lines and lines[-1] == "":
            lines.pop()
        if dirty:
            for index, line in enumerate(lines):
                if _ESCAPED.search(line) is not None:
                    lines[index] = _ESCAPED.sub(_repair_byte, line)
                    repairs += 1
                    if findings is not None and repairs <= _MAX_REPAIR_FINDINGS:
                        findings.append(
                            make_finding(
                                Code.ENCODING_REPAIRED,
                                name,
                                "octets invalides en UTF-8 lus comme du Windows-1252 "
                                f"(« {lines[index].strip()[:60]} ») : vérifiez ce passage",
                                line=line_no + index + 1,
                                column=1,
                            )
                        )
        line_no += len(lines)
        if lines:
            yield lines
    if findings is not None and repairs > _MAX_REPAIR_FINDINGS:
        findings.append(
            make_finding(
                Code.ENCODING_REPAIRED,
                name,
                f"{repairs - _MAX_REPAIR_FINDINGS} autres lignes réparées de la même façon : "
                "le fichier mélange peut-être deux encodages (précisez --encoding)",
            )
        )


def _read_head(stream: BinaryIO, name: str) -> bytes:
    try:
        return stream.read(_HEAD_SIZE)
    except OSError as exc:
        raise InputError(f"lecture impossible ({french_os_error(exc, 'lecture')})", path=name) from None


_MARKDOWN_STRUCTURE = re.compile(rb"(?m)^ {0,3}#{1,3}[ \t]+\S|<!-- ?fichekit")
"""What makes a « .md » file a Markdown of sheets: a ``#``, ``##`` or ``###`` heading, or fichekit's comment."""


def _choose_format(name: str, path: Path | None, head: bytes, forced: Format | None) -> tuple[Format, bool]:
    if forced is not None:
        return forced, False
    if path is not None:
        suffix = path.suffix.lower()
        if suffix in UNSUPPORTED_SUFFIXES:
            raise InputError(f"fichekit ne lit pas ce {UNSUPPORTED_SUFFIXES[suffix]}", path=name)
        by_suffix = format_for_suffix(path)
        if by_suffix is Format.MD and not _MARKDOWN_STRUCTURE.search(head):
            # A « .md » with no « # » heading nor fichekit comment: an export saved under that name,
            # which the raw grammar reads (« **Localisation :** Dijon » included).
            return Format.TXT, False
        if by_suffix is not None:
            if by_suffix.spec.reader is None:
                raise InputError(
                    f"fichekit écrit le {by_suffix.label} mais ne le lit pas : donnez l'export, le Word ou le JSON d'origine",
                    path=name,
                )
            return by_suffix, False
    sniffed = sniff_format(head)
    if not isinstance(sniffed, Format):
        raise InputError(f"fichekit ne lit pas ce {sniffed}", path=name)
    if sniffed.spec.reader is None:
        raise InputError(f"fichekit ne sait pas encore lire ce {sniffed.label}", path=name)
    return sniffed, True


def open_source(
    name: str,
    *,
    encoding: str | None = None,
    stdin: BinaryIO | None = None,
    format: Format | None = None,
) -> Source:
    """Open an input (a path, or ``-`` for stdin), decide its format and encoding, without parsing it.

    Raises :class:`~fichekit.errors.InputError` for an input that cannot be
    read: missing, a directory, empty, binary where text is expected, an
    unknown encoding, a document kind fichekit does not read.
    """
    if encoding is not None:
        encoding = text_encoding(encoding, path=display_name(name))
    stream: BinaryIO
    path: Path | None = None
    keep_open = True
    if name == STDIN:
        display = STDIN_NAME
        stream = stdin if stdin is not None else _stdin_buffer()
    else:
        display = display_name(name)
        path = Path(name)
        if is_folder(path):
            raise InputError("c'est un dossier, pas un fichier", path=display)
        stream = _open_binary(path, display)
        try:
            info = os.fstat(stream.fileno())
        except OSError:
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode):
            stream.close()
            raise InputError("c'est un dossier, pas un fichier", path=name)
        keep_open = info is None or not stat.S_ISREG(info.st_mode)
    try:
        head = _read_head(stream, display)
        chosen, sniffed = _choose_format(display, path, head, format)
        if len(head) < _HEAD_SIZE and not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
            raise InputError("fichier vide", path=display)
        decided: str | None = None
        if not chosen.is_binary:
            decided = encoding or detect_encoding(head, display)
    except BaseException:
        if name != STDIN:
            stream.close()
        raise
    if not keep_open:
        stream.close()
        return Source(display, chosen, path, decided, sniffed, encoding is not None, head[:_PROFILE_SIZE])
    return Source(
        display, chosen, path, decided, sniffed, encoding is not None, head[:_PROFILE_SIZE], head, stream, name != STDIN
    )


def source_from_bytes(data: bytes, name: str, fmt: Format, encoding: str | None = None) -> Source:
    """A source over bytes already in memory (a string given to :func:`fichekit.loads`)."""
    import io

    decided = None if fmt.is_binary else (encoding or detect_encoding(data[:_HEAD_SIZE], name))
    return Source(name, fmt, None, decided, False, encoding is not None, data[:_PROFILE_SIZE], data, io.BytesIO(b""), False)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path a directory walk did not read, and why (reported, never silently ignored)."""

    path: str
    reason: str
    """French, for messages."""
    error: bool = False
    """True when nothing at all could be read there (an empty or unreadable folder)."""


_SNIFF_MARKDOWN = 64 * 1024


def looks_like_fiche_markdown(path: Path) -> bool:
    """Whether a Markdown file met in a directory walk holds sheets (not a README).

    Yes when it carries fichekit's metadata comment, a ``###`` line that is one
    of the 13 headings, or a bold one with its colon (``**Localisation :** Dijon``).
    Files named explicitly are always read.
    """
    from .headings import match_heading

    try:
        with open(path, "rb") as stream:
            head = stream.read(_SNIFF_MARKDOWN).decode("utf-8", "replace")
    except OSError:
        return True  # let reading report why it cannot be read
    fence: str | None = None
    for line in head.splitlines():
        marker = line.lstrip(" ")[:3]
        if marker in ("```", "~~~"):
            fence = None if fence == marker else fence or marker
            continue
        if fence is not None:
            continue  # an example in a code block (a README showing a sheet) is not a sheet
        if line.startswith("<!-- fichekit"):
            return True
        if line.startswith("### ") and match_heading(line[4:].strip()) is not None:
            return True
        if line.startswith("**") and (found := match_heading(line.strip())) is not None and found.closed:
            return True  # « **Localisation :** Dijon », a sheet written by hand
    return False


def walk_inputs(paths: list[str]) -> Iterator[str | Skipped]:
    """Expand directories into the files fichekit reads, recursively, sorted; files and ``-`` as given.

    Hidden files and folders are passed over; anything else left out (a file of
    no known kind, a Markdown file holding no sheet, a symlinked folder, an
    unreadable folder) comes back as :class:`Skipped`, and a folder with nothing
    to read as a :class:`Skipped` error. The walk is iterative: depth is no limit.
    """
    from .formats import readable_kinds, readable_suffixes

    suffixes = readable_suffixes()
    for given in paths:
        if given == STDIN or not os.path.isdir(given):
            yield given
            continue
        found = False
        stack = [given]
        while stack:
            folder = stack.pop()
            try:
                with os.scandir(folder) as entries:
                    listing = sorted(entries, key=lambda entry: entry.name)
            except OSError as exc:
                yield Skipped(display_name(folder), f"dossier illisible ({french_os_error(exc, 'lecture')})")
                continue
            subfolders: list[str] = []
            for entry in listing:
                if entry.name.startswith("."):
                    continue
                try:
                    is_link = entry.is_symlink()
                    is_dir = entry.is_dir()
                    is_file = entry.is_file()
                except OSError as exc:
                    yield Skipped(display_name(entry.path), f"illisible ({french_os_error(exc, 'lecture')}) : ignoré")
                    continue
                if is_dir:
                    if is_link:
                        yield Skipped(display_name(entry.path), "lien symbolique vers un dossier : non parcouru")
                    else:
                        subfolders.append(entry.path)
                    continue
                if not is_file:
                    # A FIFO or a device in a folder would block the walk: only named ones are read.
                    yield Skipped(display_name(entry.path), "pas un fichier ordinaire (tube, périphérique) : ignoré")
                    continue
                suffix = os.path.splitext(entry.name)[1].lower()
                if suffix in UNSUPPORTED_SUFFIXES:
                    yield Skipped(display_name(entry.path), f"non lu : {UNSUPPORTED_SUFFIXES[suffix]}")
                    continue
                if suffix not in suffixes:
                    yield Skipped(display_name(entry.path), "format inconnu : ignoré")
                    continue
                if suffix in (".md", ".markdown") and not looks_like_fiche_markdown(Path(entry.path)):
                    yield Skipped(display_name(entry.path), "Markdown sans fiche (notes, README) : ignoré")
                    continue
                found = True
                yield entry.path
            stack.extend(reversed(subfolders))
        if not found:
            yield Skipped(display_name(given), f"aucun fichier de fiches dans ce dossier ({readable_kinds()}) : rien à lire", error=True)
