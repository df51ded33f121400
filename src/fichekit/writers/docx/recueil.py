"""The recueil's layout: title page, sommaire, introduction, themes and their sheets.

Layout:

- a title page: title, then the author (``WriterOptions.author``) and the
  date in French (``WriterOptions.date``, default today), the count line
  (« 11 fiches · 4 thèmes ») and the themes; no running header nor page
  number on it (``w:titlePg``);
- « Sommaire »: a real Word TOC field (levels 1-2: themes and sheets). Its
  result is pre-filled with the theme and sheet titles, as hyperlinks to their
  headings but without page numbers, followed by a short French hint; Word
  offers to update fields on opening (``w:updateFields``) and then adds the
  numbers. Level 3 (the 13 rubriques) is left out on purpose: the same 13
  titles under every sheet would make the sommaire 13 times longer and no
  more useful;
- « Introduction » (a Heading 1, in the sommaire): the first sheet's text
  found under no heading. In an export that is what was written before the
  first sheet, a preamble to the whole collection, not part of that sheet;
  the Word reader puts it back in the first sheet's ``hors_rubrique``. A
  single sheet's file (``--split``) has no introduction: its text found under
  no heading stays in the sheet, under « Hors rubrique », like any other
  sheet's (and reads back to the same field);
- one Heading 1 per theme, grouped by first appearance (« Sans thème » for
  sheets without one), starting a new page; the theme number, when the sheets
  carry one, is a small « Thème n° 4 » label above it;
- each sheet on its own page: Heading 2 = structures with their départements,
  then the projet and « Localisation : … » as bold-label lines, the text
  found under no heading (« Hors rubrique », so nothing is lost), then the
  other 12 rubriques as Heading 3 under their canonical titles.

Continuation pages carry the current theme as a running header (a
``STYLEREF 1`` field: the last Heading 1 met) and « Page X sur Y » in the
footer (both in the house style; a template keeps its own header and footer,
given a page number when its footer has none). With ``WriterOptions.single``
(one sheet per file, ``--split``) there is no title page nor sommaire.

Theme numbers: the label « Thème n° 2 » above a theme's heading is the number
its first sheet carries; a later sheet of the theme that carries one too gets
the same small label above its own heading (so reading the recueil back gives
every sheet its number, and no sheet one it did not have). A number labels one
theme only: exports merged together may give the same number to two different
themes (each workshop numbers its own questions); the first theme to carry it
keeps it and the other theme's sheets show no number. So no two themes ever
read « Thème n° 2 ».

The projet line: « Projet : texte » with a bold label, unless the text itself
starts with the word « projet » (« projet MIAM »): then it is printed alone
in the label's bold, rather than « Projet : projet MIAM »
(:func:`~fichekit.recueil_labels.projet_has_label`).

Empty rubriques keep their heading followed by a discreet grey italic
« Non renseigné »: the rubriques form a fixed grid that readers compare from
one sheet to the next, and an empty one is information.

Items: « puce » → List Bullet, « numero » → List Number (numbering restarts
at 1 for every list), « paragraphe » → Normal. An item's ``"\\n"`` (a source
line wrapped inside the item) shows as a space, each line its own ``w:t``, so
that fichekit reads the exact text back
(:data:`~fichekit.recueil_labels.CONTINUATION_JOINER`); several localisation
items are separate lines of their paragraph (``w:br``). Characters XML
cannot hold are removed and reported as findings (FK105), never a crash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from docx.document import Document
from lxml import etree

from ...findings import DEFAULT_SEVERITY, Code, Finding
from ...grammar.markers import split_marker
from ...headings import HEADING_BY_KEY
from ...model import Fiche, Item, ItemType
from ...recueil_labels import (
    EMPTY_RECUEIL,
    INTRODUCTION,
    NO_STRUCTURE,
    NO_THEME,
    NOT_FILLED,
    OUT_OF_SECTION,
    PROJET,
    SOMMAIRE,
    THEMES_LIST,
    TOC_HINT,
    count_line,
    projet_has_label,
    sheets_count,
    theme_number_label,
)
from .. import WriterOptions
from .ooxml import (
    FORBIDDEN,
    W_NS,
    W,
    bookmark,
    bookmark_name,
    field_char,
    flowing_run,
    instruction,
    paragraph,
    run_properties,
    text_run,
)
from .settings import drop_stale_parts, fill_running_header, set_core_properties, set_language, set_update_fields
from .styles import HouseStyle, Numbering, Styles

__all__ = ["Recueil", "french_date", "structures_heading"]

_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

TOC_INSTRUCTION = ' TOC \\o "1-2" \\h \\z \\u '
_GREY = "767676"
_DARK_BLUE = "1F3864"
_BLUE = "2E75B6"


def french_date(day: dt.date) -> str:
    """``25 novembre 2026``; the first of the month is written ``1er``."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {_MONTHS[day.month - 1]} {day.year}"


