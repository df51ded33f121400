"""Markdown: golden files, round trips (corpus, hostile texts, any text), CommonMark rendering,
hand-edited input, front matter, errors and CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import SAMPLES_DIR, assert_golden, corpus, make_fiche, runner, samples, write_records
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from fichekit.api import iter_load, load
from fichekit.cli import app
from fichekit.errors import OutputError, ParseError
from fichekit.findings import Code, Finding
from fichekit.grammar import near_miss_finding
from fichekit.headings import HEADINGS, SECTION_KEYS, MatchKind, match_heading
from fichekit.markdown_syntax import escape_line, fold_spacing, theme_heading, unescape
from fichekit.model import Fiche, Item, ItemType, Structure
from fichekit.output import MANIFEST_NAME, split_names
from fichekit.readers.markdown import iter_fiches_from_markdown
from fichekit.writers import Format, WriterOptions, get_writer
from fichekit.writers.markdown import MarkdownWriter

NORMANDIE = SAMPLES_DIR / "normandie_ateliers.txt"
PUCE, NUMERO, PARAGRAPHE = ItemType.PUCE, ItemType.NUMERO, ItemType.PARAGRAPHE


def _write(fiches: list[Fiche], *, single: bool = False) -> str:
    return write_records(Format.MD, fiches, single=single).decode("utf-8")


def _read(text: str, findings: list[Finding] | None = None) -> list[Fiche]:
    return list(iter_fiches_from_markdown(text.split("\n"), "fiches.md", findings))


def _data(fiches: list[Fiche]) -> list[dict[str, object]]:
    return [fiche.model_dump(mode="json", exclude={"source"}) for fiche in fiches]


def _grouped(fiches: list[Fiche]) -> list[Fiche]:
    """The order of the grouped document: themes by first appearance, sheets in order within a theme."""
    first: dict[str, int] = {}
    for fiche in fiches:
        first.setdefault(fold_spacing(theme_heading(fiche.theme)), len(first))
    return sorted(fiches, key=lambda fiche: first[fold_spacing(theme_heading(fiche.theme))])


def _fiche(**fields: object) -> Fiche:
    """The shared record without a source (Markdown writes none), under a generic structure name."""
    base: dict[str, object] = {"structures": [Structure(nom="Collectif", departements=["21"])], "source": None}
    return make_fiche(**{**base, **fields})


def _assert_round_trip(fiches: list[Fiche]) -> None:
    assert _data(_read(_write(fiches))) == _data(_grouped(fiches))
    for fiche in fiches:
        assert _data(_read(_write([fiche], single=True))) == _data([fiche])


# --- the corpus ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", samples())
def test_golden_markdown(path: Path) -> None:
    out = io.BytesIO()
    MarkdownWriter(WriterOptions()).write(iter_load(path), out)
    assert_golden(f"{path.stem}.md", out.getvalue().decode("utf-8"))


@pytest.mark.parametrize("path", corpus())
def test_corpus_round_trip(path: Path) -> None:
    fiches = load(path)
    text = _write(fiches)
    back = _read(text)
    assert len(back) == len(fiches)
    assert _data(back) == _data(_grouped(fiches))
    # Markdown to Markdown changes nothing.
    assert _write(back) == text


@pytest.mark.parametrize("path", corpus())
def test_corpus_round_trip_one_page_per_sheet(path: Path) -> None:
    for fiche in load(path):
        page = _write([fiche], single=True)
        assert page.startswith("---\ntitle: ")
        back = _read(page)
        assert _data(back) == _data([fiche])
        assert _write(back, single=True) == page


def test_document_layout_of_a_sheet() -> None:
    fiche = _fiche(
        theme="Quels liens possibles entre le secteur de l'aide alimentaire et le monde agricole ?",
        theme_number=2,
        structures=[Structure(nom="Civam Le Serpolet", departements=["39"]), Structure(nom="Active", departements=["BFC"])],
        projet="projet MIAM",
        hors_rubrique=[Item(texte="préambule")],
        localisation=[Item(texte="Dole")],
        chiffres_cles=[Item(texte="3 salariés", type=PUCE), Item(texte="40 bénévoles\net 2 stagiaires", type=PUCE)],
        etapes=[
            Item(texte="premier", type=NUMERO),
            Item(texte="second,\ncoupé", type=NUMERO),
            Item(texte="entre deux"),
            Item(texte="à nouveau", type=NUMERO),
        ],
        contexte=[Item(texte="une phrase\ncoupée"), Item(texte="une autre")],
    )
    comment = (
        '<!-- fichekit: {"theme": "Quels liens possibles entre le secteur de l\'aide alimentaire et le monde agricole ?", '
        '"theme_number": 2, "structures": [{"nom": "Civam Le Serpolet", "departements": ["39"]}, '
        '{"nom": "Active", "departements": ["BFC"]}], "projet": "projet MIAM"} -->'
    )
    titles = [f"### {heading.title}" for heading in HEADINGS]
    expected = [
        "# Quels liens possibles entre le secteur de l'aide alimentaire et le monde agricole ?",
        "",
        "## Civam Le Serpolet (39) et Active (BFC)",
        comment,
        "",
        "**Projet :** projet MIAM",
        "",
        "préambule",
        "",
        titles[0], "", "Dole", "",
        titles[1], "", "- 3 salariés", "- 40 bénévoles", "  et 2 stagiaires", "",
        titles[2], "",
        titles[3], "",
        titles[4], "", "une phrase", "coupée", "", "une autre", "",
        titles[5], "",
        titles[6], "", "1. premier", "2. second,", "   coupé", "", "entre deux", "", "1. à nouveau", "",
        *[line for title in titles[7:] for line in (title, "")],
    ]  # fmt: skip
    assert _write([fiche]).split("\n") == expected


def test_three_structures_and_no_structure_headings() -> None:
    three = _fiche(structures=[Structure(nom="A", departements=["21"]), Structure(nom="B"), Structure(nom="C", departements=["50", "14"])])
    assert "\n## A (21), B et C (50 et 14)\n" in _write([three])
    assert "\n## Sans structure\n" in _write([_fiche(structures=[])])


def test_themes_are_grouped_by_first_appearance() -> None:
    fiches = [
        _fiche(theme="B ?", structures=[Structure(nom="un")]),
        _fiche(theme=None, structures=[Structure(nom="deux")]),
        _fiche(theme="A ?", structures=[Structure(nom="trois")]),
        _fiche(theme="B\u00a0?", structures=[Structure(nom="quatre")]),
        _fiche(theme=None, structures=[Structure(nom="cinq")]),
    ]
    text = _write(fiches)
    headings = [line for line in text.split("\n") if line.startswith("#") and not line.startswith("###")]
    # A no-break space before "?" does not make another group: the heading is the first sheet's.
    assert headings == ["# B ?", "## un", "## quatre", "# Sans thème", "## deux", "## cinq", "# A ?", "## trois"]
    back = _read(text)
    assert [f.structures[0].nom for f in back] == ["un", "quatre", "deux", "cinq", "trois"]
    assert [f.theme for f in back] == ["B ?", "B\u00a0?", None, None, "A ?"]


def test_source_lines_are_the_sheet_and_heading_lines() -> None:
    text = _write([_fiche(localisation=[Item(texte="Dijon")]), _fiche(structures=[])])
    lines = text.split("\n")
    back = _read(text)
    for fiche, sheet_line in zip(back, [i + 1 for i, line in enumerate(lines) if line.startswith("## ")], strict=True):
        assert fiche.source is not None
        assert fiche.source.file == "fiches.md"
        assert fiche.source.line == fiche.source.structures_line == sheet_line
        assert list(fiche.source.rubriques) == list(SECTION_KEYS)
        for key, heading in zip(SECTION_KEYS, HEADINGS, strict=True):
            (heading_line,) = fiche.source.rubriques[key]
            assert lines[heading_line - 1] == f"### {heading.title}"
            assert heading_line > sheet_line
    assert back[0].source is not None and back[0].source.line == 3


# --- hostile content ----------------------------------------------------------------------------

HOSTILE_TEXTS: dict[str, str] = {
    "dash-bullet": "- pas une puce",
    "plus-bullet": "+ pas une puce",
    "star-bullet": "* pas une puce",
    "numbered-dot": "1. pas un numéro",
    "numbered-paren": "2) pas un numéro",
    "year-dot": "2023. Lancement du projet",
    "heading": "# pas un titre",
    "heading-of-a-section": "### Localisation",
    "hashtag": "#AlimentationDurable",
    "block-quote": "> pas une citation",
    "thematic-break": "---",
    "spaced-break": "- - -",
    "setext-equals": "Titre\n===",
    "setext-dashes": "Titre\n--",
    "stars-break": "***",
    "underscores-break": "___",
    "emphasis": "un *mot*, __deux__ et _trois_",
    "snake-case": "fichier_final_v2 et _début",
    "code-span": "`code` et ``double``",
    "code-fence": "```\ncode\n```",
    "tilde-fence": "~~~\ncode",
    "raw-html": "<b>gras</b> <br/> <div> <?php ?> </p>",
    "comment-close": "fin --> et -- et <!-- fichekit: {} --> ---> <!--",
    "autolinks": "<https://exemple.org> et <contact@exemple.org>",
    "links": "[lien](https://exemple.org) ![image](x.png) [ref][] [^1]",
    "link-definition": "[ref]: https://exemple.org",
    "entities": "&amp; &#233; &#x41; &eacute; &nbsp; AT&T &notit;",
    "backslashes": "C:\\Users\\x \\* \\# \\",
    "trailing-backslash": "fin\\",
    "pipes-and-tildes": "a | b\n--- | ---\n~~barré~~ ~30 personnes",
    "less-than": "< 10 € et <3 et 5<6",
    "emoji": "Merci 🙏🏽 👩‍🌾 !",
    "right-to-left": "مرحبا بالعالم — שלום עולם",
    "very-long": " ".join(["une phrase très longue"] * 600),
    "multi-line": "une phrase coupée\nsur trois\nlignes",
    "multi-line-hostile": "début\n- suite\n1. suite\n# suite\n> suite\n<!-- suite -->",
    "edge-spaces": "  espaces autour  ",
    "edge-tabs": "\tà la tabulation\t",
    "indented-code": "    quatre espaces",
    "no-break-spaces": "\u00a0insécable\u202f?",
    "hard-break-spaces": "deux espaces  \nà la ligne",
    "empty-line-inside": "avant\n\naprès",
    "carriage-return": "retour\rchariot",
    "projet-label": "**Projet :** faux projet",
    "sans-theme": "Sans thème",
    "control-characters": "tab\tvertical\x0b saut\x0c NEL\x85 fin",
    "colon-and-parentheses": "Association (et amis) : antenne (21) et (BFC)",
}
def _hostile_fiche(text: str) -> Fiche:
    """``text`` in every place a text can be: metadata, hors rubrique, each item type, twice in a row."""
    return _fiche(
        theme=text,
        structures=[Structure(nom=text, departements=["21"]), Structure(nom=text)],
        projet=text,
        hors_rubrique=[Item(texte=text)],
        contexte=[Item(texte=text), Item(texte=text)],
        resultats=[Item(texte=text, type=PUCE), Item(texte=text, type=PUCE)],
        etapes=[Item(texte=text, type=NUMERO), Item(texte=text, type=NUMERO), Item(texte=text, type=PUCE)],
        conseils=[Item(texte=text, type=PUCE), Item(texte=text), Item(texte=text, type=NUMERO)],
    )


@pytest.mark.parametrize("text", list(HOSTILE_TEXTS.values()), ids=list(HOSTILE_TEXTS))
def test_hostile_text_round_trips(text: str) -> None:
    fiche = _hostile_fiche(text)
    other = _fiche(theme=None, contexte=[Item(texte=text, type=PUCE)])
    _assert_round_trip([fiche, other, fiche])


METADATA_CASES: dict[str, dict[str, object]] = {
    "null-theme": {"theme": None, "theme_number": None},
    "number-without-theme": {"theme": None, "theme_number": 7},
    "theme-written-sans-theme": {"theme": "Sans thème", "theme_number": None},
    "empty-theme": {"theme": ""},
    "blank-theme": {"theme": "   "},
    "negative-number": {"theme_number": -1},
    "no-structure": {"structures": []},
    "structure-written-sans-structure": {"structures": [Structure(nom="Sans structure")]},
    "without-departement": {"structures": [Structure(nom="Collectif")]},
    "several-without-departement": {"structures": [Structure(nom="Un"), Structure(nom="Deux")]},
    "et-and-parentheses": {
        "structures": [
            Structure(nom="Jardins (et vergers) et Cie", departements=[]),
            Structure(nom="Épicerie (ex-Panier) et fils", departements=["2A", "974"]),
        ]
    },
    "codes-in-the-name": {"structures": [Structure(nom="Antenne (21)", departements=["BFC"])]},
    "colon-in-a-name": {"structures": [Structure(nom="Asso : antenne Nord", departements=["59"])]},
    "empty-name": {"structures": [Structure(nom="", departements=["21"])]},
    "comma-in-a-name": {"structures": [Structure(nom="Dupont, Durand", departements=["75"]), Structure(nom="X")]},
    "null-projet": {"projet": None},
    "projet": {"projet": "projet MIAM"},
    "empty-projet": {"projet": ""},
    "multi-line-projet": {"projet": "projet\n- sur deux lignes"},
    "projet-in-first-line-empty": {"projet": "\nsuite"},
}


@pytest.mark.parametrize("fields", list(METADATA_CASES.values()), ids=list(METADATA_CASES))
def test_metadata_round_trips(fields: dict[str, object]) -> None:
    fiche = _fiche(**fields, localisation=[Item(texte="Dijon")])
    _assert_round_trip([fiche, _fiche(theme="Autre ?"), fiche])


def test_empty_sections_and_empty_items_round_trip() -> None:
    empty = _fiche()
    items = _fiche(
        localisation=[Item(texte="")],
        contexte=[Item(texte="", type=PUCE), Item(texte="", type=NUMERO), Item(texte="\n", type=PUCE)],
        resultats=[Item(texte="\nsuite", type=NUMERO), Item(texte="fin\n")],
    )
    _assert_round_trip([empty, items])
    assert "\n- \n" not in _write([items])  # an empty item is a bare marker, without trailing space
    assert "\n-\n\n1.\n\n- \\\n  \\\n" in _write([items])


def test_metadata_comment_cannot_be_closed_by_the_text() -> None:
    text = _write([_hostile_fiche("fin --> <!-- x ---> --!>")])
    comment = next(line for line in text.split("\n") if line.startswith("<!-- fichekit: "))
    assert comment.endswith(" -->")
    assert "--" not in comment[len("<!-- ") : -len(" -->")]


# --- any text -----------------------------------------------------------------------------------

_MARKDOWN_PIECES = st.sampled_from([*"\\`*_[]<>&#;-+=.)~|!:( \t\n\r\u00a0", "1. ", "- ", "&amp;", "&#32;", "-->", "<!--", "  \n"])


def _text_from(characters: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Texts mixing Markdown-significant pieces with any other characters."""
    return st.lists(st.one_of(_MARKDOWN_PIECES, characters), max_size=24).map("".join)


