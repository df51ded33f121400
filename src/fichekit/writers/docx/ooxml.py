"""Raw WordprocessingML builders: paragraphs, runs, fields and bookmarks as lxml elements.

The recueil's body is built here with lxml directly, not through
python-docx's ``add_paragraph`` (whose style and numbering look-ups scan the
document, quadratic over a large collection). Every builder writes its
children in the schema's order: Word refuses a file otherwise.
"""

from __future__ import annotations

import re

from lxml import etree

from ...recueil_labels import split_continuations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = f"{{{W_NS}}}"
R = f"{{{R_NS}}}"
VAL = f"{W}val"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""What XML 1.0 cannot hold: C0 controls but tab, LF and CR, U+FFFE/U+FFFF, lone surrogates (from JSON)."""
_BREAKS = re.compile(r"(\r\n|[\n\r\t])")
_TABS = re.compile(r"(\t)")


def xml(fragment: str) -> etree._Element:
    """Parse a WordprocessingML fragment where ``{ns}`` stands for the main namespace."""
    return etree.fromstring(fragment.replace("{ns}", W_NS))


def run_properties(*, bold: bool = False, italic: bool = False, small_caps: bool = False,
                   color: str | None = None, size: int | None = None, spacing: int | None = None) -> etree._Element | None:  # fmt: skip
    """A ``w:rPr`` in schema order, or None when nothing is set."""
    if not (bold or italic or small_caps or color or size or spacing):
        return None
    rpr = etree.Element(f"{W}rPr")
    if bold:
        etree.SubElement(rpr, f"{W}b")
    if italic:
        etree.SubElement(rpr, f"{W}i")
    if small_caps:
        etree.SubElement(rpr, f"{W}smallCaps")
    if color:
        etree.SubElement(rpr, f"{W}color").set(VAL, color)
    if spacing:
        etree.SubElement(rpr, f"{W}spacing").set(VAL, str(spacing))
    if size:
        etree.SubElement(rpr, f"{W}sz").set(VAL, str(size))
    return rpr


def paragraph(parent: etree._Element, style_id: str, *, page_break: bool = False, keep_next: bool = False,
              num_id: str | None = None, ilvl: str = "0", space_before: int | None = None,
              align: str | None = None) -> etree._Element:  # fmt: skip
    """An empty ``w:p`` of ``style_id`` appended to ``parent`` (pPr children in schema order)."""
    p = etree.SubElement(parent, f"{W}p")
    ppr = etree.SubElement(p, f"{W}pPr")
    etree.SubElement(ppr, f"{W}pStyle").set(VAL, style_id)
    if keep_next:
        etree.SubElement(ppr, f"{W}keepNext")
    if page_break:
        etree.SubElement(ppr, f"{W}pageBreakBefore")
    if num_id is not None:
        num_pr = etree.SubElement(ppr, f"{W}numPr")
        etree.SubElement(num_pr, f"{W}ilvl").set(VAL, ilvl)
        etree.SubElement(num_pr, f"{W}numId").set(VAL, num_id)
    if space_before is not None:
        etree.SubElement(ppr, f"{W}spacing").set(f"{W}before", str(space_before))
    if align is not None:
        etree.SubElement(ppr, f"{W}jc").set(VAL, align)
    return p


def _text(run: etree._Element, piece: str) -> None:
    t = etree.SubElement(run, f"{W}t")
    t.text = piece
    if piece and (piece[0].isspace() or piece[-1].isspace()):
        t.set(XML_SPACE, "preserve")


def text_run(parent: etree._Element, text: str, rpr: etree._Element | None = None) -> None:
    """A run holding ``text``: line breaks become ``w:br``, tabs ``w:tab``; ``rpr`` is moved into it."""
    run = etree.SubElement(parent, f"{W}r")
    if rpr is not None:
        run.append(rpr)
    pieces = _BREAKS.split(text) if ("\n" in text or "\t" in text or "\r" in text) else (text,)
    for piece in pieces:
        if piece == "\t":
            etree.SubElement(run, f"{W}tab")
        elif piece in ("\n", "\r", "\r\n"):
            etree.SubElement(run, f"{W}br")
        elif piece:
            _text(run, piece)


def flowing_run(parent: etree._Element, text: str, rpr: etree._Element | None = None) -> None:
    """A run whose ``"\\n"`` are wrapped source lines: one ``w:t`` per line, no hard break.

    See :data:`fichekit.recueil_labels.CONTINUATION_JOINER` for the encoding
    and how the reader recovers the lines; tabs stay ``w:tab``.
    """
    run = etree.SubElement(parent, f"{W}r")
    if rpr is not None:
        run.append(rpr)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text and "\t" not in text:
        _text(run, text)
        return
    for line in split_continuations(text):
        for index, piece in enumerate(_TABS.split(line) if "\t" in line else (line,)):
            if piece == "\t":
                etree.SubElement(run, f"{W}tab")
            elif piece or index == 0:
                _text(run, piece)  # an empty line keeps its (empty) w:t so that it reads back


def _copy(rpr: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(rpr))


def field_char(parent: etree._Element, kind: str, *, dirty: bool = False, rpr: etree._Element | None = None) -> None:
    """``dirty`` marks a field whose stored result is known to be stale (Word recomputes it)."""
    run = etree.SubElement(parent, f"{W}r")
    if rpr is not None:
        run.append(_copy(rpr))
    char = etree.SubElement(run, f"{W}fldChar")
    char.set(f"{W}fldCharType", kind)
    if dirty:
        char.set(f"{W}dirty", "true")


def instruction(parent: etree._Element, text: str, rpr: etree._Element | None = None) -> None:
    run = etree.SubElement(parent, f"{W}r")
    if rpr is not None:
        run.append(_copy(rpr))
    instr = etree.SubElement(run, f"{W}instrText")
    instr.text = text
    instr.set(XML_SPACE, "preserve")


def field(parent: etree._Element, code: str, result: str, rpr: etree._Element | None = None) -> None:
    """A complete field (begin, instruction, separate, result, end) inside one paragraph.

    Every run gets a copy of ``rpr``: Word formats a recomputed result like
    the field's first run, LibreOffice like the result.
    """
    field_char(parent, "begin", rpr=rpr)
    instruction(parent, code, rpr)
    field_char(parent, "separate", rpr=rpr)
    text_run(parent, result, _copy(rpr) if rpr is not None else None)
    field_char(parent, "end", rpr=rpr)


def bookmark_name(number: int) -> str:
    # "_Toc" names are hidden from Word's bookmark list, like the ones Word makes for its TOC.
    return f"_Toc{100_000_000 + number}"


def bookmark(p: etree._Element, number: int) -> None:
    """Bookmark a whole heading paragraph, the target of a sommaire hyperlink."""
    start = etree.Element(f"{W}bookmarkStart")
    start.set(f"{W}id", str(number))
    start.set(f"{W}name", bookmark_name(number))
    p.insert(1, start)  # after the pPr
    etree.SubElement(p, f"{W}bookmarkEnd").set(f"{W}id", str(number))


def child_in_schema_order(parent: etree._Element, tag: str, followers: set[str]) -> etree._Element:
    """``parent``'s ``tag`` child, created before the first of ``followers`` when missing (Word checks the order)."""
    child = parent.find(tag)
    if child is None:
        child = etree.Element(tag)
        successor = next((c for c in parent if c.tag in followers), None)
        if successor is not None:
            successor.addprevious(child)
        else:
            parent.append(child)
    return child