def _clear_body(document: Document) -> etree._Element | None:
    """Remove the body's content; return its final sectPr (page setup, header and footer), detached."""
    body = document.element.body
    last = body[-1] if len(body) else None
    section = last if last is not None and last.tag == f"{W}sectPr" else None
    for child in list(body):
        body.remove(child)
    return section


def _container() -> etree._Element:
    """Where paragraphs are built before they take their place in the body."""
    return etree.Element(f"{W}body", nsmap={"w": W_NS})


def structures_heading(fiche: Fiche) -> str:
    """The sheet's Heading 2: ``Civam Le Serpolet (39) et Active (BFC)``."""
    return fiche.structures_heading() or NO_STRUCTURE


@dataclass(slots=True)
class _Theme:
    """One theme group: its sheets' paragraphs are built in ``container`` as they stream in."""

    title: str
    bookmark: int
    container: etree._Element
    number: int | None = None
    """The number shown above the theme's heading: its first sheet's (see the module docstring)."""
    sheets: list[tuple[str, int]] = field(default_factory=list)
    """(Heading 2 text, bookmark number) of each sheet, for the sommaire."""


class _Cleaner:
    """Removes characters XML cannot hold, noting where, for one finding per sheet and place."""

    def __init__(self) -> None:
        self.removed: dict[tuple[str, int | None], set[str]] = {}

    def __call__(self, text: str, place: str, line: int | None) -> str:
        if FORBIDDEN.search(text) is None:
            return text
        self.removed.setdefault((place, line), set()).update(FORBIDDEN.findall(text))
        return FORBIDDEN.sub("", text)

    def findings(self, file: str, subject: str) -> Iterator[Finding]:
        """One finding per place where something was removed since the last call."""
        for (place, line), chars in self.removed.items():
            codes = ", ".join(f"U+{ord(c):04X}" for c in sorted(chars))
            yield Finding(
                code=Code.CONTROL_CHARACTERS,
                severity=DEFAULT_SEVERITY[Code.CONTROL_CHARACTERS],
                file=file,
                line=line,
                message=(
                    f"caractères de contrôle retirés du recueil Word ({codes}) : {subject}, {place} ; "
                    "corrigez le texte source si ces caractères avaient un sens"
                ),
            )
        self.removed.clear()


def _fits_a_label(items: list[Item]) -> bool:
    """Whether « Localisation » reads as one labelled line: empty, or one paragraph that
    reads back as written (several places, or a list, get the rubrique's own heading)."""
    if not items:
        return True
    if len(items) > 1 or items[0].type is not ItemType.PARAGRAPHE:
        return False
    return split_marker(items[0].texte) == (ItemType.PARAGRAPHE, items[0].texte)


def _theme_key(theme: str | None) -> str | None:
    """Themes differing only by spacing (no-break spaces before « ? ») or case are one group."""
    return " ".join(theme.split()).casefold() if theme is not None else None


