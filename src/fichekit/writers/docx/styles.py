"""Style roles and numbered lists: which style id each kind of paragraph uses.

Styles are found by the English name Word stores (« Heading 1 » even in a
French Word), once, so that paragraphs then refer to ids directly. Numbered
lists restart at 1 for every list: one ``w:num`` per list, with a
``w:startOverride``, tracked without searching the document.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from lxml import etree

from ...findings import DEFAULT_SEVERITY, Code, Finding
from .ooxml import VAL, W, xml

__all__ = ["HouseStyle", "Numbering", "Styles", "numbering_root", "style_element"]


def style_element(style_id: str, inner: str) -> etree._Element:
    """A paragraph ``w:style`` with the given id and inner XML."""
    return xml(f'<w:style xmlns:w="{{ns}}" w:type="paragraph" w:styleId="{style_id}">{inner}</w:style>')


@dataclass(frozen=True, slots=True)
class _StyleNeed:
    name: str
    """Name as Word stores it in English (compared without case)."""
    french: str
    """Name a French Word shows, for the warning."""


_REQUIRED_STYLES: dict[str, _StyleNeed] = {
    "normal": _StyleNeed("Normal", "Normal"),
    "title": _StyleNeed("Title", "Titre"),
    "h1": _StyleNeed("Heading 1", "Titre 1"),
    "h2": _StyleNeed("Heading 2", "Titre 2"),
    "h3": _StyleNeed("Heading 3", "Titre 3"),
    "bullet": _StyleNeed("List Bullet", "Liste à puces"),
    "number": _StyleNeed("List Number", "Liste numéros"),
}
"""Styles the recueil's paragraphs use; a template lacking one gets the house style's (FK106)."""

_SUPPLIED_STYLES: dict[str, tuple[str, str, str]] = {
    "subtitle": ("Subtitle", "normal", '<w:rPr><w:color w:val="595959"/><w:sz w:val="28"/></w:rPr>'),
    "toc_heading": ("TOC Heading", "h1", '<w:pPr><w:outlineLvl w:val="9"/></w:pPr>'),
    "toc1": ("toc 1", "normal", '<w:pPr><w:spacing w:before="120" w:after="40"/></w:pPr><w:rPr><w:b/></w:rPr>'),
    "toc2": ("toc 2", "normal", '<w:pPr><w:spacing w:after="40"/><w:ind w:left="284"/></w:pPr>'),
}
"""Styles fichekit adds to a template that lacks them, as Word itself does for
TOC styles: (name, based on, properties)."""


@dataclass(frozen=True, slots=True)
class HouseStyle:
    """The house style's own styles and numbering, where a template's missing styles come from."""

    styles: etree._Element
    numbering: etree._Element

    @classmethod
    def of(cls, document: Document) -> HouseStyle:
        """Taken from the house-style document before a template's parts replace its own."""
        return cls(document.styles.element, numbering_root(document))


def _paragraph_styles(styles: etree._Element) -> dict[str, str]:
    """Paragraph style ids by name, compared without case (the first one of a name wins)."""
    ids: dict[str, str] = {}
    for style in styles.iterfind(f"{W}style"):
        name = style.find(f"{W}name")
        if style.get(f"{W}type") == "paragraph" and name is not None:
            ids.setdefault((name.get(VAL) or "").casefold(), style.get(f"{W}styleId") or "")
    return ids


