"""Ground truth of the real-world corpus: ten fictional sheets, as their authors meant them.

Every fixture under ``tests/realworld`` is made from these sheets by
``make_corpus.py`` (Word documents, PDFs, text exports, e-mails, hand-typed
text), and every expected JSON file is generated from them. The structures
are invented; the communes are real French communes.

Each section is a list of ``(type, texte)`` with type ``paragraphe``, ``puce``
or ``numero``; the 13 keys are those of :mod:`fichekit.headings`. A paragraph
is the author's paragraph: a PDF may wrap it over several lines, the harness
folds whitespace before comparing (see ``tests/test_realworld.py``).

The texts hold what real sheets hold and tools mangle: accents, œ, curly
apostrophes, « guillemets » with no-break spaces, euros, no-break spaces
inside numbers, words with real hyphens (tiers-lieu, Saône-et-Loire),
timelines, a numbered list, long paragraphs, empty sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["NBSP", "SECTION_KEYS", "SHEETS", "SHEET_BY_ID", "Sheet", "THEMES", "expected_record"]

NBSP = "\u00a0"
"""No-break space, as Word puts it before « : ; ? ! » and inside « … » and numbers."""

SECTION_KEYS: tuple[str, ...] = (
    "localisation",
    "chiffres_cles",
    "publics_touches",
    "partenaires",
    "contexte",
    "resultats",
    "etapes",
    "cles_du_succes",
    "obstacles_et_freins",
    "pistes_amelioration",
    "conseils",
    "ressources_mobilisees",
    "apports_du_groupe",
)

P, B, N = "paragraphe", "puce", "numero"


@dataclass(frozen=True)
class Sheet:
    """One fiche d'expérience as its author wrote it."""

    id: str
    """Short name used in fixture names and test ids (``s01``…)."""
    theme: str | None
    theme_number: int | None
    structures: tuple[tuple[str, tuple[str, ...]], ...]
    """(nom, codes) as written on the « Avec » line."""
    projet: str | None
    sections: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Items per section key; a key that is absent is an empty section."""

    def items(self, key: str) -> list[tuple[str, str]]:
        return self.sections.get(key, [])

    def avec_text(self) -> str:
        """What follows « Avec » on the sheet: ``A (39) et B (BFC) : projet X``."""
        names = [f"{nom} ({' et '.join(codes)})" if codes else nom for nom, codes in self.structures]
        text = " et ".join(names)
        return f"{text} : {self.projet}" if self.projet else text


THEMES = {
    1: "Comment faire des personnes accueillies des membres actifs de la vie associative ?",
    2: "Quelles coopérations construire entre l’aide alimentaire et les producteurs locaux ?",
    3: "Comment mobiliser collectivités et entreprises contre la précarité alimentaire ?",
    4: "Comment rendre les produits frais accessibles aux ménages à petit budget ?",
}
"""The four workshop questions; theme 3 is printed without its number."""

_NUMBERS = {1: 1, 2: 2, 3: None, 4: 4}


def _sheet(sheet_id: str, theme: int, structures: tuple[tuple[str, tuple[str, ...]], ...], projet: str | None = None, **sections: list[tuple[str, str]]) -> Sheet:
    unknown = set(sections) - set(SECTION_KEYS)
    assert not unknown, unknown
    return Sheet(sheet_id, THEMES[theme], _NUMBERS[theme], structures, projet, sections)


SHEETS: tuple[Sheet, ...] = (
    _sheet(
        "s01", 1, (("L’Épi Solidaire", ("21",)),),
        localisation=[(P, "Beaune")],
        chiffres_cles=[(P, "3 salariés dont 1 à mi-temps"), (P, "28 bénévoles")],
        publics_touches=[(P, "Environ 420 foyers par an, dont une majorité de familles monoparentales")],
        partenaires=[(P, "CCAS de Beaune, Maison des solidarités, Restaurant Le Bistrot des Halles")],
        contexte=[
            (B, "2018 : ouverture de l’épicerie dans un ancien local paroissial"),
            (B, "Avant 2020 : les bénévoles décidaient seuls des produits et des horaires"),
        ],
        resultats=[
            (B, "COMITÉ DES ADHÉRENTS : six personnes accueillies élues chaque année"),
            (B, "CAFÉ DU JEUDI : un temps d’échange ouvert à tous, sans inscription"),
            (B, "Trois anciens bénéficiaires sont devenus bénévoles en 2023"),
        ],
        etapes=[
            (P, "2018 : création de l’épicerie."),
            (P, "2020 : premier comité des adhérents."),
            (P, "2022 : ouverture d’un coin café."),
        ],
        cles_du_succes=[
            (B, "Un accueil chaleureux, sans file d’attente"),
            (B, "Parler d’adhérents plutôt que de bénéficiaires"),
            (B, "Des réunions courtes, le soir, avec garde d’enfants"),
        ],
        obstacles_et_freins=[
            (B, "La peur d’être jugé par les autres adhérents"),
            (B, "Des bénévoles historiques attachés à leurs habitudes"),
        ],
        pistes_amelioration=[(B, "Former les bénévoles à l’animation participative")],
        conseils=[(B, "Laisser le comité décider d’au moins un achat par trimestre")],
        ressources_mobilisees=[(B, "Une salariée coordinatrice"), (B, "Le local prêté par la paroisse")],
    ),
    _sheet(
        "s02", 1, (("Le Fournil Partagé", ("58",)),),
        localisation=[(P, "Cosne-Cours-sur-Loire")],
        chiffres_cles=[
            (B, "Budget annuel : 86" + NBSP + "500" + NBSP + "€"),
            (B, "2 salariés"),
            (B, "41 bénévoles, dont 12 personnes accueillies"),
        ],
        publics_touches=[(P, "Personnes isolées, retraités aux petites pensions, jeunes en insertion")],
        partenaires=[(P, "Mission locale, boulangerie Aux Blés d’Or, Secours des Ponts (association fictive)")],
        contexte=[(P, "Le fournil est né d’un atelier pain organisé par trois personnes accueillies qui voulaient «" + NBSP + "rendre ce qu’on leur donnait" + NBSP + "».")],
        resultats=[
            (B, "Un atelier pain chaque mardi, animé par deux adhérents"),
            (B, "Vente de pain à prix libre sur le marché du samedi"),
        ],
        etapes=[
            (P, "Septembre 2021 : premier atelier pain."),
            (P, "Juin 2022 : achat d’un four grâce à une campagne de dons."),
        ],
        cles_du_succes=[(B, "Confier les clés du fournil aux adhérents"), (B, "Valoriser les savoir-faire de chacun")],
        obstacles_et_freins=[(B, "Les normes d’hygiène, lourdes pour une petite équipe")],
        pistes_amelioration=[(B, "Livrer du pain aux épiceries solidaires voisines")],
        conseils=[(B, "Commencer petit, avec un seul atelier régulier")],
        ressources_mobilisees=[(B, "Un four d’occasion"), (B, "Un boulanger retraité bénévole")],
        apports_du_groupe=[(B, "L’envie de créer un réseau de fournils solidaires en Bourgogne")],
    ),
    _sheet(
        "s03", 2, (("Les Jardins du Morvan", ("58",)), ("Réseau Terres Partagées", ("BFC",))), "projet PANIERS D’ICI",
        localisation=[(P, "Château-Chinon et Autun")],
        chiffres_cles=[(P, "14 producteurs engagés"), (P, "Environ 2" + NBSP + "300 paniers distribués en 2024")],
        publics_touches=[(P, "Familles orientées par les épiceries sociales, producteurs en difficulté")],
        partenaires=[(P, "Conseil départemental de la Nièvre, Fondation Terre et Table (fictive), PAT du Morvan")],
        contexte=[
            (B, "Des producteurs qui jettent des légumes hors calibre"),
            (B, "Des épiceries sociales sans produits frais locaux"),
        ],
        resultats=[
            (B, "Un prix juste payé aux producteurs, complété par la Fondation"),
            (B, "Des légumes de saison dans quatre épiceries sociales"),
        ],
        etapes=[
            (P, "Janvier 2023 - Juin 2023"),
            (P, "DIAGNOSTIC - RENCONTRES - CONVENTIONS"),
            (P, "Septembre 2023 : premières livraisons."),
        ],
        cles_du_succes=[(B, "Un animateur qui connaît les deux mondes"), (B, "Des commandes groupées chaque semaine")],
        obstacles_et_freins=[(B, "La logistique du dernier kilomètre"), (B, "Des financements sur un an seulement")],
        pistes_amelioration=[(B, "Ajouter les œufs et les produits laitiers")],
        conseils=[(B, "Signer une convention avec chaque producteur dès le départ")],
        ressources_mobilisees=[(B, "1,5 ETP d’animation"), (B, "Un camion frigorifique partagé")],
    ),
    _sheet(
        "s04", 2, (("Épicerie coopérative La Fourmi", ("39",)),),
        localisation=[(P, "Lons-le-Saunier")],
        chiffres_cles=[(P, "350 adhérents, dont 40" + NBSP + "% bénéficient du tarif solidaire")],
        publics_touches=[(P, "Tout public, avec trois niveaux de prix selon le quotient familial")],
        partenaires=[(P, "Fromagerie du Revermont, Ferme des Quatre Vents, CAF du Jura")],
        contexte=[(P, "Une épicerie associative qui voulait sortir de l’image «" + NBSP + "épicerie des pauvres" + NBSP + "».")],
        resultats=[
            (B, "Les clients solidaires financent 30" + NBSP + "% du tarif réduit"),
            (B, "Le comté et le lait viennent de moins de 30 km"),
        ],
        etapes=[(P, "2019 : ouverture."), (P, "2021 : passage aux trois tarifs.")],
        cles_du_succes=[(B, "Une caisse unique : personne ne sait qui paie quel tarif")],
        obstacles_et_freins=[(B, "Expliquer le tarif solidaire sans stigmatiser")],
        pistes_amelioration=[(B, "Ouvrir le samedi après-midi")],
        conseils=[(B, "Mettre les producteurs au conseil d’administration")],
        ressources_mobilisees=[(B, "Logiciel de caisse libre"), (B, "Deux salariés en contrat aidé")],
    ),
    _sheet(
        "s05", 3, (("Collectif Manger Digne", ("71", "21")),),
        localisation=[(P, "Chalon-sur-Saône (Saône-et-Loire) et Dijon (Côte-d’Or)")],
        chiffres_cles=[(B, "12 structures membres"), (B, "2 collectivités signataires")],
        publics_touches=[(P, "Les structures d’aide alimentaire des deux agglomérations")],
        partenaires=[(P, "Grand Chalon, Dijon Métropole, Club d’entreprises Saône Avenir (fictif)")],
        contexte=[(P, "Chaque association démarchait seule les mêmes entreprises et les mêmes élus.")],
        resultats=[
            (B, "Une charte commune signée par les deux collectivités"),
            (B, "Un guichet unique pour les dons des entreprises"),
        ],
        etapes=[(P, "2022 : premières rencontres."), (P, "2023 : signature de la charte.")],
        cles_du_succes=[(B, "Un portage politique dès le début")],
        obstacles_et_freins=[(B, "Les calendriers électoraux"), (B, "La concurrence entre associations")],
        pistes_amelioration=[(B, "Associer les cantines scolaires")],
        conseils=[(B, "Nommer un coordinateur neutre, hors des associations membres")],
        ressources_mobilisees=[(B, "Un mi-temps de coordination financé par les deux collectivités")],
    ),
    _sheet(
        "s06", 3, (("Banque Solidaire de Touraine", ("37",)),),
        localisation=[(P, "Tours")],
        chiffres_cles=[(P, "1" + NBSP + "200 tonnes collectées en 2024, dont 38" + NBSP + "% de produits frais")],
        publics_touches=[(P, "Une soixantaine d’associations et de CCAS d’Indre-et-Loire")],
        partenaires=[(P, "Métropole de Tours, Marché d’intérêt national, Groupement des transporteurs ligériens (fictif)")],
        contexte=[
            (
                P,
                "Jusqu’en 2021, la Banque Solidaire recevait surtout des produits secs de la grande distribution, "
                "et les associations partenaires disaient manquer de fruits, de légumes et de produits laitiers "
                "pour composer des colis équilibrés ; les entreprises du marché d’intérêt national jetaient pourtant "
                "chaque semaine plusieurs palettes d’invendus parfaitement consommables.",
            ),
            (
                P,
                "Une convention tripartite entre la Métropole, le marché et la Banque Solidaire a permis de "
                "mettre à disposition une chambre froide et un quai de chargement, à condition de garantir "
                "un enlèvement quotidien avant dix heures.",
            ),
        ],
        resultats=[
            (B, "Trois fois plus de produits frais redistribués qu’en 2021"),
            (B, "Une tournée quotidienne assurée par des chauffeurs en insertion"),
        ],
        etapes=[(P, "2021 : signature de la convention."), (P, "2022 : mise en service de la chambre froide.")],
        cles_du_succes=[(B, "Un interlocuteur unique à la Métropole"), (B, "Des horaires d’enlèvement tenus")],
        obstacles_et_freins=[(B, "Le coût de l’énergie pour la chambre froide")],
        pistes_amelioration=[(B, "Étendre la collecte aux producteurs du Lochois")],
        conseils=[
            (
                P,
                "Ne pas sous-estimer la chaîne du froid : sans camion réfrigéré ni chambre froide, "
                "les produits frais récupérés deviennent un déchet à gérer pour les associations.",
            )
        ],
        ressources_mobilisees=[(B, "Une chambre froide de 120 m³"), (B, "Deux camions réfrigérés")],
    ),
    _sheet(
        "s07", 4, (("Cuisine Mobile du Bocage", ("61",)),),
        localisation=[(P, "Flers et les communes rurales alentour")],
        chiffres_cles=[(P, "1 camion-cuisine"), (P, "9 tournées par mois")],
        publics_touches=[(P, "Habitants des hameaux éloignés des commerces, personnes âgées isolées")],
        partenaires=[(P, "Flers Agglo, MSA, Lycée hôtelier du Bocage (fictif)")],
        contexte=[
            (B, "Permettre un accès digne aux produits frais en milieu rural"),
            (B, "Rompre l’isolement des personnes âgées"),
            (B, "Soutenir les maraîchers du bocage"),
        ],
        resultats=[
            (B, "Un repas partagé à chaque arrêt du camion"),
            (B, "Des ateliers « cuisine du placard » animés par les lycéens"),
        ],
        etapes=[(P, "Printemps 2023 : achat du camion d’occasion."), (P, "Octobre 2023 : première tournée.")],
        cles_du_succes=[(B, "Des arrêts fixes, annoncés par les mairies")],
        obstacles_et_freins=[(B, "Le prix du carburant"), (B, "Trouver des chauffeurs bénévoles")],
        pistes_amelioration=[(B, "Un second camion pour le sud du bocage")],
        conseils=[(B, "Tester les arrêts pendant trois mois avant de les fixer")],
        ressources_mobilisees=[(B, "Un camion équipé d’une cuisine"), (B, "Un cuisinier salarié")],
    ),
    _sheet(
        "s08", 4, (("Le Panier Voyageur", ("25",)),),
        localisation=[(P, "Besançon, quartiers de Planoise et de Clairs-Soleils")],
        chiffres_cles=[(P, "180 paniers par semaine à 5" + NBSP + "€")],
        publics_touches=[(P, "Familles des quartiers prioritaires")],
        partenaires=[(P, "Grand Besançon Métropole, Jardins de Cocagne fictifs du Doubs, bailleurs sociaux")],
        contexte=[(P, "Les familles citaient le prix comme premier frein aux fruits et légumes.")],
        resultats=[(B, "Des paniers de saison livrés en bas des immeubles")],
        etapes=[
            (N, "Repérage des familles avec les centres sociaux."),
            (N, "Choix des points de livraison avec les bailleurs."),
            (N, "Premier mois gratuit pour tester."),
            (N, "Abonnement à 5" + NBSP + "€ le panier."),
        ],
        cles_du_succes=[(B, "Des recettes glissées dans chaque panier")],
        obstacles_et_freins=[(B, "Les absences au moment de la livraison")],
        pistes_amelioration=[(B, "Un paiement en plusieurs fois par carte")],
        conseils=[(B, "S’appuyer sur les gardiens d’immeuble")],
        ressources_mobilisees=[(B, "Un vélo-cargo"), (B, "Trois livreurs en insertion")],
    ),
    _sheet(
        "s09", 2, (("Ferme d’insertion Les Sillons", ("70",)),),
        localisation=[(P, "Vesoul")],
        chiffres_cles=[(P, "6 hectares de maraîchage biologique"), (P, "18 salariés en insertion")],
        publics_touches=[(P, "Personnes éloignées de l’emploi, épiceries solidaires de Haute-Saône")],
        partenaires=[(P, "Département de la Haute-Saône, France Travail, épiceries solidaires du secteur")],
        contexte=[(P, "Une ferme d’insertion qui vendait toute sa production en vente directe.")],
        resultats=[
            (B, "Un quart des légumes réservé aux épiceries solidaires"),
            (B, "Des salariés en insertion qui livrent et présentent leurs légumes"),
        ],
        etapes=[(P, "2020 : premiers essais."), (P, "2022 : contrat annuel avec cinq épiceries.")],
        cles_du_succes=[(B, "Un prix fixé pour l’année")],
        obstacles_et_freins=[(B, "Les aléas climatiques")],
        pistes_amelioration=[(B, "Créer une légumerie pour les surplus")],
        conseils=[(B, "Prévoir un stock tampon pour les semaines de faible récolte")],
        ressources_mobilisees=[(B, "Deux encadrants techniques")],
    ),
    _sheet(
        "s10", 1, (("Œuvre Commune – Restos de quartier", ("89",)),),
        localisation=[(P, "Auxerre, quartier Sainte-Geneviève")],
        chiffres_cles=[(P, "60 repas par jour"), (P, "Prix du repas : 1" + NBSP + "€ à 7" + NBSP + "€")],
        publics_touches=[(P, "Habitants du quartier, étudiants, personnes sans domicile")],
        partenaires=[(P, "Ville d’Auxerre, centre social Sainte-Geneviève, cuisiniers bénévoles")],
        contexte=[(P, "Un restaurant associatif où chacun choisit son prix et peut donner un coup de main en cuisine.")],
        resultats=[
            (B, "La moitié des repas sont cuisinés par des habitants"),
            (B, "Un conseil des convives qui choisit les menus"),
        ],
        etapes=[(P, "2021 : création de l’association."), (P, "2023 : ouverture du restaurant.")],
        cles_du_succes=[(B, "Le prix libre, affiché sans justification à donner")],
        obstacles_et_freins=[(B, "L’équilibre financier du prix libre")],
        pistes_amelioration=[(B, "Un service du soir deux fois par semaine")],
        conseils=[(B, "Ouvrir la cuisine aux convives dès le premier jour")],
        ressources_mobilisees=[(B, "Une cuisine professionnelle louée à la Ville")],
    ),
)

SHEET_BY_ID = {sheet.id: sheet for sheet in SHEETS}


def expected_record(sheet: Sheet) -> dict[str, object]:
    """The sheet in fichekit's record shape, without ``source`` and ``hors_rubrique``."""
    record: dict[str, object] = {
        "theme": sheet.theme,
        "theme_number": sheet.theme_number,
        "structures": [{"nom": nom, "departements": list(codes)} for nom, codes in sheet.structures],
        "projet": sheet.projet,
    }
    for key in SECTION_KEYS:
        record[key] = [{"texte": texte, "type": kind} for kind, texte in sheet.items(key)]
    return record