_texts = _text_from(st.characters(exclude_categories=("Cs",)))
_items = st.lists(st.builds(Item, texte=_texts, type=st.sampled_from(ItemType)), max_size=4)
_structures = st.lists(
    st.builds(Structure, nom=_texts, departements=st.lists(st.sampled_from(["21", "2A", "BFC", "974"]), max_size=2)), max_size=3
)
_fiches = st.builds(
    Fiche,
    theme=st.one_of(st.none(), st.sampled_from(["A ?", "A\u00a0?", "Sans thème"]), _texts),
    theme_number=st.one_of(st.none(), st.integers(-5, 99)),
    structures=_structures,
    projet=st.one_of(st.none(), _texts),
    localisation=_items,
    etapes=_items,
    apports_du_groupe=_items,
    hors_rubrique=_items,
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(_fiches, min_size=1, max_size=4))
def test_any_collection_round_trips(fiches: list[Fiche]) -> None:
    _assert_round_trip(fiches)


# --- what a CommonMark renderer shows -----------------------------------------------------------

_COMMONMARK = MarkdownIt("commonmark")


_INLINE_RENDERING = {"softbreak": "\n", "hardbreak": "\n", "strong_open": "<strong>", "strong_close": "</strong>"}


def _inline_text(token: object) -> str:
    """The text a page shows; bold shown as tags, any other markup fails."""
    parts: list[str] = []
    for child in token.children or []:  # type: ignore[attr-defined]
        if child.type == "text":
            parts.append(child.content)
        else:
            assert child.type in _INLINE_RENDERING, f"markup in the rendering: {child.type}"
            parts.append(_INLINE_RENDERING[child.type])
    return "".join(parts)