class Styles:
    """Style ids by role, resolved once: paragraphs then refer to ids directly.

    A style the recueil needs and the template lacks (a template saved by
    LibreOffice has no « Title » nor « List Bullet ») is copied from the
    house style, with a warning (FK106) saying how to choose its look.
    """

    def __init__(self, document: Document, house: HouseStyle, template: Path | None, findings: list[Finding]) -> None:
        self.element = document.styles.element
        self._numbering = numbering_root(document)
        self._house = house
        ids = _paragraph_styles(self.element)
        self._taken = {style.get(f"{W}styleId") or "" for style in self.element.iterfind(f"{W}style")}
        self._house_ids = _paragraph_styles(house.styles)
        self.ids: dict[str, str] = {}
        for role, need in _REQUIRED_STYLES.items():
            style_id = ids.get(need.name.casefold())
            if not style_id:
                style_id = self._copy_house_style(need.name)
                findings.append(
                    Finding(
                        code=Code.TEMPLATE_STYLE_ADDED,
                        severity=DEFAULT_SEVERITY[Code.TEMPLATE_STYLE_ADDED],
                        file=str(template),
                        message=(
                            f"le modèle n'a pas de style « {need.name} » (« {need.french} » dans Word en français) : "
                            "celui du recueil est utilisé ; pour choisir son apparence, appliquez ce style une fois "
                            "dans le modèle, modifiez-le puis enregistrez"
                        ),
                    )
                )
            self.ids[role] = style_id
        for role, (name, based_on, properties) in _SUPPLIED_STYLES.items():
            style_id = ids.get(name.casefold())
            if not style_id:
                style_id = self._free_id(name.replace(" ", "").upper() if name.startswith("toc") else name.replace(" ", ""))
                self.element.append(
                    style_element(
                        style_id,
                        f'<w:name w:val="{name}"/><w:basedOn w:val="{self.ids[based_on]}"/>'
                        f'<w:next w:val="{self.ids["normal"]}"/><w:uiPriority w:val="39"/>{properties}',
                    )
                )
            self.ids[role] = style_id

    def _free_id(self, wanted: str) -> str:
        style_id = wanted
        while style_id in self._taken:  # a character or table style may already use that id
            style_id += "Fichekit"
        self._taken.add(style_id)
        return style_id

    def _copy_house_style(self, name: str) -> str:
        """Copy the house style ``name`` into the document's styles; its new id."""
        house_id = self._house_ids[name.casefold()]
        source = next(s for s in self._house.styles.iterfind(f"{W}style") if s.get(f"{W}styleId") == house_id)
        style = copy.deepcopy(source)
        style_id = self._free_id(house_id)
        style.set(f"{W}styleId", style_id)
        for tag in ("basedOn", "next"):
            reference = style.find(f"{W}{tag}")
            if reference is not None:
                reference.set(VAL, self._output_id(reference.get(VAL) or ""))
        for linked in style.findall(f"{W}link"):  # its character twin stays in the house style
            style.remove(linked)
        num_id = style.find(f"{W}pPr/{W}numPr/{W}numId")
        if num_id is not None:
            num_id.set(VAL, _import_list(self._numbering, self._house.numbering, num_id.get(VAL) or ""))
        self.element.append(style)
        return style_id

    def _output_id(self, house_id: str) -> str:
        """The document's style for a house style id a copied style refers to."""
        for role, need in _REQUIRED_STYLES.items():
            if self._house_ids.get(need.name.casefold()) == house_id and role in self.ids:
                return self.ids[role]
        return house_id if house_id in self._taken else self.ids.get("normal", house_id)

    def numbering_of(self, style_id: str) -> tuple[str, str] | None:
        """``(numId, ilvl)`` a paragraph style (or one it is based on) numbers with."""
        by_id = {s.get(f"{W}styleId"): s for s in self.element.iterfind(f"{W}style")}
        seen: set[str] = set()
        current: str | None = style_id
        while current and current not in seen and current in by_id:
            seen.add(current)
            style = by_id[current]
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                num_id = num_pr.find(f"{W}numId")
                ilvl = num_pr.find(f"{W}ilvl")
                if num_id is not None:
                    return num_id.get(VAL, ""), ilvl.get(VAL, "0") if ilvl is not None else "0"
            based = style.find(f"{W}basedOn")
            current = based.get(VAL) if based is not None else None
        return None


def numbering_root(document: Document) -> etree._Element:
    """The document's ``w:numbering`` (the house style has one; a template's may replace it).

    Looked up by relationship each time: python-docx caches ``numbering_part``.
    """
    # The numbering relationship always targets an XML part; python-docx leaves its element untyped.
    part = cast(XmlPart, document.part.part_related_by(RT.NUMBERING))
    return cast(etree._Element, part.element)


def _insert_abstract(root: etree._Element, abstract: etree._Element) -> None:
    """``w:abstractNum`` elements come before every ``w:num`` (schema order)."""
    successor = root.find(f"{W}num")
    if successor is None:
        successor = root.find(f"{W}numIdMacAtCleanup")
    if successor is not None:
        successor.addprevious(abstract)
    else:
        root.append(abstract)


