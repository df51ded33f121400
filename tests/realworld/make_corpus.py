"""Regenerate every fixture of the real-world corpus from ``sheets.py``.

Run from the repository root::

    .venv/bin/python tests/realworld/make_corpus.py

It needs python-docx, LibreOffice (``soffice``) and poppler's ``pdftotext``;
CI never runs it: the fixtures, the expected JSON and MANIFEST.md it writes are
committed. Each fixture is made the way people really produce such files:
Word documents written through python-docx in one authoring style each, PDFs
printed from them by LibreOffice, text extracted from those PDFs by pdftotext,
LibreOffice's own text export, forwarded and quoted e-mails, and text typed in
a hurry. The expected records of a fixture are those of the sheets it holds.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sheets import NBSP, SECTION_KEYS, SHEET_BY_ID, Sheet, expected_record

HERE = Path(__file__).resolve().parent

TITLES = {
    "localisation": "Localisation",
    "chiffres_cles": "Chiffres clés",
    "publics_touches": "Publics touchés",
    "partenaires": "Partenaires",
    "contexte": "Contexte et situation initiale/prérequis",
    "resultats": "Résultats",
    "etapes": "Etapes de mise en place",
    "cles_du_succes": "Clés du succès",
    "obstacles_et_freins": "Obstacles et freins",
    "pistes_amelioration": "Pistes d'amélioration ou de développement",
    "conseils": "Conseils pour la mise en oeuvre sur d'autres territoires et points de vigilance",
    "ressources_mobilisees": "Ressources mobilisées",
    "apports_du_groupe": "Apports du groupe",
}
"""The headings as the sheets print them (the ground truth's own copy, not fichekit's table)."""


@dataclass(frozen=True)
class Fixture:
    path: str
    """Relative to tests/realworld."""
    sheets: tuple[str, ...]
    tool: str
    traps: str


FIXTURES: list[Fixture] = []


def fixture(path: str, sheets: Iterable[str], tool: str, traps: str) -> Path:
    FIXTURES.append(Fixture(path, tuple(sheets), tool, traps))
    target = HERE / path
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def sheets_of(ids: Iterable[str]) -> list[Sheet]:
    return [SHEET_BY_ID[i] for i in ids]


# ---------------------------------------------------------------------------
# Typed text: one renderer, the ways of typing a heading, a bullet, an arrow.
# ---------------------------------------------------------------------------

Heading = Callable[[int, str, str], str]
"""(position 1-13, key, canonical title) -> heading as typed (without content)."""


def colon(_: int, __: str, title: str) -> str:
    return f"{title} :"


def only_paragraphs(items: list[tuple[str, str]]) -> bool:
    return all(kind == "paragraphe" for kind, _ in items)


def marker(kind: str, bullet: str, number: int) -> str:
    if kind == "puce":
        return bullet
    if kind == "numero":
        return f"{number}. "
    return ""


def typed_lines(
    sheet: Sheet,
    *,
    heading: Heading = colon,
    bullet: str = "- ",
    arrow: str = "→ ",
    inline: str | None = " ",
    inline_bullets: frozenset[str] = frozenset(),
    theme_lines: list[str] | None = None,
    avec_lines: list[str] | None = None,
    after_heading: Callable[[str], list[str]] | None = None,
) -> list[str]:
    """A sheet as a person types it into a plain text box.

    A section holding only paragraphs gets its first one on the heading line
    (joined by ``inline``, None to never do so); bulleted sections start below,
    except keys in ``inline_bullets`` ("Clés du succès : • …").
    """
    lines: list[str] = ["", ""]
    if sheet.theme_number is not None:
        lines += [str(sheet.theme_number), ""]
    lines += (theme_lines if theme_lines is not None else [sheet.theme or ""]) + [""]
    lines += (avec_lines if avec_lines is not None else [f"{arrow}Avec {sheet.avec_text()}"]) + [""]
    for position, key in enumerate(SECTION_KEYS, 1):
        items = sheet.items(key)
        head = heading(position, key, TITLES[key])
        rest = list(items)
        numbers = iter(range(1, 100))
        if rest and inline is not None and (only_paragraphs(rest) or key in inline_bullets):
            kind, text = rest.pop(0)
            lines.append(f"{head}{inline}{marker(kind, bullet, next(numbers))}{text}")
        else:
            lines.append(head)
            if after_heading is not None:
                lines += after_heading(key)
        if rest and not only_paragraphs(rest):
            lines.append("")
        for kind, text in rest:
            lines.append(f"{marker(kind, bullet, next(numbers))}{text}")
            if key == "etapes" and kind == "paragraphe":
                lines.append("")  # timelines are typed one step per paragraph
        lines += ["", ""]
    return lines


def write_text(path: Path, lines: list[str], encoding: str = "utf-8", newline: str = "\n") -> None:
    path.write_bytes(newline.join(lines).encode(encoding) + newline.encode(encoding))


PLAIN_BULLETS = {"s05": "• ", "s07": "- > "}
PLAIN_WITHOUT_ARROW = {"s03"}
"""As in the real export, the sheet with two structures and a projet has « Avec » without arrow."""
PLAIN_WRAPPED = {"Juin 2022 : achat d’un four grâce à une campagne de dons.": ("Juin 2022 : achat d’un four", "grâce à une campagne de dons.")}
"""Paragraphs the export cuts in two, with a blank line between the halves (as the real export does)."""


def plain_export(sheet: Sheet) -> list[str]:
    """The export the network's platform produces (the shape of the real seed)."""
    lines = typed_lines(
        sheet,
        bullet=PLAIN_BULLETS.get(sheet.id, "- "),
        arrow="" if sheet.id in PLAIN_WITHOUT_ARROW else "→ ",
        inline_bullets=frozenset({"cles_du_succes"}) if sheet.id == "s01" else frozenset(),
    )
    wrapped: list[str] = []
    for line in lines:
        halves = PLAIN_WRAPPED.get(line)
        wrapped += [halves[0], "", halves[1]] if halves else [line]
    return wrapped


