"""Deterministic generator of synthetic fiche exports, for the benchmarks.

The benchmarks need exports far larger than any real one (100,000 sheets,
~270 MB) that still carry the mess of real exports, so that the parser does
the same work per sheet as on real files: theme number lines, themes ending
with "?", every form of the "Avec" line, content on heading lines, every kind
of bullet, wrapped sentences and timelines, empty sections, heading variants
(case, accents, no-break spaces, typographic apostrophes), tabs and indented
bullets, and page breaks (form feeds) with page numbers.

A big export is modelled as a concatenation of "documents" (one workshop
report each, 10 to 60 sheets, pages numbered from 1), each with its own
style: a clean export, a report typed in Word, or a PDF converted to text.
All text is fictional, assembled from word lists; nothing is copied from
real sheets. Only the standard library is used, and the output depends only
on the seed and the counts, so every run measures the same bytes.

Usage::

    python benchmarks/generate.py --sheets 100000 -o /tmp/big.txt
    python benchmarks/generate.py --files 1000 --out-dir /tmp/fiches
"""

from __future__ import annotations

import argparse
import random
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

DEFAULT_SEED = 20250312

# --------------------------------------------------------------------------
# Word lists. Organisations, places and people are invented.
# --------------------------------------------------------------------------

_SYLLABLES_START = (
    "Ker", "Mont", "Bel", "Val", "Roc", "Fon", "Cour", "Ver", "Lan", "Mor", "Sau", "Bré", "Gen", "Pla",
    "Vil", "Ros", "Cha", "Mar", "Bois", "Lor", "Tal", "Vau", "Gui", "Pen", "Cas", "Sal", "Ber", "Lu",
)
_SYLLABLES_END = (
    "nay", "val", "mont", "ville", "court", "lieu", "bourg", "ac", "ignac", "ières", "oux", "elle",
    "ans", "eval", "ard", "agne", "ouët", "ec", "ors", "igny", "ezac", "anges", "ers", "oire",
)
_PLACE_SUFFIXES = (
    "", "", "", "", "-sur-Loire", "-sur-Meuse", "-les-Bains", "-en-Vallée", "-des-Landes", "-le-Haut",
    "-sur-Aure", "-la-Forêt", "-de-Lez",
)
_PLACE_PREFIXES = ("", "", "", "", "Saint-", "Sainte-", "Le ", "La ", "Les ")
_REGIONS = ("BFC", "NOR", "OCC", "GE", "BRE", "ARA", "PDL", "HDF", "IDF", "NAQ", "CVL", "PACA")
_ORG_KINDS = (
    "Épicerie solidaire", "Association", "Collectif", "Centre social", "Tiers-lieu", "Civam",
    "Restaurant solidaire", "Épicerie itinérante", "Groupement d'achats",
)
_LOCAL_ORG_KINDS = (
    "Banque alimentaire de", "Jardin partagé de", "CCAS de", "Maison des solidarités de", "Régie de quartier de",
    "Frigo solidaire de", "Secours solidaire de",
)
_ORG_NAMES = (
    "Le Panier Partagé", "La Passerelle", "Les Paniers du Coin", "La Main Tendue", "Le Cabas", "Graines d'Avenir",
    "L'Escale", "Le Pont", "La Ruche", "Entraide et Partage", "Les Jardins du Lien", "Le Grenier",
    "Solid'Air", "Épi'Vert", "Cœur de Ville", "La Fourmilière", "Les Potagers Ouverts", "Terre Commune",
)
_ACRONYMS = ("MIAM", "PANIERS", "SOLI", "ALIM", "CABAS", "TERRA", "PARTAGE", "VERGERS", "RELAIS", "GLANAGE")

_THEME_STARTS = (
    "Comment associer", "Comment accompagner", "Comment développer", "Comment renforcer", "Comment mobiliser",
    "Comment lutter contre", "Comment rendre accessible", "Quels liens possibles entre", "Comment financer",
    "Comment impliquer", "Comment améliorer", "Comment coordonner",
)
_THEME_OBJECTS = (
    "les personnes accueillies à la gouvernance des structures",
    "le pouvoir d'agir des personnes concernées",
    "des alliances publiques/privées pour lutter contre la précarité alimentaire",
    "l'isolement alimentaire en milieu rural",
    "le secteur de l'aide alimentaire et le monde agricole",
    "une alimentation de qualité pour tous",
    "les bénévoles dans la durée",
    "les jeunes et les étudiants en situation de précarité",
    "le gaspillage tout en améliorant la qualité de l'aide alimentaire",
    "les acteurs d'un même territoire",
    "l'accès aux produits frais dans les quartiers",
    "les épiceries solidaires sur le long terme",
)