def _rendered(markdown: str) -> list[tuple[str, str]]:
    """Blocks as a CommonMark renderer sees them: ``(kind, text)``, kind h1…h3, p, ul, ol or html.

    Each list item is one block, an empty one included; any other block type fails.
    """
    blocks: list[tuple[str, str]] = []
    lists: list[str] = []
    kind = ""
    item_is_empty = False
    for token in _COMMONMARK.parse(markdown):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("ul" if token.type == "bullet_list_open" else "ol")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            item_is_empty = True
        elif token.type == "list_item_close" and item_is_empty:
            blocks.append((lists[-1], ""))
        elif token.type == "heading_open":
            kind = token.tag
        elif token.type == "paragraph_open":
            kind = lists[-1] if lists else "p"
        elif token.type == "inline":
            blocks.append((kind, _inline_text(token)))
            item_is_empty = False
        elif token.type == "html_block":
            blocks.append(("html", token.content.rstrip("\n")))
        else:
            assert token.type in ("heading_close", "paragraph_close", "list_item_close"), token.type
    return blocks


def _shown(text: str, kind: str) -> str:
    """What a page shows for an item text.

    A hard break cannot end a block: an empty last line shows as the
    backslash standing for it (an empty paragraph as a lone backslash, while
    an empty list item is just empty). The parser never produces either.
    """
    if not text:
        return "\\" if kind == "p" else ""
    return text + "\\" if text.endswith("\n") else text