def make_plain_and_mail() -> None:
    ids = tuple(f"s{n:02d}" for n in range(1, 11))
    lines = [line for sheet in sheets_of(ids) for line in plain_export(sheet)]
    write_text(
        fixture("text/plain_export.txt", ids, "make_corpus.py: `plain_export()` (the platform's export, as the real seed)",
                "lone theme number, question line, « → Avec », « Avec » without arrow before two structures and a projet, "
                "a sentence cut in two by a blank line, content on heading line, bullets « - », « • », « - > », "
                "first bullet on the heading line, numbered steps, timeline paragraphs, empty « Apports du groupe », "
                "two structures and a projet, « (71 et 21) »"),
        lines,
    )

    ids = ("s01", "s02", "s03")
    body = [line for sheet in sheets_of(ids) for line in plain_export(sheet)]
    quoted = ["Le 12/03/2025 à 10:02, Claire Martin a écrit :", *[f"> {line}" if line else ">" for line in body]]
    write_text(
        fixture("text/mail_thunderbird_quoted.txt", ids, "plain export quoted by a Thunderbird reply (« > » on every line, « > » alone on blank lines)",
                "attribution line « … a écrit : », every line quoted with « > », blank lines as « > »"),
        quoted,
    )

    ids = ("s04", "s05")
    inner = [line for sheet in sheets_of(ids) for line in plain_export(sheet)]
    level1 = ["Le 10/03/2025 à 17:45, Marc Durand a écrit :", *[f"> {line}" if line else ">" for line in inner]]
    level2 = [
        "-------- Message transféré --------",
        "Sujet : Fiches atelier 2",
        "Date : Wed, 12 Mar 2025 09:14:03 +0100",
        "De : Claire Martin <claire.martin@example.org>",
        "Pour : coordination@example.org",
        "",
        *[f">{line}" if line.startswith(">") else f"> {line}" for line in level1],
    ]
    write_text(
        fixture("text/mail_thunderbird_forward_nested.txt", ids, "plain export quoted twice (a reply, then forwarded inline by Thunderbird): « >> » and « > » levels, CRLF line ends",
                "forward header block (Sujet/Date/De/Pour), attribution line, two quote levels « >> », CRLF"),
        level2,
        newline="\r\n",
    )

    ids = ("s09", "s10")
    outlook = [
        "________________________________",
        "De : Claire Martin <claire.martin@example.org>",
        "Envoyé : mercredi 12 mars 2025 09:14",
        "À : coordination@example.org",
        "Objet : TR: Fiches atelier 2",
        "",
        *[line for sheet in sheets_of(ids) for line in plain_export(sheet)],
    ]
    write_text(
        fixture("text/mail_outlook_forward.txt", ids, "plain export forwarded by Outlook in plain text (no quote marks, a header block above), CRLF",
                "Outlook header block (rule, De/Envoyé/À/Objet), then the export unquoted, CRLF"),
        outlook,
        newline="\r\n",
    )

    ids = ("s06", "s07", "s08")

    def gmail_heading(_: int, __: str, title: str) -> str:
        return f"*{title} :*"

    gmail = [
        "---------- Forwarded message ---------",
        "De : Claire Martin <claire.martin@example.org>",
        "Date: mer. 12 mars 2025 à 09:14",
        "Subject: Fiches atelier 3 et 4",
        "To: <coordination@example.org>",
        "",
        "",
    ]
    for sheet in sheets_of(ids):
        gmail += typed_lines(sheet, heading=gmail_heading, bullet="   - ")
    write_text(
        fixture("text/mail_gmail_bold.txt", ids, "Gmail's text/plain part of an HTML forward: bold as `*…*`, lists as «    - »",
                "« Forwarded message » header block, headings `*Titre :*` with content after the closing star, "
                "bullets indented « - », numbered list « 1. » after `*Etapes…*`"),
        gmail,
    )