_SUBJECTS = (
    # (subject, plural?)
    ("Les bénévoles", True), ("Les familles accueillies", True), ("Le conseil d'administration", False),
    ("La cuisine centrale", False), ("Les producteurs locaux", True), ("Le centre social", False),
    ("Les travailleurs sociaux", True), ("L'équipe salariée", False), ("Les personnes accueillies", True),
    ("La mairie", False), ("Les commerçants du marché", True), ("Les étudiants", True), ("Le CCAS", False),
    ("La banque alimentaire", False), ("Les adhérents", True), ("Le comité de pilotage", False),
    ("Les habitants du quartier", True), ("La communauté de communes", False), ("Les jardiniers", True),
    ("Les partenaires institutionnels", True),
)
_VERBS = (
    # (singular, plural)
    ("organise", "organisent"), ("propose", "proposent"), ("finance", "financent"), ("anime", "animent"),
    ("prépare", "préparent"), ("accompagne", "accompagnent"), ("relaie", "relaient"), ("soutient", "soutiennent"),
    ("coordonne", "coordonnent"), ("construit", "construisent"), ("teste", "testent"), ("évalue", "évaluent"),
    ("partage", "partagent"), ("accueille", "accueillent"),
)
_INFINITIVES = (
    "Mobiliser", "Accompagner", "Former", "Rencontrer", "Impliquer", "Financer", "Organiser", "Valoriser",
    "Sensibiliser", "Coordonner", "Associer", "Recruter", "Fidéliser", "Informer", "Consulter", "Soutenir",
    "Prévoir", "Choisir", "Rembourser", "Anticiper", "Écrire", "Partager", "Limiter", "Diversifier",
)
_OBJECTS = (
    "des ateliers de cuisine", "une collecte solidaire", "un groupement d'achats", "des paniers de légumes",
    "un camion itinérant", "des permanences mensuelles", "une charte commune", "un diagnostic partagé",
    "une formation à l'accueil", "les bénévoles historiques", "les élus locaux", "un comité des usagers",
    "la ramasse du week-end", "un jardin pédagogique", "des sorties culturelles", "un lieu accueillant",
    "les frais de déplacement", "une garde d'enfants", "les invendus des supermarchés", "une épicerie mobile",
    "des temps de convivialité", "la logistique du froid", "un tiers-lieu", "des achats groupés",
    "une tarification solidaire", "un réseau de glaneurs", "les circuits courts", "des repas partagés",
)
_COMPLEMENTS = (
    "chaque semaine", "dès la première année", "sur tout le territoire", "avec les partenaires du secteur",
    "malgré le manque de moyens", "depuis l'ouverture", "dans plusieurs communes", "en lien avec le CCAS",
    "pendant les vacances scolaires", "avec l'appui d'un chargé de mission", "à tour de rôle",
    "sans condition de ressources", "au plus près des habitants", "une fois par mois", "avant chaque distribution",
    "avec des étudiants volontaires", "dans le respect de chacun", "autour d'un café",
)
_PROBLEMS = (
    "Manque de bénévoles disponibles en semaine", "Difficulté à renouveler les membres du comité",
    "Financements annuels qui empêchent de se projeter", "Coût du carburant et de l'entretien du camion",
    "Peur du regard des autres dans une petite ville", "Épuisement de quelques bénévoles très investis",
    "Routes difficiles l'hiver, tournées annulées en cas de neige", "Locaux trop petits pour stocker le frais",
    "Temps d'animation non financé", "Zones blanches sans réseau téléphonique", "Mobilité des personnes âgées",
    "Concurrence avec la restauration collective pour les producteurs", "Turn-over des services civiques",
    "Juridification du bénévolat", "Dépendance aux dons de la grande distribution",
)
_PUBLICS = (
    "familles monoparentales", "retraités aux petites pensions", "étudiants", "personnes seules",
    "travailleurs saisonniers", "jeunes de moins de 25 ans", "personnes sans voiture", "foyers en logement isolé",
    "demandeurs d'asile", "travailleurs pauvres",
)
_UNITS = (
    "bénévoles", "salariés", "foyers inscrits", "familles accompagnées", "passages par semaine",
    "tonnes de denrées redistribuées", "communes desservies", "producteurs partenaires", "jardins partagés",
    "antennes", "ateliers par an", "donateurs",
)
_PARTNERS = (
    "Conseil départemental", "Banque alimentaire départementale", "CAF", "MSA", "Fondation des Solidarités",
    "Communauté de communes", "Chambre d'agriculture", "Secours solidaire", "Ville de {town}", "CCAS de {town}",
    "Mission locale", "Cuisine centrale de {town}", "Maison France Services", "Réseau des épiceries solidaires",
)
_CAPS_TOPICS = (
    "ATELIERS CUISINE", "COMITÉ DES ADHÉRENTS", "JARDIN PARTAGÉ", "ÉPICERIE MOBILE", "MARCHÉ DE PRODUITS FRAIS",
    "COMMISSIONS DES USAGERS", "SORTIES FAMILLES", "GROUPEMENT D'ACHATS", "TIERS-LIEU",
)
_EVENTS = (
    "création de l'association", "ouverture du premier local", "arrivée d'une nouvelle coordinatrice",
    "achat du camion d'occasion", "premières tournées dans les villages", "signature de la convention avec le PAT",
    "modification des statuts", "extension à une seconde antenne", "lancement du comité des adhérents",
    "ouverture du jardin partagé", "diagnostic du non-recours avec le CCAS", "premier repas partagé",
)
_STEPS = (
    "Diagnostic du territoire", "Analyse de la problématique", "Partager le diagnostic", "Constituer un groupe moteur",
    "Tester sur une antenne", "Évaluer", "Ajuster", "Rencontrer les acteurs", "Écrire la charte", "Rester en lien",
)
_MONTHS = (
    "Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Septembre", "Octobre", "Novembre", "Décembre",
)
_DOC_TITLES = (
    "Restitution des ateliers – Rencontre régionale du {day} {month} {year}",
    "Compte rendu des ateliers d'échange de pratiques ({year})",
    "Fiches d'expérience – journée régionale de l'aide alimentaire",
    "Recueil des ateliers, édition {year}",
)
_DOC_SUBTITLES = (
    "{town}, le {day} {month} {year} – Maison des associations",
    "Compte rendu rédigé par l’équipe d’animation, relu par les intervenants",
    "Document de travail, diffusion interne",
)
_SPACED_BULLETS = ("- ", "• ", "- > ", "o ", "* ", "– ", "▪ ", "\uf0b7 ", "> ")
_WRAP_WORDS = ("pour", "avec", "de", "et", "dans", "sur", "entre", "par")

