"""The fiche record: pydantic models, described in the domain's French. No I/O.

The models are the schema (``fichekit schema``) and what the library API
returns; the grammar and the streaming writers carry the same records as
plain data (:mod:`fichekit.records`).

JSON keys are part of fichekit's public contract (websites, spreadsheets and
databases read them): they are French snake_case and never renamed.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from .headings import HEADINGS, SECTION_KEYS
from .records import ItemType, label, unique_codes

__all__ = ["Fiche", "Item", "ItemType", "Source", "Structure", "fiche_json_schema"]


class Item(BaseModel):
    """Un élément de contenu d'une rubrique : une ligne de la fiche, ou plusieurs
    lignes quand une phrase coupée continue plainement sur la suivante."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    texte: str = Field(
        description=(
            "Le texte tel qu'écrit dans la fiche, sans espaces de bord ni marqueur de liste. "
            "Quand une phrase coupée se poursuit sur les lignes suivantes, chaque ligne "
            "d'origine est gardée telle quelle, séparée par un saut de ligne (\\n)."
        )
    )
    type: ItemType = Field(
        default=ItemType.PARAGRAPHE,
        description=(
            "« paragraphe » pour une ligne de texte, « puce » pour un élément de liste "
            "à puces (-, •, *, –, >, o…), « numero » pour un élément de liste numérotée (1., 2)…)."
        ),
    )


class Structure(BaseModel):
    """Une structure porteuse, lue sur la ligne « → Avec … »."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    nom: str = Field(description="Nom de la structure, tel qu'écrit.")
    departements: list[str] = Field(
        default_factory=list,
        description=(
            "Codes entre parenthèses après le nom, tels qu'écrits : numéros de département "
            "(21, 2A, 974…) ou sigle de région (BFC…)."
        ),
    )

    def label(self) -> str:
        """``Secours catholique (71 et 58)``; the name alone without codes."""
        return label(self.nom, self.departements)


class Source(BaseModel):
    """D'où vient la fiche : fichier et lignes (numérotées à partir de 1)."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    file: str = Field(description="Chemin du fichier lu (« - » pour l'entrée standard).")
    line: int = Field(description="Ligne où commence la fiche (numéro de thème, thème ou ligne « Avec »).")
    structures_line: int | None = Field(
        default=None, description="Ligne « → Avec … » des structures, ou null si la fiche n'en a pas."
    )
    rubriques: dict[str, list[int]] = Field(
        default_factory=dict,
        description=(
            "Pour chaque rubrique présente, les lignes où son titre apparaît "
            "(plusieurs si le titre est répété). Une rubrique absente n'y figure pas."
        ),
    )


def _section_description(title: str) -> str:
    """One wording for the 13 rubriques' descriptions, so the JSON Schema reads alike for each."""
    return f"Rubrique « {title} » : ses éléments, dans l'ordre."


class Fiche(BaseModel):
    """Une fiche d'expérience : thème, structures, projet et les 13 rubriques."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    theme: str | None = Field(
        default=None, description="La question d'atelier au-dessus de la fiche, ou null."
    )
    theme_number: int | None = Field(
        default=None, description="Le numéro seul imprimé juste au-dessus du thème, ou null."
    )
    structures: list[Structure] = Field(
        default_factory=list, description="Les structures de la ligne « → Avec … », dans l'ordre."
    )
    projet: str | None = Field(
        default=None,
        description="Ce qui suit les structures après deux-points sur la ligne « Avec » (« projet MIAM »), ou null.",
    )
    localisation: list[Item] = Field(default_factory=list, description=_section_description(HEADINGS[0].title))
    chiffres_cles: list[Item] = Field(default_factory=list, description=_section_description(HEADINGS[1].title))
    publics_touches: list[Item] = Field(default_factory=list, description=_section_description(HEADINGS[2].title))
    partenaires: list[Item] = Field(default_factory=list, description=_section_description(HEADINGS[3].title))
    contexte: list[Item] = Field(default_factory=list, description=_section_description(HEADINGS[4].title))
    resultats: list[Item] = Field(default_factory=list, description=_section_description(HEADINGS[5].title))
    etapes: list[Item] = Field(default_factory=list, description=_section_description(HEADINGS[6].title))
    cles_du_succes: list[Item] = Field(default_factory=list, description=_section_description(HEADINGS[7].title))
    obstacles_et_freins: list[Item] = Field(default_factory=list, description=_section_description(HEADINGS[8].title))
    pistes_amelioration: list[Item] = Field(default_factory=list, description=_section_description(HEADINGS[9].title))
    conseils: list[Item] = Field(default_factory=list, description=_section_description(HEADINGS[10].title))
    ressources_mobilisees: list[Item] = Field(default_factory=list, description=_section_description(HEADINGS[11].title))
    apports_du_groupe: list[Item] = Field(default_factory=list, description=_section_description(HEADINGS[12].title))
    hors_rubrique: list[Item] = Field(
        default_factory=list,
        description=(
            "Texte de la fiche placé sous aucune rubrique (avant le premier titre, ou avant "
            "la première fiche du fichier) : gardé ici plutôt que perdu."
        ),
    )
    source: Source | None = Field(default=None, description="Fichier et lignes d'origine, ou null.")

    def sections(self) -> Iterator[tuple[str, list[Item]]]:
        """The 13 sections in canonical order, as ``(key, items)``."""
        for key in SECTION_KEYS:
            yield key, getattr(self, key)

    def structures_label(self) -> str:
        """Structures as one cell value: ``Civam Le Serpolet (39); Active (BFC)``."""
        return "; ".join(s.label() for s in self.structures)

    def structures_heading(self) -> str:
        """Structures as a French phrase, for headings: ``A (39), B (BFC) et C (71 et 58)``; empty without any."""
        labels = [s.label() for s in self.structures]
        if len(labels) <= 1:
            return "".join(labels)
        return f"{', '.join(labels[:-1])} et {labels[-1]}"

    def departements(self) -> list[str]:
        """All département/region codes of the sheet, in order, without repeats."""
        return unique_codes(structure.departements for structure in self.structures)



def fiche_json_schema() -> dict[str, object]:
    """JSON Schema (draft 2020-12) of one record, generated from the model."""
    schema: dict[str, object] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    schema.update(Fiche.model_json_schema())
    return schema