@pytest.mark.parametrize("text", list(HOSTILE_TEXTS.values()), ids=list(HOSTILE_TEXTS))
def test_commonmark_shows_exactly_the_text(text: str) -> None:
    fiche = _fiche(
        theme=text,
        structures=[Structure(nom=text, departements=["21"])],
        projet=text,
        localisation=[Item(texte=text)],
        chiffres_cles=[Item(texte=text, type=PUCE), Item(texte="b", type=PUCE)],
        publics_touches=[Item(texte=text, type=NUMERO), Item(texte="2", type=NUMERO)],
    )
    blocks = _rendered(_write([fiche]))
    heading_text = text.replace("\r", " ").replace("\n", " ")
    assert blocks[0] == ("h1", heading_text)
    assert blocks[1] == ("h2", f"{heading_text} (21)")
    assert blocks[2][0] == "html" and blocks[2][1].startswith("<!-- fichekit: ")
    assert blocks[3] == ("p", f"<strong>Projet :</strong> {text}")
    assert blocks[4:12] == [
        ("h3", HEADINGS[0].title),
        ("p", _shown(text, "p")),
        ("h3", HEADINGS[1].title),
        ("ul", _shown(text, "ul")),
        ("ul", "b"),
        ("h3", HEADINGS[2].title),
        ("ol", _shown(text, "ol")),
        ("ol", "2"),
    ]
    assert blocks[12:] == [("h3", heading.title) for heading in HEADINGS[3:]]