class Recueil:
    """One document being built: sheets stream in, the front matter is written once all are known."""

    def __init__(self, document: Document, options: WriterOptions, house: HouseStyle) -> None:
        self.document = document
        self.options = options
        self.section = _clear_body(document)
        styles = Styles(document, house, options.template, options.findings)
        self._ids = styles.ids
        self._numbering = Numbering(document, styles)
        # Labels take fichekit's colours only in fichekit's own look: a template's colours rule otherwise.
        self._dark = _DARK_BLUE if options.template is None else None
        self._light = _BLUE if options.template is None else None
        self._cleaner = _Cleaner()
        self._themes: dict[str | None, _Theme] = {}
        self._numbered: dict[int, str | None] = {}
        """Theme number -> key of the theme that shows it (a number labels one theme only)."""
        self._introduction: etree._Element | None = None
        """The first sheet's text found under no heading (not with ``single``)."""
        self._introduction_bookmark = 0
        self._bookmarks = 0
        self._count = 0

    def finish(self) -> None:
        """Title page, sommaire, introduction and the theme groups in order of first appearance; settings."""
        document = self.document
        body = document.element.body
        themes = list(self._themes.values())
        title = self._clean_option(self.options.title, "titre", "--title")
        if not self.options.single:
            self._title_page(body, title, themes)
            self._sommaire(body, themes)
        if self._introduction is not None:
            self._introduction_heading(body)
            body.extend(list(self._introduction))
        for theme in themes:
            self._theme_heading(body, theme)
            body.extend(list(theme.container))
        if self.section is not None:
            if self.options.single:  # no title page: the first page shows the header and page number too
                for title_page in self.section.findall(f"{W}titlePg"):
                    self.section.remove(title_page)
            body.append(self.section)
        fill_running_header(document, title)
        set_language(document)
        set_update_fields(document)
        set_core_properties(document, title, self._count)
        drop_stale_parts(document)

    # ----------------------------------------------------------------- sheets

    def _clean_option(self, text: str, place: str, option: str) -> str:
        cleaned = self._cleaner(text, place, None)
        self.options.findings.extend(self._cleaner.findings(option, "recueil"))
        return cleaned

    def add_sheet(self, fiche: Fiche) -> None:
        """Build one sheet's paragraphs at the end of its theme's group."""
        self._count += 1
        clean = self._cleaner
        source = fiche.source
        first_line = source.line if source is not None else None
        theme_text = clean(fiche.theme, "thème", first_line) if fiche.theme and fiche.theme.strip() else None
        key = _theme_key(theme_text)
        theme = self._themes.get(key)
        if theme is None:
            self._bookmarks += 1
            theme = self._themes[key] = _Theme(theme_text if theme_text is not None else NO_THEME, self._bookmarks, _container())
        parent = theme.container
        ids = self._ids
        number = fiche.theme_number
        # A number labels one theme only: the first to carry it (see the module docstring).
        shown = number is not None and self._numbered.setdefault(number, key) == key
        new_page = bool(theme.sheets)
        if not theme.sheets:
            theme.number = number if shown else None
        elif shown:
            assert number is not None
            label_paragraph = paragraph(parent, ids["normal"], page_break=True, keep_next=True)
            text_run(label_paragraph, theme_number_label(number), run_properties(bold=True, small_caps=True, color=self._light, spacing=20))
            new_page = False

        label = clean(structures_heading(fiche), "structures", first_line)
        heading = paragraph(parent, ids["h2"], page_break=new_page)
        text_run(heading, label)
        self._bookmarks += 1
        bookmark(heading, self._bookmarks)
        theme.sheets.append((label, self._bookmarks))

        def line_of(key: str) -> int | None:
            if source is None:
                return None
            return source.rubriques.get(key, [source.line])[0]

        if fiche.projet is not None:
            projet = clean(fiche.projet, "projet", first_line)
            if projet_has_label(projet):
                self._labelled(parent, PROJET, [projet])
            else:
                flowing_run(paragraph(parent, ids["normal"]), projet, run_properties(bold=True, color=self._dark))
        localisation = HEADING_BY_KEY["localisation"].title
        place = f"rubrique « {localisation} »"
        as_label = _fits_a_label(fiche.localisation)
        if as_label:
            self._labelled(
                parent, localisation, [clean(item.texte, place, line_of("localisation")) for item in fiche.localisation]
            )
        if fiche.hors_rubrique and self._count == 1 and not self.options.single:
            self._introduction = _container()
            self._bookmarks += 1
            self._introduction_bookmark = self._bookmarks
            self._items(self._introduction, fiche.hors_rubrique, "texte hors rubrique", first_line)
        elif fiche.hors_rubrique:
            text_run(paragraph(parent, ids["h3"]), OUT_OF_SECTION)
            self._items(parent, fiche.hors_rubrique, "texte hors rubrique", first_line)
        for section_key, items in fiche.sections():
            if section_key == "localisation" and as_label:
                continue
            title = HEADING_BY_KEY[section_key].title
            text_run(paragraph(parent, ids["h3"]), title)
            if items:
                self._items(parent, items, f"rubrique « {title} »", line_of(section_key))
            else:
                text_run(paragraph(parent, ids["normal"]), NOT_FILLED, run_properties(italic=True, color=_GREY))

        file = source.file if source is not None else "<entrée>"
        sheet = fiche.structures_label() or f"n° {self._count}"
        self.options.findings.extend(clean.findings(file, f"fiche « {sheet} »"))

    def _labelled(self, parent: etree._Element, label: str, lines: list[str]) -> None:
        """``Label : text`` with a bold label; several lines stay separate lines."""
        p = paragraph(parent, self._ids["normal"])
        text_run(p, f"{label} : ", run_properties(bold=True, color=self._dark))
        for index, line in enumerate(lines):
            if index:
                text_run(p, "\n")
            flowing_run(p, line)
        if not lines:
            text_run(p, NOT_FILLED, run_properties(italic=True, color=_GREY))

    def _items(self, parent: etree._Element, items: list[Item], place: str, line: int | None) -> None:
        ids = self._ids
        num_id: str | None = None
        for item in items:
            text = self._cleaner(item.texte, place, line)
            if item.type is ItemType.NUMERO:
                if num_id is None:
                    num_id = self._numbering.new_list()
                p = paragraph(parent, ids["number"], num_id=num_id, ilvl=self._numbering.ilvl)
            else:
                num_id = None
                p = paragraph(parent, ids["bullet" if item.type is ItemType.PUCE else "normal"])
            flowing_run(p, text)

    # ----------------------------------------------------------------- front matter

    def _title_page(self, body: etree._Element, title: str, themes: list[_Theme]) -> None:
        ids = self._ids
        text_run(paragraph(body, ids["title"]), title)
        if self.options.author is not None and self.options.author.strip():
            text_run(paragraph(body, ids["subtitle"]), self._clean_option(self.options.author, "auteur", "--auteur"))
        day = self.options.date or dt.date.today()
        text_run(paragraph(body, ids["subtitle"]), french_date(day))
        text_run(paragraph(body, ids["subtitle"]), count_line(self._count, len(themes)))
        if not themes:
            return
        intro = paragraph(body, ids["normal"], keep_next=True)
        spacing = etree.SubElement(intro[0], f"{W}spacing")
        spacing.set(f"{W}before", "720")
        text_run(intro, THEMES_LIST, run_properties(bold=True, small_caps=True, color=self._dark, size=24))
        for theme in themes:
            text_run(paragraph(body, ids["bullet"]), f"{theme.title} ({sheets_count(len(theme.sheets))})")

    def _sommaire(self, body: etree._Element, themes: list[_Theme]) -> None:
        ids = self._ids
        text_run(paragraph(body, ids["toc_heading"], page_break=True), SOMMAIRE)
        entries: list[tuple[str, str, int]] = []
        if self._introduction is not None:
            entries.append((ids["toc1"], INTRODUCTION, self._introduction_bookmark))
        for theme in themes:
            entries.append((ids["toc1"], theme.title, theme.bookmark))
            entries.extend((ids["toc2"], text, mark) for text, mark in theme.sheets)
        started = False
        for style_id, text, anchor in entries:
            p = paragraph(body, style_id)
            if not started:
                self._begin_toc(p)
                started = True
            link = etree.SubElement(p, f"{W}hyperlink")
            link.set(f"{W}anchor", bookmark_name(anchor))
            link.set(f"{W}history", "1")
            text_run(link, text)
        hint = paragraph(body, ids["normal"])
        if not started:
            self._begin_toc(hint)
        spacing = etree.SubElement(hint[0], f"{W}spacing")
        spacing.set(f"{W}before", "360")
        message = TOC_HINT if entries else EMPTY_RECUEIL
        text_run(hint, message, run_properties(italic=True, color=_GREY, size=18))
        field_char(hint, "end")

    @staticmethod
    def _begin_toc(paragraph: etree._Element) -> None:
        field_char(paragraph, "begin", dirty=True)
        instruction(paragraph, TOC_INSTRUCTION)
        field_char(paragraph, "separate")

    def _introduction_heading(self, body: etree._Element) -> None:
        heading = paragraph(body, self._ids["h1"], page_break=True)  # after the sommaire
        text_run(heading, INTRODUCTION)
        bookmark(heading, self._introduction_bookmark)

    def _theme_heading(self, body: etree._Element, theme: _Theme) -> None:
        ids = self._ids
        # A single sheet's theme opens its file: no empty first page. (``len`` of an lxml element
        # counts its children one by one: on a body of 10,000 sheets, once per theme cost seconds.)
        new_page = next(iter(body), None) is not None
        if theme.number is not None:
            label = paragraph(body, ids["normal"], page_break=new_page, keep_next=True)
            text_run(label, theme_number_label(theme.number), run_properties(bold=True, small_caps=True, color=self._light, spacing=20))
        heading = paragraph(body, ids["h1"], page_break=new_page and theme.number is None)
        text_run(heading, theme.title)
        bookmark(heading, theme.bookmark)


