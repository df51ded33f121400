"""What fichekit's Markdown writer and reader must agree on, in one place.

The writer (:mod:`fichekit.writers.markdown`) escapes the users' text so that
a CommonMark renderer shows exactly it; the reader
(:mod:`fichekit.readers.markdown`) undoes exactly that escaping and
recognises the few lines the writer adds (the metadata comment, the
``**Projet :**`` line, the headings it renders from the metadata). Keeping
both sides here is what makes the round trip exact: change a rule on one side
and its inverse sits a few lines away.

Neither side imports the other: both import this module.
"""

from __future__ import annotations

import json
import re
from html.entities import html5

from .model import Fiche, Structure
from .recueil_labels import NO_STRUCTURE, NO_THEME

__all__ = [
    "EMPTY_LINE",
    "FRONT_MATTER_CLOSE",
    "FRONT_MATTER_KEYS",
    "FRONT_MATTER_OPEN",
    "METADATA_COMMENT",
    "METADATA_KEYS",
    "METADATA_PREFIX",
    "METADATA_SUFFIX",
    "NO_STRUCTURE",
    "NO_THEME",
    "PROJET_LABEL",
    "PROJET_LINE",
    "escape_inline",
    "escape_line",
    "fold_spacing",
    "heading_text",
    "line_text",
    "metadata_comment",
    "projet_lines",
    "structures_heading",
    "theme_heading",
    "unescape",
]

PROJET_LABEL = "**Projet :**"
"""How the writer opens the projet line."""
PROJET_LINE = re.compile(r"\*\*projet[ \t]*(?::[ \t]*\*\*|\*\*[ \t]*:)(?P<rest>.*)", re.IGNORECASE)
"""What the reader accepts as a projet line (trimmed): the label, or a hand-typed ``**Projet** :``, any case."""
EMPTY_LINE = "\\"
"""How an empty line inside a text is written: a hard line break, as a blank line would end the block."""
METADATA_KEYS: tuple[str, ...] = ("theme", "theme_number", "structures", "projet")
"""The fields the comment under each ``##`` carries."""
METADATA_PREFIX = "<!-- fichekit: "
METADATA_SUFFIX = " -->"
METADATA_COMMENT = re.compile(r" {0,3}<!--[ \t]*fichekit:[ \t]*(?P<json>.*?)[ \t]*-->[ \t]*")
"""A whole line the reader takes as a metadata comment: the writer's, or one whose spacing was edited."""
FRONT_MATTER_OPEN = "---"
"""The first line of YAML front matter (``--split`` pages); the reader skips the block."""
FRONT_MATTER_CLOSE = ("---", "...")
"""Lines that end front matter (YAML allows ``...`` too)."""
FRONT_MATTER_KEYS = ("title", "theme", "theme_number", "structures", "departements", "projet", "localisation", "tags")
"""The keys of the writer's front matter, all made from the page body: reading them back adds nothing."""

# -- writing ---------------------------------------------------------------------------------

# Inline markup: always \ ` * [ ~ |; "_" unless inside a word (where it can
# neither open nor close emphasis, so snake_case stays readable); "<" before a
# tag or autolink; "&" before an entity-like name; CR, which would end the line.
_INLINE = re.compile(
    r"[\\`*\[~|\r]|(?<![^\W_])_|_(?![^\W_])|<(?=[A-Za-z/!?])"
    r"|&(?=(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)"
)
# Line starts CommonMark reads as structure: ATX heading, block quote, bullet,
# thematic break or setext underline. The first character gets a backslash.
_BLOCK_START = re.compile(r"#{1,6}(?:[ \t]|$)|>|[-+](?:[ \t]|$)|-[- \t]*$|=[= \t]*$")
_ORDERED_START = re.compile(r"(\d{1,9})[.)](?:[ \t]|$)")
# Whitespace renderers trim at the edges of a line: spaces, tabs, CR and Unicode
# spaces, not the control characters Python also counts as whitespace (a
# character reference to those is not valid HTML).
_EDGE_SPACE = r"[^\S\n\x0b\x0c\x1c-\x1f\x85]"
_LEADING_SPACE = re.compile(f"{_EDGE_SPACE}*")
_TRAILING_SPACE = re.compile(f"{_EDGE_SPACE}*$")
_SPACING = re.compile(r"\s+")


def _escape_match(match: re.Match[str]) -> str:
    char = match.group()
    return "&#13;" if char == "\r" else "\\" + char


def escape_inline(text: str) -> str:
    """Backslash what CommonMark would read as inline markup in ``text`` (one line)."""
    return _INLINE.sub(_escape_match, text)


def _split_edges(line: str) -> tuple[str, str, str]:
    lead = _LEADING_SPACE.match(line).group()  # type: ignore[union-attr]  # a starred pattern always matches
    trail = _TRAILING_SPACE.search(line, len(lead)).group()  # type: ignore[union-attr]  # a starred pattern always matches
    return lead, line[len(lead) : len(line) - len(trail)], trail