# Hand-typed variants -------------------------------------------------------

ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]
EMOJI = {
    "localisation": "📍", "chiffres_cles": "🔢", "publics_touches": "👥", "partenaires": "🤝",
    "contexte": "📝", "resultats": "✅", "etapes": "🗓️", "cles_du_succes": "🔑",
    "obstacles_et_freins": "⚠️", "pistes_amelioration": "🚀", "conseils": "💡",
    "ressources_mobilisees": "🧰", "apports_du_groupe": "👫",
}
WORDY = {
    "localisation": "Localisation du projet :",
    "chiffres_cles": "Quelques chiffres clés :",
    "publics_touches": "Les publics touchés :",
    "partenaires": "Les partenaires :",
    "contexte": "Le contexte et la situation initiale :",
    "resultats": "Nos résultats",
    "etapes": "Les étapes de mise en place :",
    "cles_du_succes": "Clefs du succès :",
    "obstacles_et_freins": "Obstacles & freins :",
    "pistes_amelioration": "Nos pistes d'amélioration :",
    "conseils": "Nos conseils pour la mise en oeuvre sur d'autres territoires :",
    "ressources_mobilisees": "Ressources mobilisées (humaines, matérielles) :",
    "apports_du_groupe": "Les apports du groupe :",
}


def make_hand_typed() -> None:
    numbered_styles: dict[str, Heading] = {
        "s01": lambda n, _, t: f"{n}. {t} :",
        "s08": lambda n, _, t: f"{'ABCDEFGHIJKLM'[n - 1]}) {t}",
        "s04": lambda n, _, t: f"{ROMAN[n]} - {t}",
    }
    lines: list[str] = []
    for sheet in sheets_of(numbered_styles):
        style = numbered_styles[sheet.id]
        lines += typed_lines(sheet, heading=style, inline=" " if sheet.id == "s01" else None)
    write_text(
        fixture("text/hand_numbered_headings.txt", tuple(numbered_styles), "typed by hand (make_corpus.py `make_hand_typed`)",
                "headings numbered « 1. Localisation : », lettered « A) Partenaires » (no colon), roman « III - Résultats »; "
                "a real numbered list « 1. » under « G) Etapes de mise en place »"),
        lines,
    )

    lines = []
    lines += typed_lines(SHEET_BY_ID["s02"], heading=lambda n, _, t: f"**{t}** :" if n % 2 else f"**{t} :**")
    lines += typed_lines(SHEET_BY_ID["s09"], heading=lambda _, __, t: f"### {t}", inline=None, bullet="* ")
    write_text(
        fixture("text/hand_markdownish.txt", ("s02", "s09"), "typed by hand in a Markdown-minded editor",
                "headings `**Titre** :` and `**Titre :**` with content after, `### Titre` alone on its line, bullets « * »"),
        lines,
    )

    lines = []
    lines += typed_lines(SHEET_BY_ID["s10"], heading=lambda _, k, t: f"{EMOJI[k]} {t} :")
    lines += typed_lines(SHEET_BY_ID["s07"], heading=lambda _, k, t: f"{EMOJI[k]} {t}", inline=None, bullet="✔️ ")
    write_text(
        fixture("text/hand_emoji.txt", ("s10", "s07"), "typed by hand on a phone / in a messaging app",
                "emoji before headings (« 📍 Localisation : », with and without colon; some with U+FE0F), bullets « ✔️ »"),
        lines,
    )

    lines = []
    for sheet in sheets_of(("s03", "s06")):
        lines += typed_lines(sheet, heading=lambda _, k, __: WORDY[k])
    write_text(
        fixture("text/hand_wordy_headings.txt", ("s03", "s06"), "typed by hand",
                "determiners (« Les partenaires : », « Nos résultats » without colon), trailing qualifiers "
                "(« Localisation du projet : », « Ressources mobilisées (humaines, matérielles) : »), "
                "« Clefs du succès », « Obstacles & freins », « Quelques chiffres clés »"),
        lines,
    )

    lines = []
    lines += typed_lines(SHEET_BY_ID["s06"], heading=lambda _, __, t: t, inline=" - ")
    lines += typed_lines(SHEET_BY_ID["s04"], heading=lambda _, __, t: t, inline=None, after_heading=lambda key: [":"] if key in ("partenaires", "resultats", "conseils") else [])
    write_text(
        fixture("text/hand_dash_and_bare_headings.txt", ("s06", "s04"), "typed by hand",
                "« Localisation - Tours » (dash for the colon), headings alone on their line without colon, "
                "a colon alone on the line after the heading"),
        lines,
    )

    s10, s03, s09 = SHEET_BY_ID["s10"], SHEET_BY_ID["s03"], SHEET_BY_ID["s09"]
    lines = []
    lines += typed_lines(
        s10, arrow="➡ ",
        theme_lines=["Comment faire des personnes accueillies des membres ac-", "tifs de la vie associative ?"],
    )
    lines += typed_lines(
        s03,
        theme_lines=["Quelles coopérations construire", "entre l’aide alimentaire et les", "producteurs locaux ?"],
        avec_lines=["➡️ Avec Les Jardins du Morvan (58) et Réseau Terres", "Partagées (BFC) : projet PANIERS D’ICI"],
    )
    lines += typed_lines(s09, arrow="➡️ ")
    write_text(
        fixture("text/hand_arrows_and_wraps.txt", ("s10", "s03", "s09"), "typed by hand (copied from a narrow text box)",
                "arrows « ➡ » and « ➡️ » (with U+FE0F) before « Avec », an « Avec » line wrapped over two lines, "
                "a theme question wrapped over 2 lines with an end-of-line hyphen « ac- / tifs », "
                "another wrapped over 3 lines"),
        lines,
    )

    lines = []
    for sheet in sheets_of(("s05", "s01")):
        lines += typed_lines(sheet, arrow="? ")
    write_text(
        fixture("text/export_cp1252_question_arrow.txt", ("s05", "s01"), "the platform's export saved by a Windows tool in Windows-1252, CRLF",
                "encoding Windows-1252 (’ « » € œ and no-break spaces as single bytes), « → » replaced by « ? » "
                "(« ? Avec … » just below a question ending with « ? »), CRLF line ends"),
        lines,
        encoding="cp1252",
        newline="\r\n",
    )