# Control characters aside: CommonMark shows NUL as U+FFFD, and markdown-it-py trims
# the ones Python counts as whitespace (pandoc keeps them; the reader gives all back).
_renderable = _text_from(st.characters(exclude_categories=("Cs",), exclude_characters="\x00\x0b\x0c\x1c\x1d\x1e\x1f\x85"))


@settings(max_examples=300, deadline=None)
@given(texte=_renderable, kind=st.sampled_from(ItemType))
def test_commonmark_shows_any_item_text(texte: str, kind: ItemType) -> None:
    fiche = _fiche(etapes=[Item(texte=texte, type=kind)])
    blocks = _rendered(_write([fiche]))
    shown_as = {PARAGRAPHE: "p", PUCE: "ul", NUMERO: "ol"}[kind]
    start = blocks.index(("h3", HEADINGS[6].title))
    assert blocks[start + 1 : start + 3] == [(shown_as, _shown(texte, shown_as)), ("h3", HEADINGS[7].title)]


def test_pleasant_escaping_leaves_ordinary_text_alone() -> None:
    ordinary = "2,5 ETP - 14.7 ETP (dont 1 en CDI) : 30 % du prix ; l'épicerie « Le Panier » + 5 #1 a_b <3 5 > 4 & co"
    assert escape_line(ordinary) == ordinary
    assert escape_line("- x") == "\\- x"
    assert escape_line("12) x") == "12\\) x"
    assert escape_line("*x* _y_ `z` [a] <b> \\") == "\\*x\\* \\_y\\_ \\`z\\` \\[a] \\<b> \\\\"
    assert escape_line("  x ") == "&#32;&#32;x&#32;"
    assert unescape("\\*x\\* &#32; &eacute; &notit; \\é") == "*x*   é &notit; \\é"