def _entities(whitespace: str) -> str:
    """Edge whitespace as character references: renderers trim it (some trim any Unicode space)."""
    return "".join(f"&#{ord(char)};" for char in whitespace)


def escape_line(line: str, *, line_start: bool = True) -> str:
    """One line of a text, escaped; ``line_start`` when it begins a Markdown line or list item."""
    if not line and line_start:
        return EMPTY_LINE
    # Most lines have no whitespace at their edges: skip the two searches.
    lead, core, trail = _split_edges(line) if line[:1].isspace() or line[-1:].isspace() else ("", line, "")
    escaped = escape_inline(core)
    if line_start and not lead:
        if _BLOCK_START.match(core):
            escaped = "\\" + escaped
        elif (ordered := _ORDERED_START.match(core)) is not None:
            # Digits are never escaped, so the marker's position is the same in both strings.
            digits = len(ordered.group(1))
            escaped = f"{escaped[:digits]}\\{escaped[digits:]}"
    return _entities(lead) + escaped + _entities(trail)


def _heading_text(text: str) -> str:
    """Heading content: one line (line breaks become spaces; the comment keeps them)."""
    lead, core, trail = _split_edges(text.replace("\r", " ").replace("\n", " "))
    escaped = escape_inline(core)
    if not trail and core.endswith("#"):
        # A trailing run of "#" would be read as the optional closing sequence.
        run = len(core) - len(core.rstrip("#"))
        escaped = f"{escaped[:-run]}\\{escaped[-run:]}"
    return _entities(lead) + escaped + _entities(trail)


def fold_spacing(text: str) -> str:
    """``text`` with every run of (no-break, thin…) spaces as one space: how headings are compared."""
    return _SPACING.sub(" ", text).strip()


def theme_heading(theme: str | None) -> str:
    """Content of the ``#`` heading of ``theme`` (escaped Markdown)."""
    return NO_THEME if theme is None else _heading_text(theme)


def structures_heading(structures: list[Structure]) -> str:
    """Content of the ``##`` heading of a sheet with ``structures`` (escaped Markdown)."""
    return NO_STRUCTURE if not structures else _heading_text(Fiche(structures=structures).structures_heading())


def projet_lines(projet: str) -> list[str]:
    """The ``**Projet :** …`` line, and the projet's further lines if it has several."""
    first, *rest = projet.split("\n")
    head = f"{PROJET_LABEL} {escape_line(first, line_start=False)}" if first else PROJET_LABEL
    return [head, *(escape_line(line) for line in rest)]


def metadata_comment(fiche: Fiche) -> str:
    """The ``<!-- fichekit: {…} -->`` line: the sheet's metadata as JSON, safe inside a comment."""
    data = {
        "theme": fiche.theme,
        "theme_number": fiche.theme_number,
        "structures": [{"nom": s.nom, "departements": s.departements} for s in fiche.structures],
        "projet": fiche.projet,
    }
    text = json.dumps(data, ensure_ascii=False)
    # "--" only occurs inside JSON strings, where "\u002d" is the same hyphen.
    return METADATA_PREFIX + text.replace("--", "-\\u002d") + METADATA_SUFFIX


# -- reading ---------------------------------------------------------------------------------

_ESCAPE_OR_REFERENCE = re.compile(
    r"\\(?P<char>[!-/:-@\[-`{-~])|&(?P<ref>#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_CLOSING_SEQUENCE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")


def _decode(match: re.Match[str]) -> str:
    if match.group("char") is not None:
        return match.group("char")
    ref = match.group("ref")
    if ref.startswith("#"):
        code = int(ref[2:], 16) if ref[1:2] in ("x", "X") else int(ref[1:])
        # As CommonMark: NUL and invalid code points become U+FFFD.
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return html5.get(f"{ref};", match.group(0))


def unescape(text: str) -> str:
    """Decode CommonMark backslash escapes and character references (``&#32;``, ``&eacute;``)."""
    return _ESCAPE_OR_REFERENCE.sub(_decode, text)


def line_text(raw: str) -> str:
    """The text of one Markdown line: edges trimmed, a trailing hard break dropped, unescaped.

    The inverse of :func:`escape_line`: a lone backslash (:data:`EMPTY_LINE`)
    is an empty line, entities give back the edge whitespace.
    """
    text = raw.strip(" \t")
    trailing = len(text) - len(text.rstrip("\\"))
    if trailing % 2:
        # An unescaped backslash at the end is a hard line break (alone: EMPTY_LINE).
        text = text[:-1]
    return unescape(text)


def heading_text(raw: str | None) -> str:
    """ATX heading content, raw Markdown, without the optional closing ``#`` sequence.

    The inverse of the writer's heading escaping, before :func:`unescape`.
    """
    content = (raw or "").strip(" \t")
    closing = _CLOSING_SEQUENCE.search(content)
    if closing is not None:
        content = content[: closing.start()]
    return content
