"""Style roles and numbered lists: which style id each kind of paragraph uses.

Styles are found by the English name Word stores (« Heading 1 » even in a
French Word), once, so that paragraphs then refer to ids directly. Numbered
lists restart at 1 for every list: one ``w:num`` per list, with a
``w:startOverride``, tracked without searching the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.parts.numbering import NumberingPart
from lxml import etree

from ...errors import TemplateError
from .ooxml import VAL, W, W_NS, xml


def style_element(style_id: str, inner: str) -> etree._Element:
    """A paragraph ``w:style`` with the given id and inner XML."""
    return xml(f'<w:style xmlns:w="{{ns}}" w:type="paragraph" w:styleId="{style_id}">{inner}</w:style>')


@dataclass(frozen=True, slots=True)
class _StyleNeed:
    name: str
    """Name as Word stores it in English (compared without case)."""
    french: str
    """Name a French Word shows, for the error message."""


_REQUIRED_STYLES: dict[str, _StyleNeed] = {
    "normal": _StyleNeed("Normal", "Normal"),
    "title": _StyleNeed("Title", "Titre"),
    "h1": _StyleNeed("Heading 1", "Titre 1"),
    "h2": _StyleNeed("Heading 2", "Titre 2"),
    "h3": _StyleNeed("Heading 3", "Titre 3"),
    "bullet": _StyleNeed("List Bullet", "Liste à puces"),
    "number": _StyleNeed("List Number", "Liste numéros"),
}
"""Styles a template must define: they carry the recueil's look."""

_SUPPLIED_STYLES: dict[str, tuple[str, str, str]] = {
    "subtitle": ("Subtitle", "normal", '<w:rPr><w:color w:val="595959"/><w:sz w:val="28"/></w:rPr>'),
    "toc_heading": ("TOC Heading", "h1", '<w:pPr><w:outlineLvl w:val="9"/></w:pPr>'),
    "toc1": ("toc 1", "normal", '<w:pPr><w:spacing w:before="120" w:after="40"/></w:pPr><w:rPr><w:b/></w:rPr>'),
    "toc2": ("toc 2", "normal", '<w:pPr><w:spacing w:after="40"/><w:ind w:left="284"/></w:pPr>'),
}
"""Styles fichekit adds to a template that lacks them, as Word itself does for
TOC styles: (name, based on, properties)."""

class Styles:
    """Style ids by role, resolved once: paragraphs then refer to ids directly."""

    def __init__(self, document: Document, template: Path | None) -> None:
        self.element = document.styles.element
        ids: dict[str, str] = {}
        taken: set[str] = set()
        for style in self.element.iterfind(f"{W}style"):
            name = style.find(f"{W}name")
            taken.add(style.get(f"{W}styleId") or "")
            if style.get(f"{W}type") == "paragraph" and name is not None:
                ids.setdefault((name.get(VAL) or "").casefold(), style.get(f"{W}styleId") or "")
        self.ids: dict[str, str] = {}
        for role, need in _REQUIRED_STYLES.items():
            style_id = ids.get(need.name.casefold())
            if not style_id:
                raise TemplateError(
                    f"le style « {need.name} » (« {need.french} » dans Word en français) manque dans le modèle : "
                    "ajoutez-le (appliquez-le une fois à un paragraphe puis enregistrez) et réessayez",
                    path=template,
                )
            self.ids[role] = style_id
        for role, (name, based_on, properties) in _SUPPLIED_STYLES.items():
            style_id = ids.get(name.casefold())
            if not style_id:
                style_id = name.replace(" ", "").upper() if name.startswith("toc") else name.replace(" ", "")
                while style_id in taken:  # a character or table style may already use that id
                    style_id += "Fichekit"
                taken.add(style_id)
                self.element.append(
                    style_element(
                        style_id,
                        f'<w:name w:val="{name}"/><w:basedOn w:val="{self.ids[based_on]}"/>'
                        f'<w:next w:val="{self.ids["normal"]}"/><w:uiPriority w:val="39"/>{properties}',
                    )
                )
            self.ids[role] = style_id

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


_EMPTY_NUMBERING = f'<w:numbering xmlns:w="{W_NS}"/>'
_FALLBACK_ABSTRACT = (
    '<w:abstractNum xmlns:w="{ns}" w:abstractNumId="{id}"><w:nsid w:val="{nsid}"/>'
    '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="454" w:hanging="340"/></w:pPr>'
    "</w:lvl></w:abstractNum>"
)


class Numbering:
    """Numbered lists that each restart at 1, tracked without searching the document."""

    def __init__(self, document: Document, styles: Styles) -> None:
        part = self._numbering_part(document)
        self.root = part.element
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
            element = xml(_FALLBACK_ABSTRACT.replace("{id}", self.abstract_id).replace("{nsid}", "5F1C4B01"))
            first_num = self.root.find(f"{W}num")
            if first_num is not None:
                first_num.addprevious(element)
            elif self.anchor is not None:
                self.anchor.addprevious(element)
            else:
                self.root.append(element)

    @staticmethod
    def _numbering_part(document: Document) -> NumberingPart:
        part = document.part
        try:
            return part.part_related_by(RT.NUMBERING)  # type: ignore[return-value]
        except KeyError:
            partname = PackURI("/word/numbering.xml")
            if any(p.partname == partname for p in part.package.iter_parts()):
                partname = part.package.next_partname("/word/numbering%d.xml")
            numbering = NumberingPart(partname, CT.WML_NUMBERING, xml(_EMPTY_NUMBERING), part.package)
            part.relate_to(numbering, RT.NUMBERING)
            return numbering

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


