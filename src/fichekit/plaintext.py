"""Text shown to people on one terminal line: file names and sheet text made harmless.

Sheets come from PDF conversions and Word exports, and file names from
unzipped archives: they can hold control characters, terminal escape
sequences, bidirectional overrides (U+202E makes « exe.txt » read
« txt.exe ») and, on Linux, bytes that are not UTF-8. Messages must show them
without letting them move the cursor, colour the terminal, start a new report
line or crash the UTF-8 output. Data outputs (JSON, CSV, Word…) keep the text
verbatim; only messages go through these functions.
"""

from __future__ import annotations

import os
import re

__all__ = ["display_name", "printable"]

_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029{_BIDI_CONTROLS}\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"  # half of a UTF-16 pair: nothing readable to show
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str, *, line_breaks: bool = False) -> str:
    """``text`` with every character that could act on a terminal written as a visible escape.

    Control characters become ``\\n``, ``\\x1b``, ``\\x07``…, bidirectional
    controls ``\\u202e``, lone surrogates U+FFFD; tabs and every printable
    character (accents, emoji, right-to-left letters) are kept as they are.
    ``line_breaks`` keeps CR and LF, for formats that escape them their own
    way (GitHub annotations).
    """
    if line_breaks:
        return _UNSAFE.sub(lambda match: match.group() if match.group() in "\r\n" else _escape(match), text)
    return _UNSAFE.sub(_escape, text)


def display_name(name: str) -> str:
    """A file name as text that can always be printed or stored in UTF-8.

    On Linux a name that is not UTF-8 (``b'\\x90picerie.txt'``, from a Windows
    archive) reaches Python with surrogate escapes; those bytes are shown as
    U+FFFD (``�picerie.txt``). Valid names are returned unchanged.
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = os.fsencode(name)
        except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
            raw = name.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "replace")
    return name