# ---------------------------------------------------------------------------
# Word documents, one authoring style per file.
# ---------------------------------------------------------------------------


def new_document(font: str | None = None) -> docx.document.Document:
    """A4, French, hyphenation on: what a French Word user's Normal.dotm gives."""
    document = docx.Document()
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
    r_pr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "fr-FR")
    settings = document.settings.element
    hyphenation = OxmlElement("w:autoHyphenation")
    settings.find(qn("w:defaultTabStop")).addnext(hyphenation)
    if font is not None:
        normal = document.styles["Normal"]
        normal.font.name = font
        normal.font.size = Pt(11)
        r_fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            r_fonts.set(qn(attribute), font)
    return document


def save_docx(document, path: Path) -> None:
    """Save with fixed zip timestamps, so that regenerating leaves unchanged documents byte-identical."""
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 3, 12, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))


class WordLists:
    """Real Word lists: abstract numbering definitions and numPr on each paragraph."""

    def __init__(self, document: docx.document.Document) -> None:
        self.numbering = document.part.numbering_part.element
        self.next_id = 90
        self.bullet = self._define("bullet", "•")

    def _define(self, fmt: str, text: str) -> int:
        abstract_id = self.next_id
        self.next_id += 1
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(abstract_id))
        multi = OxmlElement("w:multiLevelType")
        multi.set(qn("w:val"), "hybridMultilevel")
        abstract.append(multi)
        level = OxmlElement("w:lvl")
        level.set(qn("w:ilvl"), "0")
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text), ("w:lvlJc", "left")):
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            level.append(child)
        p_pr = OxmlElement("w:pPr")
        indent = OxmlElement("w:ind")
        indent.set(qn("w:left"), "720")
        indent.set(qn("w:hanging"), "360")
        p_pr.append(indent)
        level.append(p_pr)
        abstract.append(level)
        first_num = self.numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self.numbering.append(abstract)
        return self._instance(abstract_id)

    def _instance(self, abstract_id: int) -> int:
        num_id = self.next_id + 100
        self.next_id += 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), str(abstract_id))
        num.append(ref)
        self.numbering.append(num)
        return num_id

    def new_decimal(self) -> int:
        """A new numbered list (each list restarts at 1, as Word does after a break)."""
        return self._define("decimal", "%1.")

    @staticmethod
    def apply(paragraph: Paragraph, num_id: int) -> None:
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num_id


def add_items(document, items: list[tuple[str, str]], *, lists: WordLists | None = None, typed_bullet: str | None = None, container=None) -> None:
    """Content paragraphs: Word lists (numPr), list styles, or markers typed by hand."""
    target = container if container is not None else document
    decimal: int | None = None
    number = 0
    for kind, text in items:
        if kind == "paragraphe":
            target.add_paragraph(text)
            continue
        if typed_bullet is not None:
            number += kind == "numero"
            target.add_paragraph(f"{typed_bullet}{text}" if kind == "puce" else f"{number}. {text}")
        elif lists is not None:
            paragraph = target.add_paragraph(text, style="List Paragraph")
            if kind == "numero":
                decimal = decimal or lists.new_decimal()
            lists.apply(paragraph, lists.bullet if kind == "puce" else decimal)  # type: ignore[arg-type]
        else:
            target.add_paragraph(text, style="List Bullet" if kind == "puce" else "List Number")