# --- reading Markdown written or edited by hand -------------------------------------------------

HAND_WRITTEN = """\
Notes de l'atelier

# Comment faire ?

## Épi' Soleil (21) et Collectif Faim (58, 71) : projet DEMO

### Localisation
Dijon

### chiffres clés :
* 40 bénévoles
+ 5 salariés
  dont 2 à temps plein
1) un
2) deux
suite du deux

### Resultats
Un paragraphe  
sur deux lignes

Un autre. <!-- une note -->

### Objectif

### Obstacle et freins

- premier
  - sous-puce

---

# Sans thème

## Collectif sans code

**Projet :** projet \\*MIAM\\*

### Localisation : Nevers
<!-- une remarque
sur deux lignes -->
"""


def test_hand_written_markdown_without_comments() -> None:
    findings: list[Finding] = []
    first, second = _read(HAND_WRITTEN, findings)
    assert _data([first]) == _data(
        [
            _fiche(
                theme="Comment faire ?",
                theme_number=None,
                structures=[Structure(nom="Épi' Soleil", departements=["21"]), Structure(nom="Collectif Faim", departements=["58", "71"])],
                projet="projet DEMO",
                hors_rubrique=[Item(texte="Notes de l'atelier")],
                localisation=[Item(texte="Dijon")],
                chiffres_cles=[
                    Item(texte="40 bénévoles", type=PUCE),
                    Item(texte="5 salariés\ndont 2 à temps plein", type=PUCE),
                    Item(texte="un", type=NUMERO),
                    Item(texte="deux\nsuite du deux", type=NUMERO),
                ],
                resultats=[Item(texte="Un paragraphe\nsur deux lignes"), Item(texte="Un autre. <!-- une note -->"), Item(texte="Objectif")],
                obstacles_et_freins=[Item(texte="premier", type=PUCE), Item(texte="sous-puce", type=PUCE)],
            )
        ]
    )
    assert _data([second]) == _data(
        [_fiche(theme=None, theme_number=None, structures=[Structure(nom="Collectif sans code")], projet="projet *MIAM*", localisation=[Item(texte="Nevers")])]
    )
    assert first.source is not None and second.source is not None
    assert (first.source.line, first.source.rubriques) == (
        5,
        {"localisation": [7], "chiffres_cles": [10], "resultats": [18], "obstacles_et_freins": [26]},
    )
    assert (second.source.line, second.source.rubriques) == (35, {"localisation": [39]})
    # The same warning as the raw parser gives, at the heading's line.
    near_miss = match_heading("Obstacle et freins")
    assert near_miss is not None and near_miss.kind is MatchKind.NEAR_MISS
    assert findings == [near_miss_finding(near_miss, "fiches.md", 26)]
    assert findings[0].code is Code.NEAR_MISS_HEADING


def test_a_sheet_may_start_at_its_first_heading() -> None:
    (fiche,) = _read("Préambule\n\n### Localisation\n\nDijon\n\n### Apports du groupe\n- tout\n")
    assert _data([fiche]) == _data(
        [
            _fiche(
                theme=None,
                theme_number=None,
                structures=[],
                hors_rubrique=[Item(texte="Préambule")],
                localisation=[Item(texte="Dijon")],
                apports_du_groupe=[Item(texte="tout", type=PUCE)],
            )
        ]
    )
    assert fiche.source is not None and (fiche.source.line, fiche.source.structures_line) == (3, None)


def test_text_under_no_sheet_is_kept() -> None:
    text = "# Thème A\n\nIntroduction du thème\n\n## Un\n\n### Localisation\n\nDijon\n\n# Thème B\n\nNote finale\n"
    (fiche,) = _read(text)
    assert (fiche.theme, fiche.structures[0].nom, fiche.localisation[0].texte) == ("Thème A", "Un", "Dijon")
    # Before a sheet: with the sheet that follows; after the last theme heading: with the last sheet.
    assert [item.texte for item in fiche.hors_rubrique] == ["Introduction du thème", "Note finale"]