# The 13 headings, canonical text, in order (the generator only writes them;
# the parser's table lives in fichekit.headings).
_HEADINGS = (
    "Localisation", "Chiffres clés", "Publics touchés", "Partenaires",
    "Contexte et situation initiale/prérequis", "Résultats", "Etapes de mise en place", "Clés du succès",
    "Obstacles et freins", "Pistes d'amélioration ou de développement",
    "Conseils pour la mise en oeuvre sur d'autres territoires et points de vigilance",
    "Ressources mobilisées", "Apports du groupe",
)
# Misspellings that fichekit accepts with a warning (near misses).
_NEAR_MISSES = {8: "Obstacle et freins", 11: "Ressources mobilisés"}


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class DocumentStyle:
    """How one document of the export was produced: decides its kinds of mess."""

    page_breaks: bool
    """Converted from PDF: form feeds, page numbers, tabs, indented symbol bullets."""
    variant_rate: float
    """Share of headings written in a variant form (case, accents, spaces)."""
    preamble: bool
    """A title block before the first sheet."""


@dataclass(slots=True)
class Line:
    """One output line; ``breakable`` says whether a page may start just before it."""

    text: str
    breakable: bool = True


class ExportGenerator:
    """Produces sheets, documents and whole exports from one seeded random source."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.rng = random.Random(seed)
        self.theme_number = 0
        self.theme = ""
        self.sheets_left_in_theme = 0

    # -- small pieces ---------------------------------------------------------
    def town(self) -> str:
        r = self.rng
        name = r.choice(_SYLLABLES_START) + r.choice(_SYLLABLES_END)
        return r.choice(_PLACE_PREFIXES) + name + r.choice(_PLACE_SUFFIXES)

    def departement(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.08:
            return r.choice(_REGIONS)
        if roll < 0.11:
            return r.choice(("2A", "2B", "974", "971"))
        return f"{r.randint(1, 95):02d}"

    def organisation(self) -> str:
        r = self.rng
        if r.random() < 0.6:
            return f"{r.choice(_ORG_KINDS)} {r.choice(_ORG_NAMES)}"
        return f"{r.choice(_LOCAL_ORG_KINDS)} {self.town()}"

    def clause(self) -> str:
        """Subject and verb agreeing in number: "Les bénévoles animent"."""
        subject, plural = self.rng.choice(_SUBJECTS)
        return f"{subject} {self.rng.choice(_VERBS)[plural]}"

    def sentence(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.4:
            return f"{self.clause()} {r.choice(_OBJECTS)} {r.choice(_COMPLEMENTS)}"
        if roll < 0.75:
            return f"{r.choice(_INFINITIVES)} {r.choice(_OBJECTS)} {r.choice(_COMPLEMENTS)}"
        if roll < 0.9:
            return f"{self.clause()} {r.choice(_OBJECTS)} (« {r.choice(_OBJECTS)} »)"
        return f"{r.choice(_CAPS_TOPICS)} : {r.choice(_OBJECTS)} {r.choice(_COMPLEMENTS)}"

    def figure(self) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.45:
            return f"{r.randint(2, 400)} {r.choice(_UNITS)}"
        if roll < 0.6:
            return f"{r.randint(1, 30)},{r.randint(1, 9)} ETP"
        if roll < 0.7:
            return f"{r.randint(2, 40)}.{r.randint(1, 9)} ETP (salariés et bénévoles)"
        if roll < 0.85:
            return f"Budget : {r.randint(20, 950)} {r.randint(100, 999)}€ et {r.randint(5, 90)} 000€ de valorisation du bénévolat"
        return f"{r.randint(3, 60)}% des foyers sont des {r.choice(_PUBLICS)}"

    def wrapped(self, text: str) -> list[str]:
        """A sentence cut over two lines the way word processors and PDFs do."""
        r = self.rng
        roll = r.random()
        if roll < 0.5:
            return [f"{text} {r.choice(_WRAP_WORDS)}", f"{r.choice(_OBJECTS)} {r.choice(_COMPLEMENTS)}"]
        if roll < 0.8:
            return [f"{text} ({r.choice(_OBJECTS)},", f"{r.choice(_OBJECTS)})"]
        return [f"{text},", f"{r.choice(_OBJECTS)} {r.choice(_COMPLEMENTS)}"]

    # -- sections -------------------------------------------------------------
    def heading(self, index: int, style: DocumentStyle, rest: str = "") -> str:
        """Heading line ``index`` (0-12), in a variant form at the document's rate."""
        r = self.rng
        title = _HEADINGS[index]
        colon = " :"
        if r.random() < style.variant_rate:
            roll = r.random()
            if roll < 0.2:
                title = title.upper()
            elif roll < 0.35:
                title = _strip_accents(title)
            elif roll < 0.45 and index == 6:
                title = "Étapes de mise en place"
            elif roll < 0.55:
                title = title.replace("oeuvre", "œuvre").replace("'", "’").replace("/", " / ")
            elif roll < 0.65:
                title = title.replace(" ", "  ", 1)
            elif roll < 0.7 and index in _NEAR_MISSES:
                title = _NEAR_MISSES[index]
            colon = r.choice((":", "\u00a0:", "\u202f:", " :"))
        elif r.random() < 0.12:
            colon = ":"
        if style.page_breaks and rest and r.random() < 0.3:
            return f"{title}{colon}\t{rest}"
        if rest:
            return f"{title}{colon} {rest}"
        if style.variant_rate and r.random() < 0.03:
            return title  # a heading without its colon
        return title + colon + (" " * r.randint(1, 3) if style.page_breaks and r.random() < 0.2 else "")

    def bullets(self, count: int, style: DocumentStyle, make: Callable[[], str] | None = None) -> list[Line]:
        """A list in one bullet style, sometimes with a wrapped item or a sub-bullet."""
        r = self.rng
        make = make or self.sentence
        numbered = r.random() < 0.12
        marker = r.choice(_SPACED_BULLETS[:4] if not style.page_breaks else _SPACED_BULLETS)
        indent = "   " if style.page_breaks and r.random() < 0.3 else ""
        lines: list[Line] = []
        for number in range(1, count + 1):
            prefix = f"{number}{r.choice('.)')} " if numbered else marker
            text = make()
            if r.random() < 0.1:
                first, second = self.wrapped(text)
                lines += [Line(f"{indent}{prefix}{first}"), Line(second)]
            else:
                lines.append(Line(f"{indent}{prefix}{text}" + (" " if r.random() < 0.05 else "")))
            if r.random() < 0.06:
                lines.append(Line(f"{indent}   o {r.choice(_OBJECTS)}"))
        return lines

    def paragraphs(self, count: int) -> list[Line]:
        r = self.rng
        lines: list[Line] = []
        for _ in range(count):
            text = self.sentence()
            if r.random() < 0.15:
                lines += [Line(part) for part in self.wrapped(text)]
            else:
                lines.append(Line(text))
        return lines

    def timeline(self, style: DocumentStyle) -> list[Line]:
        r = self.rng
        year = r.randint(1995, 2021)
        lines: list[Line] = []
        roll = r.random()
        if roll < 0.55:
            for _ in range(r.randint(3, 5)):
                year += r.randint(1, 3)
                event = r.choice(_EVENTS)
                sep = "\t" if style.page_breaks and r.random() < 0.3 else r.choice((" : ", ": "))
                if r.random() < 0.35:
                    first, rest = event.split(" ", 1)
                    lines += [Line(f"{year}{sep}{first}"), Line(""), Line(rest)]
                else:
                    lines.append(Line(f"{year}{sep}{event}."))
                lines.append(Line(""))
            if r.random() < 0.4:
                lines.append(Line(f"Objectif : {r.choice(_INFINITIVES).lower()} {r.choice(_OBJECTS)}"))
        elif roll < 0.8:
            for _ in range(2):
                start, end = r.choice(_MONTHS), r.choice(_MONTHS)
                lines += [Line(f"{start} {year} - {end} {year + 1}"), Line("")]
                lines += [Line(" - ".join(_strip_accents(s).upper() for s in r.sample(_STEPS, 3))), Line("")]
                lines += [Line(self.sentence()), Line("")]
                year += 2
        else:
            for _ in range(r.randint(3, 4)):
                first, second = r.sample(_STEPS, 2)
                lines += [Line(f"{first} /"), Line(second), Line("")]
        return lines

    def structures_line(self) -> tuple[Line, bool]:
        """The "Avec" line, and whether it has an arrow (no page break may follow one without)."""
        r = self.rng
        roll = r.random()
        org = self.organisation()
        if roll < 0.15:
            second = f"{self.organisation()} ({r.choice(_REGIONS)})"
            return Line(f"Avec {org} ({self.departement()}) et {second} : projet {r.choice(_ACRONYMS)}"), False
        deps = self.departement() if r.random() < 0.85 else f"{self.departement()} et {self.departement()}"
        arrow = r.choice(("→ ", "→ ", "→ ", "→ ", "→", "->", "-> ", "=> "))
        project = f" : projet {r.choice(_ACRONYMS)}" if r.random() < 0.1 else ""
        return Line(f"{arrow}Avec {org} ({deps}){project}"), True

    def sheet(self, style: DocumentStyle, first_in_document: bool) -> list[Line]:
        """One sheet, from its optional theme number to its last section."""
        r = self.rng
        out: list[Line] = []
        if self.sheets_left_in_theme == 0 or first_in_document:
            self.theme_number += 1
            self.theme = f"{r.choice(_THEME_STARTS)} {r.choice(_THEME_OBJECTS)}{r.choice((' ?', ' ?', ' ?', chr(0xA0) + '?'))}"
            self.sheets_left_in_theme = r.randint(1, 5)
            show_number = r.random() < 0.6
        else:
            show_number = r.random() < 0.2
        self.sheets_left_in_theme -= 1
        if show_number:
            out += [Line(str(self.theme_number)), Line("")]
        out += [Line(self.theme), Line("")]
        avec, has_arrow = self.structures_line()
        out += [avec, Line("", breakable=has_arrow)]
        blank = Line("")
        gap = [blank, blank, blank]

        # Localisation
        town = self.town()
        place = r.choice((town.upper(), town, f"{town} et {self.town()}", f"{town} ({r.randint(3, 40)} communes)"))
        out += [Line(self.heading(0, style, place), breakable=has_arrow), blank]
        if r.random() < 0.2:
            out += [Line(f"PAT du Pays de {self.town()}"), blank]
        # Chiffres clés
        if r.random() < 0.5:
            out.append(Line(self.heading(1, style, self.figure())))
            out += [Line(self.figure()) for _ in range(r.randint(1, 3))]
        else:
            out += [Line(self.heading(1, style)), blank, *self.bullets(r.randint(3, 5), style, self.figure)]
        out.append(blank)
        # Publics touchés
        publics = f"Sur {r.randint(100, 4000)} foyers : {r.randint(10, 60)}% de {r.choice(_PUBLICS)}, {r.randint(5, 40)}% de {r.choice(_PUBLICS)}"
        if r.random() < 0.5:
            out += [Line(self.heading(2, style, publics)), blank]
        else:
            out += [Line(self.heading(2, style)), blank, Line(publics), *self.paragraphs(r.randint(1, 2)), blank]
        # Partenaires
        partners = [p.format(town=self.town()) for p in r.sample(_PARTNERS, r.randint(2, 5))]
        roll = r.random()
        if roll < 0.35:
            out += [Line(self.heading(3, style, f"{partners[0]} : dispositif « {r.choice(_ACRONYMS).title()} »"))]
        elif roll < 0.7:
            out += [Line(self.heading(3, style)), blank, Line(", ".join(partners))]
        else:
            out += [Line(self.heading(3, style)), blank, *(Line(p) for p in partners)]
        out += gap
        # Contexte
        out += [Line(self.heading(4, style)), blank]
        if r.random() < 0.6:
            out += self.bullets(r.randint(2, 4), style)
        else:
            out += [*self.paragraphs(1), blank]
            out += [Line(f"{n}. {self.sentence()}") for n in range(1, r.randint(3, 4))]
        out += gap
        # Résultats
        out += [Line(self.heading(5, style)), blank]
        if r.random() < 0.3:
            out += [Line(r.choice(("Exemples :", f"Projet « {r.choice(_ACRONYMS).title()} » :"))), blank]
        out += self.bullets(r.randint(2, 5), style)
        out += gap
        # Etapes
        out += [Line(self.heading(6, style)), blank, *self.timeline(style)]
        out += gap[:2]
        # Clés du succès
        if r.random() < 0.25:
            out += [Line(self.heading(7, style, f"• {self.sentence()}")), blank]
        else:
            out += [Line(self.heading(7, style)), blank]
        out += self.bullets(r.randint(2, 5), style)
        out += gap
        # Obstacles et freins
        out += [Line(self.heading(8, style)), blank, *self.bullets(r.randint(2, 5), style, lambda: r.choice(_PROBLEMS))]
        out += gap
        # Pistes
        out += [Line(self.heading(9, style)), blank, *self.bullets(r.randint(1, 4), style)]
        out += gap
        # Conseils: sometimes empty, the next heading following at once
        out += [Line(self.heading(10, style)), blank]
        if r.random() < 0.12:
            out.append(blank)
        elif r.random() < 0.3:
            out += [Line(self.sentence()), blank, blank, blank]
        else:
            out += [*self.bullets(r.randint(1, 3), style), *gap]
        # Ressources mobilisées
        out += [Line(self.heading(11, style)), blank]
        out += self.bullets(r.randint(1, 4), style, self.figure if r.random() < 0.3 else None)
        out += gap
        # Apports du groupe: often empty
        out += [Line(self.heading(12, style)), blank]
        roll = r.random()
        if roll < 0.15:
            out += self.bullets(1, style, lambda: f"{self.sentence()} ?")
        elif roll < 0.55:
            out += self.bullets(r.randint(1, 3), style)
        out += [blank] * r.randint(3, 5)
        return out

    # -- documents --------------------------------------------------------------
    def document_style(self) -> DocumentStyle:
        r = self.rng
        kind = r.random()
        if kind < 0.35:
            return DocumentStyle(page_breaks=True, variant_rate=0.05, preamble=False)
        if kind < 0.6:
            return DocumentStyle(page_breaks=False, variant_rate=0.35, preamble=r.random() < 0.7)
        return DocumentStyle(page_breaks=False, variant_rate=0.0, preamble=r.random() < 0.2)

    def document(self, sheets: int) -> Iterator[str]:
        """Text chunks of one document of ``sheets`` sheets, pages numbered from 1."""
        r = self.rng
        style = self.document_style()
        self.theme_number = 0
        lines: list[Line] = []
        if style.preamble:
            values = {"day": r.randint(1, 28), "month": r.choice(_MONTHS).lower(), "year": r.randint(2019, 2025), "town": self.town()}
            lines += [Line(r.choice(_DOC_TITLES).format(**values)), Line(r.choice(_DOC_SUBTITLES).format(**values))]
            lines += [Line("")] * 3
        page = 1
        page_length = r.randint(45, 60)
        on_page = 0
        for index in range(sheets):
            lines += self.sheet(style, first_in_document=index == 0)
            chunk: list[str] = []
            for line in lines:
                if style.page_breaks and on_page >= page_length and line.text and line.breakable:
                    chunk.append(f"{page}\n" + ("\n" if r.random() < 0.7 else ""))
                    page += 1
                    on_page = 0
                    page_length = r.randint(45, 60)
                    chunk.append(f"\f{line.text}\n")
                else:
                    chunk.append(line.text + "\n")
                on_page += 1
            lines = []
            yield "".join(chunk)
        if style.page_breaks:
            # Like pdftotext: the last page number, then a form feed without a line end.
            yield f"{page}\n\f"

    def export(self, sheets: int) -> Iterator[str]:
        """Text chunks of an export of ``sheets`` sheets (several documents in a row)."""
        left = sheets
        while left > 0:
            count = min(left, self.rng.randint(10, 60))
            yield from self.document(count)
            left -= count