def add_sheet_top(document, sheet: Sheet, *, arrow: str = "→ ", styles: tuple[str, str] | None = None) -> None:
    if sheet.theme_number is not None:
        document.add_paragraph(str(sheet.theme_number))
    theme_style, avec_style = styles if styles else ("Normal", "Normal")
    document.add_paragraph(sheet.theme, style=theme_style)
    document.add_paragraph(f"{arrow}Avec {sheet.avec_text()}", style=avec_style)


def bold_heading(document, title: str, content: str | None) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{title}{NBSP}:").bold = True
    if content is not None:
        paragraph.add_run(f" {content}")
    return paragraph


def docx_bold_runs(path: Path, ids: tuple[str, ...]) -> None:
    document = new_document()
    for sheet in sheets_of(ids):
        add_sheet_top(document, sheet)
        for key in SECTION_KEYS:
            items = list(sheet.items(key))
            inline = items.pop(0)[1] if items and only_paragraphs(items) else None
            bold_heading(document, TITLES[key], inline)
            add_items(document, items, typed_bullet="- ")
        document.add_paragraph()
    save_docx(document, path)


def docx_heading_styles(path: Path, ids: tuple[str, ...]) -> None:
    document = new_document()
    lists = WordLists(document)
    add_running_header_footer(document)
    for index, sheet in enumerate(sheets_of(ids)):
        if index:
            document.add_page_break()
        add_sheet_top(document, sheet, styles=("Heading 1", "Heading 2"))
        for key in SECTION_KEYS:
            document.add_paragraph(TITLES[key], style="Heading 3")
            add_items(document, sheet.items(key), lists=lists)
    save_docx(document, path)


def docx_list_styles(path: Path, ids: tuple[str, ...]) -> None:
    document = new_document()
    for sheet in sheets_of(ids):
        add_sheet_top(document, sheet)
        for key in SECTION_KEYS:
            items = list(sheet.items(key))
            inline = items.pop(0)[1] if items and only_paragraphs(items) else None
            document.add_paragraph(f"{TITLES[key]} : {inline}" if inline else f"{TITLES[key]} :")
            add_items(document, items)
    save_docx(document, path)


def docx_typing_habits(path: Path, ids: tuple[str, ...]) -> None:
    """Titles as hurried Word users type them, one habit per rubrique in turn, an empty paragraph after each."""
    document = new_document()
    for sheet in sheets_of(ids):
        add_sheet_top(document, sheet)
        document.add_paragraph()
        for index, key in enumerate(SECTION_KEYS):
            items = list(sheet.items(key))
            title = TITLES[key]
            first = items[0][1] if items and items[0][0] == "paragraphe" else None
            paragraph = document.add_paragraph()
            habit = index % 4
            if habit == 0 and first is not None:
                run = paragraph.add_run(f"{title} :")  # bold title, Maj+Entrée, then the first paragraph
                run.bold = True
                run.add_break()
                paragraph.add_run(first)
                items = items[1:]
            elif habit == 1 and first is not None:
                paragraph.add_run(f"{title} :").bold = True  # a tab to line the contents up
                paragraph.add_run(f"\t{first}")
                items = items[1:]
            elif habit == 2:
                paragraph.add_run(f"{index + 1}) {title.upper()}").bold = True  # numbered by hand, capitals
            else:
                paragraph.add_run(f"{title}  :")  # two spaces before the colon, not bold
            number = 0
            for kind, text in items:
                if kind == "puce":
                    document.add_paragraph(f"–\t{text}")  # a dash and a tab typed by hand
                elif kind == "numero":
                    number += 1
                    document.add_paragraph(f"{number}.\t{text}")
                else:
                    number = 0
                    document.add_paragraph(text)
            document.add_paragraph()
    save_docx(document, path)


def docx_narrow_form_table(path: Path, ids: tuple[str, ...]) -> None:
    """The form table with a narrow title column: long titles wrap between words, without a hyphen."""
    docx_form_table(path, ids, title_width=Mm(38))