def _next_id(elements: list[etree._Element], attribute: str, start: int) -> str:
    return str(max((int(v) for e in elements if (v := e.get(f"{W}{attribute}") or "").isdigit()), default=start - 1) + 1)


def _import_list(root: etree._Element, house: etree._Element, num_id: str) -> str:
    """Copy the house list ``num_id`` (and its definition) into ``root``; the id it has there."""
    if root is house:
        return num_id
    num = next((n for n in house.iterfind(f"{W}num") if n.get(f"{W}numId") == num_id), None)
    abstract_ref = num.find(f"{W}abstractNumId") if num is not None else None
    source = next(
        (a for a in house.iterfind(f"{W}abstractNum") if abstract_ref is not None and a.get(f"{W}abstractNumId") == abstract_ref.get(VAL)),
        None,
    )
    assert source is not None, f"the house style defines its list {num_id}"
    abstract = copy.deepcopy(source)
    abstract_id = _next_id(list(root.iterfind(f"{W}abstractNum")), "abstractNumId", 0)
    abstract.set(f"{W}abstractNumId", abstract_id)
    for nsid in abstract.findall(f"{W}nsid"):  # an nsid identifies a list definition: the copy gets its own
        nsid.set(VAL, f"{0x5F1C4C00 + int(abstract_id):08X}")
    _insert_abstract(root, abstract)
    new_id = _next_id(list(root.iterfind(f"{W}num")), "numId", 1)
    element = etree.Element(f"{W}num")
    element.set(f"{W}numId", new_id)
    etree.SubElement(element, f"{W}abstractNumId").set(VAL, abstract_id)
    anchor = root.find(f"{W}numIdMacAtCleanup")
    if anchor is not None:
        anchor.addprevious(element)
    else:
        root.append(element)
    return new_id


_FALLBACK_ABSTRACT = (
    '<w:abstractNum xmlns:w="{ns}" w:abstractNumId="{id}"><w:nsid w:val="{nsid}"/>'
    '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="454" w:hanging="340"/></w:pPr>'
    "</w:lvl></w:abstractNum>"
)


class Numbering:
    """Numbered lists that each restart at 1, tracked without searching the document."""

    def __init__(self, document: Document, styles: Styles) -> None:
        self.root = numbering_root(document)
        nums = {n.get(f"{W}numId"): n for n in self.root.iterfind(f"{W}num")}
        abstract_ids = [a.get(f"{W}abstractNumId") or "" for a in self.root.iterfind(f"{W}abstractNum")]
        self.next_id = max((int(n) for n in nums if n and n.isdigit()), default=0) + 1
        self.anchor = self.root.find(f"{W}numIdMacAtCleanup")
        self.abstract_id: str | None = None
        self.ilvl = "0"
        style_numbering = styles.numbering_of(styles.ids["number"])
        if style_numbering is not None and style_numbering[0] in nums:
            abstract = nums[style_numbering[0]].find(f"{W}abstractNumId")
            if abstract is not None:
                self.abstract_id, self.ilvl = abstract.get(VAL), style_numbering[1]
        if self.abstract_id is None:
            # The template's List Number style is not numbered: give it plain "1." numbering.
            self.abstract_id = str(max((int(a) for a in abstract_ids if a.isdigit()), default=-1) + 1)
            _insert_abstract(self.root, xml(_FALLBACK_ABSTRACT.replace("{id}", self.abstract_id).replace("{nsid}", "5F1C4B01")))

    def new_list(self) -> str:
        """A new ``w:num`` on the List Number definition, restarting at 1; returns its id."""
        num_id = str(self.next_id)
        self.next_id += 1
        num = etree.Element(f"{W}num")
        num.set(f"{W}numId", num_id)
        etree.SubElement(num, f"{W}abstractNumId").set(VAL, self.abstract_id or "0")
        override = etree.SubElement(num, f"{W}lvlOverride")
        override.set(f"{W}ilvl", self.ilvl)
        etree.SubElement(override, f"{W}startOverride").set(VAL, "1")
        if self.anchor is not None:
            self.anchor.addprevious(num)
        else:
            self.root.append(num)
        return num_id


