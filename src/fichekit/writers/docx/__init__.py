"""The Word "recueil": every sheet of a collection in one .docx a network can send.

One concern per module:

- :mod:`.recueil`: the layout (title page, sommaire, themes, sheets);
- :mod:`.ooxml`: raw lxml builders for paragraphs, runs, fields, bookmarks;
- :mod:`.styles`: which style each kind of paragraph uses, numbered lists;
- :mod:`.template`: what may come from a user's template, checked and cleaned;
- :mod:`.settings`: language, fields updated on opening, file properties.

The house style is a real Word file, ``recueil.docx`` beside this module
(built by ``scripts/build_house_style.py``): it is the base document of
every recueil made without ``--template``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from importlib import resources
from typing import BinaryIO

import docx
from docx.document import Document

from ...model import Fiche
from ...records import FicheRecord, as_fiches
from .. import Format, WriterOptions
from .recueil import Recueil, french_date
from .styles import HouseStyle
from .template import MAX_TEMPLATE_BYTES, apply_template, read_template

__all__ = ["DocxWriter", "WRITERS", "MAX_TEMPLATE_BYTES", "french_date", "house_style"]

HOUSE_STYLE = "recueil.docx"
"""The house-style base document, package data of this package."""


def house_style() -> Document:
    """A fresh copy of the house-style base document."""
    data = resources.files(__name__).joinpath(HOUSE_STYLE).read_bytes()
    return docx.Document(io.BytesIO(data))


class DocxWriter:
    """The Word recueil (see :mod:`.recueil` for its layout)."""

    def __init__(self, options: WriterOptions) -> None:
        self.options = options

    def write(self, fiches: Iterable[Fiche | FicheRecord], out: BinaryIO) -> None:
        document = house_style()
        house = HouseStyle.of(document)
        if self.options.template is not None:
            apply_template(document, read_template(self.options.template))
        recueil = Recueil(document, self.options, house)
        for fiche in as_fiches(fiches):
            recueil.add_sheet(fiche)
        recueil.finish()
        document.save(out)


WRITERS = {Format.DOCX: DocxWriter}