def _edited(fiche: Fiche, old: str, new: str) -> Fiche:
    text = _write([fiche])
    assert text.count(old) == 1, old
    (back,) = _read(text.replace(old, new))
    return back


SERPOLET = _fiche(
    theme="Quels liens ?",
    theme_number=2,
    structures=[Structure(nom="Civam Le Serpolet", departements=["39"]), Structure(nom="Active", departements=["BFC"])],
    projet="projet MIAM",
)


def test_an_edited_theme_heading_wins_over_the_comment() -> None:
    back = _edited(SERPOLET, "# Quels liens ?\n", "# Quels liens entre aide et agriculture ?\n")
    assert (back.theme, back.theme_number) == ("Quels liens entre aide et agriculture ?", 2)
    assert _edited(SERPOLET, "# Quels liens ?\n", "# Sans thème\n").theme is None
    # Spacing alone is not an edit: the comment's exact text stays.
    assert _edited(_fiche(theme="Quoi\u00a0?"), "# Quoi\u00a0?\n", "# Quoi  ?\n").theme == "Quoi\u00a0?"


def test_an_edited_structures_heading_wins_over_the_comment() -> None:
    back = _edited(SERPOLET, "## Civam Le Serpolet (39) et Active (BFC)\n", "## Civam Le Serpolet (39) et Terre (70)\n")
    assert [s.model_dump() for s in back.structures] == [
        {"nom": "Civam Le Serpolet", "departements": ["39"]},
        {"nom": "Terre", "departements": ["70"]},
    ]
    assert back.projet == "projet MIAM"
    # The comment keeps structures that parsing the heading would split differently.
    together = _fiche(structures=[Structure(nom="Un et Deux")])
    assert _read(_write([together]))[0].structures == together.structures
    assert _edited(together, "## Un et Deux\n", "## Un et Deux\u00a0\n").structures == together.structures


def test_projet_follows_the_visible_line() -> None:
    assert _edited(SERPOLET, "**Projet :** projet MIAM\n", "**Projet :** projet MIEL\n").projet == "projet MIEL"
    assert _edited(SERPOLET, "**Projet :** projet MIAM\n\n", "").projet is None
    added = _edited(_fiche(projet=None), "-->\n\n", "-->\n\n**Projet:** nouveau\n\n")
    assert added.projet == "nouveau"
    from_heading = _edited(_fiche(projet=None, structures=[Structure(nom="A", departements=["21"])]), "## A (21)\n", "## A (21) : projet X\n")
    assert (from_heading.structures[0].nom, from_heading.projet) == ("A", "projet X")


def test_front_matter_is_skipped_and_describes_the_sheet() -> None:
    fiche = _fiche(
        theme="Quels liens\u2028possibles ?",
        theme_number=2,
        structures=[Structure(nom="Civam Le Serpolet", departements=["39"]), Structure(nom="Active", departements=["BFC", "39"])],
        projet='projet "MIAM"\x85',
        localisation=[Item(texte="Dole"), Item(texte="Jura\nnord")],
    )
    page = _write([fiche], single=True)
    head, body = page.split("\n---\n\n", 1)
    assert body == _write([fiche])
    lines = head.split("\n")
    assert lines[0] == "---"
    fields = {key: value for key, _, value in (line.partition(": ") for line in lines[1:])}
    assert fields == {
        "title": '"Civam Le Serpolet (39) et Active (BFC et 39)"',
        "theme": '"Quels liens\\u2028possibles ?"',
        "theme_number": "2",
        "structures": '["Civam Le Serpolet (39)", "Active (BFC et 39)"]',
        "departements": '["39", "BFC"]',
        "projet": '"projet \\"MIAM\\"\\u0085"',
        "localisation": '"Dole ; Jura nord"',
        "tags": '["39", "BFC", "Civam Le Serpolet", "Active"]',
    }
    # Every value is JSON, which YAML reads the same way.
    assert json.loads(fields["theme"]) == fiche.theme and json.loads(fields["projet"]) == fiche.projet
    bare = _write([_fiche(theme=None, theme_number=None, structures=[], projet=None)], single=True)
    assert bare.split("\n")[1:9] == [
        'title: "Sans structure"',
        "theme: null",
        "theme_number: null",
        "structures: []",
        "departements: []",
        "projet: null",
        "localisation: null",
        "tags: []",
    ]