def docx_form_table(path: Path, ids: tuple[str, ...], title_width: Mm | None = None) -> None:
    document = new_document()
    for index, sheet in enumerate(sheets_of(ids)):
        if index:
            document.add_page_break()
        add_sheet_top(document, sheet)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for key in SECTION_KEYS:
            row = table.add_row()
            row.cells[0].paragraphs[0].add_run(TITLES[key]).bold = True
            cell = row.cells[1]
            items = sheet.items(key)
            first = cell.paragraphs[0]
            for position, (kind, text) in enumerate(items):
                paragraph = first if position == 0 else cell.add_paragraph()
                paragraph.add_run(text)
                if kind != "paragraphe":
                    paragraph.style = document.styles["List Bullet" if kind == "puce" else "List Number"]
        if title_width is not None:
            # LibreOffice lays a table out from its grid (w:tblGrid), Word from the cells: both are set.
            table.autofit = False
            table.columns[0].width, table.columns[1].width = title_width, Mm(160) - title_width
            for row in table.rows:
                row.cells[0].width, row.cells[1].width = title_width, Mm(160) - title_width
        document.add_paragraph()
    save_docx(document, path)


TIMELINE_SEPARATOR = " : "
"""A timeline table row « 2018 | création de l’épicerie. » is the item « 2018 : création de l’épicerie. »."""


