"""The fiche record: pydantic models, described in the domain's French. No I/O.

JSON keys are part of fichekit's public contract (websites, spreadsheets and
databases read them): they are French snake_case and never renamed.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from .headings import HEADINGS, SECTION_KEYS

__all__ = ["Fiche", "Item", "ItemType", "Source", "Structure", "fiche_json_schema"]


class ItemType(StrEnum):
    """How a content line was written in the sheet."""

    PARAGRAPHE = "paragraphe"
    PUCE = "puce"
    NUMERO = "numero"


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


def _section_field(title: str) -> object:
    return Field(default_factory=list, description=f"Rubrique « {title} » : ses éléments, dans l'ordre.")


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
    localisation: list[Item] = _section_field(HEADINGS[0].title)  # type: ignore[assignment]
    chiffres_cles: list[Item] = _section_field(HEADINGS[1].title)  # type: ignore[assignment]
    publics_touches: list[Item] = _section_field(HEADINGS[2].title)  # type: ignore[assignment]
    partenaires: list[Item] = _section_field(HEADINGS[3].title)  # type: ignore[assignment]
    contexte: list[Item] = _section_field(HEADINGS[4].title)  # type: ignore[assignment]
    resultats: list[Item] = _section_field(HEADINGS[5].title)  # type: ignore[assignment]
    etapes: list[Item] = _section_field(HEADINGS[6].title)  # type: ignore[assignment]
    cles_du_succes: list[Item] = _section_field(HEADINGS[7].title)  # type: ignore[assignment]
    obstacles_et_freins: list[Item] = _section_field(HEADINGS[8].title)  # type: ignore[assignment]
    pistes_amelioration: list[Item] = _section_field(HEADINGS[9].title)  # type: ignore[assignment]
    conseils: list[Item] = _section_field(HEADINGS[10].title)  # type: ignore[assignment]
    ressources_mobilisees: list[Item] = _section_field(HEADINGS[11].title)  # type: ignore[assignment]
    apports_du_groupe: list[Item] = _section_field(HEADINGS[12].title)  # type: ignore[assignment]
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
        """Structures as one readable label: ``Civam Le Serpolet (39) ; Active (BFC)``."""
        return "; ".join(_structure_label(s) for s in self.structures)

    def departements(self) -> list[str]:
        """All département/region codes of the sheet, in order, without repeats."""
        seen: dict[str, None] = {}
        for structure in self.structures:
            for code in structure.departements:
                seen.setdefault(code, None)
        return list(seen)


def _structure_label(structure: Structure) -> str:
    if not structure.departements:
        return structure.nom
    return f"{structure.nom} ({' et '.join(structure.departements)})"


# The model's field order must follow the heading table: one source of truth.
assert tuple(k for k in Fiche.model_fields if k in SECTION_KEYS) == SECTION_KEYS


def fiche_json_schema() -> dict[str, object]:
    """JSON Schema of one record, generated from the model."""
    return Fiche.model_json_schema()