def write_export(out: TextIO, sheets: int, seed: int = DEFAULT_SEED) -> None:
    """Stream an export of ``sheets`` sheets to ``out``."""
    for chunk in ExportGenerator(seed).export(sheets):
        out.write(chunk)


def write_files(directory: Path, files: int, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write ``files`` one-sheet exports into ``directory``; return their paths in order."""
    directory.mkdir(parents=True, exist_ok=True)
    generator = ExportGenerator(seed)
    width = max(5, len(str(files)))
    paths = []
    for number in range(1, files + 1):
        path = directory / f"fiche_{number:0{width}d}.txt"
        with path.open("w", encoding="utf-8", newline="\n") as out:
            out.writelines(generator.document(1))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Génère des exports de fiches d'expérience fictifs (reproductibles) pour les mesures de performance.",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--sheets", type=int, metavar="N", help="nombre de fiches d'un seul export (avec -o)")
    what.add_argument("--files", type=int, metavar="N", help="nombre de fichiers d'une fiche chacun (avec --out-dir)")
    parser.add_argument("-o", "--output", type=Path, metavar="FICHIER", help="fichier à écrire (« - » : sortie standard)")
    parser.add_argument("--out-dir", type=Path, metavar="DOSSIER", help="dossier où écrire les fichiers d'une fiche")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"graine du générateur (défaut : {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    if args.sheets is not None:
        if args.sheets < 1 or args.output is None:
            parser.error("--sheets attend un nombre positif et -o FICHIER")
        if str(args.output) == "-":
            write_export(sys.stdout, args.sheets, args.seed)
        else:
            with args.output.open("w", encoding="utf-8", newline="\n") as out:
                write_export(out, args.sheets, args.seed)
    else:
        if args.files < 1 or args.out_dir is None:
            parser.error("--files attend un nombre positif et --out-dir DOSSIER")
        write_files(args.out_dir, args.files, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
