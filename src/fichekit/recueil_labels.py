"""The words and small rules the Word recueil writer and the Word reader must agree on.

The recueil is read back by fichekit itself (a network edits the recueil in
Word, then converts it again), so every label the writer prints and the
reader recognises lives here, once. Plain strings and functions only: this
module imports nothing heavy (no python-docx), so any reader can use it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .fr import counted

__all__ = [
    "CONTINUATION_JOINER",
    "EMPTY_RECUEIL",
    "INTRODUCTION",
    "NOT_FILLED",
    "NO_STRUCTURE",
    "NO_THEME",
    "OUT_OF_SECTION",
    "PROJET",
    "SOMMAIRE",
    "THEMES_LIST",
    "TOC_HINT",
    "count_line",
    "join_continuations",
    "projet_has_label",
    "sheets_count",
    "split_continuations",
    "theme_number_label",
]

NO_THEME = "Sans thème"
"""Heading of the group of sheets that have no theme (Markdown, Word)."""
NO_STRUCTURE = "Sans structure"
"""Heading of a sheet that names no structure (Markdown, Word)."""
OUT_OF_SECTION = "Hors rubrique"
"""Heading of a sheet's text found under no rubrique (all sheets but the first: see INTRODUCTION)."""
NOT_FILLED = "Non renseigné"
"""Shown, in grey italics, under a rubrique left empty: the reader knows it by that formatting."""
PROJET = "Projet"
"""Bold label of the « Projet : … » line (see :func:`projet_has_label`)."""
SOMMAIRE = "Sommaire"
"""Heading of the table of contents."""
TOC_HINT = (
    "Numéros de page : dans Word, clic droit sur le sommaire › Mettre à jour les champs ; "
    "dans LibreOffice, Outils › Mettre à jour › Tout mettre à jour."
)
"""Grey line closing the pre-filled sommaire (Word replaces it when it updates the field)."""
EMPTY_RECUEIL = "Aucune fiche dans ce recueil."
"""The sommaire's only line when the collection holds no sheet."""
THEMES_LIST = "Thèmes abordés"
"""Title page: heading of the list of themes."""
INTRODUCTION = "Introduction"
"""Heading 1 after the sommaire holding the first sheet's text found under no rubrique.

That text was written before the first sheet of the export (a preamble):
the reader puts it back in the first sheet's ``hors_rubrique``.
"""

_THEME_NUMBER = "Thème n° {number}"

CONTINUATION_JOINER = " "
"""What a wrapped source line shows as inside an item.

An item's ``texte`` holds ``"\\n"`` where the source wrapped a line inside
one item. Word shows those as one flowing sentence, not hard line breaks:
each source line is its own ``w:t`` inside one run, every one but the last
ending with this joiner::

    <w:t xml:space="preserve">line one </w:t><w:t>line two</w:t>

python-docx's ``run.text`` gives ``"line one line two"``; the Word reader
gets ``"line one\\nline two"`` back with :func:`join_continuations`: a
boundary between two adjacent ``w:t`` of one run, the first ending with the
joiner, is a ``"\\n"`` (that one joiner removed). Word merges the ``w:t``
of a run when it saves the file, so the exact lines come back only from a
recueil not re-saved by Word; otherwise the text reads with spaces.
"""


def split_continuations(texte: str) -> list[str]:
    """The ``w:t`` texts of one item's run: its lines, each but the last ending with the joiner."""
    lines = texte.split("\n")
    return [line + CONTINUATION_JOINER for line in lines[:-1]] + [lines[-1]]


def join_continuations(pieces: Sequence[str]) -> str:
    """Inverse of :func:`split_continuations`: the texts of adjacent ``w:t`` elements of one run."""
    out: list[str] = []
    for index, piece in enumerate(pieces):
        if index < len(pieces) - 1 and piece.endswith(CONTINUATION_JOINER):
            out.append(piece[: -len(CONTINUATION_JOINER)] + "\n")
        else:
            out.append(piece)
    return "".join(out)


def theme_number_label(number: int) -> str:
    """The small label above a theme's heading: ``Thème n° 4``."""
    return _THEME_NUMBER.format(number=number)


def projet_has_label(projet: str) -> bool:
    """Whether the « Projet » line starts with the bold « Projet : » label.

    A projet written « projet MIAM » would read « Projet : projet MIAM »: when
    the text already starts with the word (any case), the line is the text
    alone, in bold like the label, so it still stands out as the sheet's
    projet. The reader takes a paragraph entirely in bold right under the
    sheet heading, starting with « projet », as the projet verbatim.
    """
    first = projet.split(maxsplit=1)[0] if projet.strip() else ""
    return first.casefold().rstrip(":") != PROJET.casefold()


def count_line(sheets: int, themes: int) -> str:
    """The title page's count line: ``11 fiches · 4 thèmes``."""
    return f"{counted(sheets, 'fiche')} · {counted(themes, 'thème')}"


def sheets_count(sheets: int) -> str:
    """``1 fiche``, ``3 fiches``: the count after each theme of the title page's list."""
    return counted(sheets, "fiche")