def docx_section_table(path: Path, ids: tuple[str, ...]) -> None:
    document = new_document()
    for sheet in sheets_of(ids):
        add_sheet_top(document, sheet)
        for key in SECTION_KEYS:
            items = list(sheet.items(key))
            if key == "etapes":
                bold_heading(document, TITLES[key], None)
                table = document.add_table(rows=1, cols=2)
                table.style = "Table Grid"
                table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Quand", "Quoi"
                for _, text in items:
                    when, what = text.split(TIMELINE_SEPARATOR, 1)
                    row = table.add_row()
                    row.cells[0].text, row.cells[1].text = when, what
                continue
            inline = items.pop(0)[1] if items and only_paragraphs(items) else None
            bold_heading(document, TITLES[key], inline)
            add_items(document, items, typed_bullet="• ")
    save_docx(document, path)


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A complex field as Word writes it: begin, instruction, separate, cached result, end."""
    def fld_char(kind: str):
        run = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run.append(char)
        return run

    paragraph._p.append(fld_char("begin"))
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    paragraph._p.append(instr_run)
    paragraph._p.append(fld_char("separate"))
    paragraph.add_run(shown)
    paragraph._p.append(fld_char("end"))


def add_running_header_footer(document) -> None:
    section = document.sections[0]
    section.header.paragraphs[0].text = "Recueil des fiches d’expérience – Atelier régional 2025"
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    add_field(footer, "PAGE", "1")
    footer.add_run(" sur ")
    add_field(footer, "NUMPAGES", "1")


def tracked(kind: str, text: str, change_id: int):
    """A tracked insertion (``w:ins``) or deletion (``w:del``) holding one run."""
    wrapper = OxmlElement(f"w:{kind}")
    wrapper.set(qn("w:id"), str(change_id))
    wrapper.set(qn("w:author"), "Claire Martin")
    wrapper.set(qn("w:date"), "2025-03-11T15:20:00Z")
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t" if kind == "ins" else "w:delText")
    text_element.set(qn("xml:space"), "preserve")
    text_element.text = text
    run.append(text_element)
    wrapper.append(run)
    return wrapper


TRACKED_INSERTION = ("s05", "partenaires", ", Dijon Métropole")
"""(sheet, section, text): this part of the ground truth is typed as a tracked insertion."""
TRACKED_DELETION = ("s06", "localisation", " et Joué-lès-Tours")
"""(sheet, section, text): deleted with tracking on; it is not part of the ground truth."""
COMMENTED = ("s07", "obstacles_et_freins", "Le prix du carburant", "Chiffre à demander à la Métropole ?")


LIST_STYLES = {"puce": "List Bullet", "numero": "List Number"}


def docx_header_footer_tracked(path: Path, ids: tuple[str, ...]) -> None:
    document = new_document(font="Liberation Serif")
    # The author looks at the final text ("No Markup"): LibreOffice prints it so.
    view = OxmlElement("w:revisionView")
    view.set(qn("w:insDel"), "0")
    view.set(qn("w:markup"), "0")
    document.settings.element.find(qn("w:proofState")).addnext(view)
    add_running_header_footer(document)
    for index, sheet in enumerate(sheets_of(ids)):
        if index:
            document.add_page_break()
        add_sheet_top(document, sheet)
        for key in SECTION_KEYS:
            items = list(sheet.items(key))
            inline = items.pop(0)[1] if items and only_paragraphs(items) else None
            if (sheet.id, key) == TRACKED_INSERTION[:2] and inline is not None:
                before, after = inline.split(TRACKED_INSERTION[2], 1)
                paragraph = bold_heading(document, TITLES[key], before)
                paragraph._p.append(tracked("ins", TRACKED_INSERTION[2], 1))
                paragraph.add_run(after)
            elif (sheet.id, key) == TRACKED_DELETION[:2] and inline is not None:
                paragraph = bold_heading(document, TITLES[key], inline)
                paragraph._p.append(tracked("del", TRACKED_DELETION[2], 2))
            else:
                bold_heading(document, TITLES[key], inline)
            for kind, text in items:
                paragraph = document.add_paragraph(style=LIST_STYLES.get(kind, "Normal"))
                run = paragraph.add_run(text)
                if (sheet.id, key, text) == COMMENTED[:3]:
                    comment = document.add_comment(run, text=COMMENTED[3], author="Marc Durand", initials="MD")
                    comment._comment_elm.set(qn("w:date"), "2025-03-11T16:05:00Z")  # not "now": reproducible
    save_docx(document, path)


def docx_avec_arrow_and_plain(path: Path, ids: tuple[str, ...]) -> None:
    document = new_document()
    for index, sheet in enumerate(sheets_of(ids)):
        add_sheet_top(document, sheet, arrow="→ " if index == 0 else "")
        for key in SECTION_KEYS:
            items = list(sheet.items(key))
            inline = items.pop(0)[1] if items and only_paragraphs(items) else None
            document.add_paragraph(f"{TITLES[key]} : {inline}" if inline else f"{TITLES[key]} :")
            add_items(document, items, typed_bullet="- ")
        document.add_paragraph()
    save_docx(document, path)


# ---------------------------------------------------------------------------
# Tools: LibreOffice (PDF, text export) and pdftotext.
# ---------------------------------------------------------------------------


def pin_pdf_identity(path: Path) -> None:
    """Fix the creation date, file ID and checksum LibreOffice stamps, so regenerating is reproducible.

    Same-length replacements: the cross-reference offsets stay valid.
    """
    data = path.read_bytes()
    data = re.sub(rb"/CreationDate\(D:\d{14}", b"/CreationDate(D:20250312090000", data)
    data = re.sub(rb"<[0-9A-F]{32}>", b"<" + b"0" * 32 + b">", data)
    data = re.sub(rb"/DocChecksum /[0-9A-F]{32}", b"/DocChecksum /" + b"0" * 32, data)
    path.write_bytes(data)


def soffice(source: Path, target_format: str, outdir: Path, profile: Path) -> Path:
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target_format, "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    extension = target_format.split(":", 1)[0]
    return outdir / f"{source.stem}.{extension}"


def make_word_pdf_text() -> None:
    word = [
        ("a_bold_runs", ("s01", "s02", "s05"), docx_bold_runs,
         "headings as a bold run « Titre » + no-break space + « : », content after in a normal run; bullets typed « - »; "
         "theme number, question and « → Avec » as plain paragraphs; empty paragraph between sheets"),
        ("b_heading_styles", ("s03", "s06", "s08"), docx_heading_styles,
         "theme in « Heading 1 », « → Avec » in « Heading 2 », rubriques in « Heading 3 » without colon; "
         "REAL Word lists (numbering definitions, numPr on each paragraph), bullets and decimal; page breaks; "
         "running header and « Page N sur M » footer (PAGE/NUMPAGES fields); long paragraphs; empty sections"),
        ("c_list_styles", ("s04", "s07", "s08"), docx_list_styles,
         "headings « Titre : » typed in Normal paragraphs; lists through the « List Bullet » / « List Number » styles "
         "(numbering from the style, no numPr on the paragraph)"),
        ("d_form_table", ("s09", "s10"), docx_form_table,
         "one two-column table « rubrique | contenu » per sheet (bold titles, several paragraphs and List Bullet "
         "paragraphs in a cell, empty cells); page break between sheets"),
        ("h_narrow_form_table", ("s03", "s04"), docx_narrow_form_table,
         "the two-column table « rubrique | contenu » with a narrow title column (38 mm): long titles wrap between "
         "words, without a hyphen, over two or three lines beside their contents"),
        ("i_typing_habits", ("s07", "s08"), docx_typing_habits,
         "titles typed four ways in turn: bold « Titre : » then Maj+Entrée and the content; « Titre : » then a tab and "
         "the content; « 3) TITRE » numbered by hand in capitals; « Titre  : » with two spaces; bullets typed « –<tab> », "
         "numbers « 1.<tab> »; an empty paragraph after every rubrique"),
        ("e_section_table", ("s01", "s02"), docx_section_table,
         "« Etapes de mise en place » as a two-column table « Quand | Quoi » with a header row: each data row is one "
         "item, its cells joined by « : » (the header row is layout); bullets typed « • »"),
        ("f_header_footer_tracked", ("s05", "s06", "s07"), docx_header_footer_tracked,
         "header, footer with PAGE/NUMPAGES fields, page breaks, font Liberation Serif; a tracked insertion "
         f"(« {TRACKED_INSERTION[2].strip(', ')} », part of the text) and a tracked deletion (« {TRACKED_DELETION[2].strip()} », "
         "not part of it); a comment on a bullet (not part of the text)"),
        ("g_avec_arrow_and_plain", ("s09", "s10"), docx_avec_arrow_and_plain,
         "first sheet « → Avec … », second « Avec … » without arrow; headings « Titre : » in Normal paragraphs, bullets typed « - »"),
    ]
    to_pdf = {"a_bold_runs", "b_heading_styles", "d_form_table", "f_header_footer_tracked", "h_narrow_form_table", "i_typing_habits"}
    # Not f: LibreOffice's text export keeps tracked deletions as text, whatever the view.
    to_text = {"b_heading_styles", "c_list_styles", "d_form_table", "e_section_table", "h_narrow_form_table", "i_typing_habits"}
    to_html = {"a_bold_runs", "b_heading_styles", "c_list_styles", "d_form_table", "h_narrow_form_table", "i_typing_habits"}
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        for name, ids, build, traps in word:
            docx_path = fixture(f"docx/{name}.docx", ids, f"python-docx (make_corpus.py `{build.__name__}`)", traps)
            build(docx_path, ids)
            if name in to_pdf:
                pdf_path = fixture(f"pdf/{name}.pdf", ids, f"`soffice --headless --convert-to pdf docx/{name}.docx`",
                                   "A4 page width wraps long paragraphs (French hyphenation on), bullets and numbers drawn by the lists; " + traps)
                shutil.move(soffice(docx_path, "pdf", Path(tmp), profile), pdf_path)
                pin_pdf_identity(pdf_path)
                for flag, suffix in (([], "pdftotext"), (["-layout"], "pdftotext-layout")):
                    text_path = fixture(f"text/{name}.{suffix}.txt", ids, f"`pdftotext {' '.join(flag) + ' ' if flag else ''}-enc UTF-8 pdf/{name}.pdf`",
                                        "wrapped lines (continuations may start with a capital or a digit), PDF hyphenation, "
                                        "bullet glyphs, form feeds between pages, running header/footer lines on every page"
                                        + (", columns laid out with spaces" if flag else ""))
                    subprocess.run(["pdftotext", *flag, "-enc", "UTF-8", str(pdf_path), str(text_path)], check=True, timeout=60)
            if name in to_html:
                html_path = fixture(f"html/{name}.html", ids, f"`soffice --headless --convert-to html docx/{name}.docx`",
                                    "LibreOffice's « page Web »: paragraphs as <p> (lines wrapped inside them), lists as <ul>/<ol> "
                                    "with <p> in each <li>, tables as <table>, no-break spaces as &nbsp;, running header and "
                                    "footer in <div title=\"header\"> / <div title=\"footer\">; " + traps)
                shutil.move(soffice(docx_path, "html", Path(tmp), profile), html_path)
            if name in to_text:
                text_path = fixture(f"text/{name}.soffice.txt", ids, f"`soffice --headless --convert-to \"txt:Text (encoded):UTF8\" docx/{name}.docx`",
                                    "LibreOffice's text export: list bullets and numbers as text (or lost), table cells one per line, "
                                    "header/footer dropped, BOM; " + traps)
                shutil.move(soffice(docx_path, "txt:Text (encoded):UTF8", Path(tmp), profile), text_path)


# ---------------------------------------------------------------------------


def write_expected() -> None:
    folder = HERE / "expected"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for item in FIXTURES:
        records = [expected_record(sheet) for sheet in sheets_of(item.sheets)]
        (folder / f"{Path(item.path).name}.json").write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_manifest() -> None:
    rows = [
        "# Real-world corpus: manifest",
        "",
        "Every file below is generated by `make_corpus.py` from the ground truth in `sheets.py`",
        "(fictional structures, real communes); `expected/<file name>.json` holds its expected records.",
        "Regenerate with `.venv/bin/python tests/realworld/make_corpus.py` (needs python-docx, LibreOffice,",
        "poppler-utils and the French hyphenation patterns `hyphen-fr`); CI only reads the committed files.",
        "",
        "| File | Sheets | Made with | Traps |",
        "|---|---|---|---|",
    ]
    for item in FIXTURES:
        size = (HERE / item.path).stat().st_size
        rows.append(f"| `{item.path}` ({size:,} B) | {', '.join(item.sheets)} | {item.tool} | {item.traps} |")
    (HERE / "MANIFEST.md").write_text("\n".join(rows) + "\n", encoding="utf-8")


def main() -> None:
    for folder in ("docx", "pdf", "text"):
        shutil.rmtree(HERE / folder, ignore_errors=True)
    make_plain_and_mail()
    make_hand_typed()
    make_word_pdf_text()
    write_expected()
    write_manifest()
    total = sum((HERE / item.path).stat().st_size for item in FIXTURES)
    print(f"{len(FIXTURES)} fixtures, {total:,} bytes")


if __name__ == "__main__":
    main()