# --- errors -------------------------------------------------------------------------------------


def test_markdown_without_sheet_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as caught:
        _read("\n# Un titre\n\nDu texte sans fiche.\n")
    assert (caught.value.path, caught.value.line) == ("fiches.md", 2)
    assert str(caught.value) == (
        "fiches.md:2: aucune fiche reconnue dans ce Markdown "
        "(ni titre « ## » de fiche ni titre de rubrique comme « ### Localisation »)"
    )


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("<!-- fichekit: {oups} -->", "commentaire fichekit illisible (JSON invalide : Expecting property name enclosed in double quotes)"),
        ('<!-- fichekit: ["a"] -->', "commentaire fichekit illisible (un objet JSON {…} est attendu)"),
        ('<!-- fichekit: {"theme_number": "deux"} -->', "commentaire fichekit : champ « theme_number » invalide"),
    ],
    ids=["bad-json", "not-an-object", "bad-field"],
)
def test_unreadable_comment_is_a_parse_error(comment: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        _read(f"# Thème\n\n## Collectif\n{comment}\n\n### Localisation\n")
    assert caught.value.line == 4
    assert caught.value.message.startswith(message)


def test_unclosed_front_matter_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="en-tête YAML non fermé") as caught:
        _read("\n---\ntitle: x\n## Collectif\n")
    assert caught.value.line == 2


def test_writer_edge_cases() -> None:
    assert _write([]) == ""
    with pytest.raises(OutputError, match="une seule fiche"):
        _write([_fiche(), _fiche()], single=True)
    assert isinstance(get_writer(Format.MD), MarkdownWriter)


# --- CLI, in-process ----------------------------------------------------------------------------



def test_cli_convert_to_markdown_on_stdout() -> None:
    result = runner.invoke(app, ["convert", str(NORMANDIE), "--to", "md"])
    assert result.exit_code == 0, result.stderr
    assert_golden(f"{NORMANDIE.stem}.md", result.stdout_bytes.decode("utf-8"))


def test_cli_split_writes_one_page_per_sheet(tmp_path: Path) -> None:
    result = runner.invoke(app, ["convert", str(NORMANDIE), "--to", "md", "--split", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    fiches = load(NORMANDIE)
    names = split_names(fiches, ".md")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != MANIFEST_NAME) == sorted(names)
    assert f"3 fiches → 3 fichiers dans {tmp_path}" in result.stderr
    for fiche, name in zip(fiches, names, strict=True):
        page = (tmp_path / name).read_text(encoding="utf-8")
        assert _data(list(iter_load(tmp_path / name))) == _data([fiche])
        assert page.startswith("---\ntitle: ")
    assert names[2] == "jardin-de-la-vire-14-reseau-terres-partagees-nor.md"
    assert_golden(f"split-{names[2]}", (tmp_path / names[2]).read_text(encoding="utf-8"))


def test_cli_reads_markdown_back(tmp_path: Path) -> None:
    markdown = tmp_path / "fiches.md"
    assert runner.invoke(app, ["convert", str(NORMANDIE), "-o", str(markdown)]).exit_code == 0
    result = runner.invoke(app, ["convert", str(markdown), "--to", "json"])
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    expected = [fiche.model_dump(mode="json", exclude={"source"}) for fiche in _grouped(load(NORMANDIE))]
    assert [{k: v for k, v in r.items() if k != "source"} for r in records] == expected
    assert records[0]["source"]["file"] == str(markdown) and records[0]["source"]["line"] == 3
    # Without the .md suffix (stdin), the first line tells it is Markdown.
    piped = runner.invoke(app, ["convert", "-", "--to", "json"], input=markdown.read_bytes())
    assert piped.exit_code == 0, piped.stderr
    assert [{k: v for k, v in r.items() if k != "source"} for r in json.loads(piped.stdout)] == expected


def test_cli_markdown_without_sheet_fails_in_french(tmp_path: Path) -> None:
    empty = tmp_path / "vide.md"
    empty.write_text("# Rien\n\nDu texte.\n", encoding="utf-8")
    result = runner.invoke(app, ["convert", str(empty), "--to", "json"])
    assert result.exit_code == 1
    assert f"{empty}:1: aucune fiche reconnue dans ce Markdown" in result.stderr
    assert "Traceback" not in result.stderr
