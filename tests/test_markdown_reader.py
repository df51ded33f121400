"""The Markdown reader on CommonMark blocks: code blocks, block quotes, HTML blocks and comments,
nested lists, and reading in chunks gives the same records as reading at once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import corpus, runner

from fichekit.api import load
from fichekit.cli import app
from fichekit.errors import ParseError
from fichekit.findings import Code, Finding, Severity
from fichekit.model import Fiche, Item, ItemType
from fichekit.readers import markdown as markdown_reader
from fichekit.readers.markdown import iter_fiches_from_markdown
from fichekit.writers import WriterOptions
from fichekit.writers.markdown import MarkdownWriter

PUCE, NUMERO, PARAGRAPHE = ItemType.PUCE, ItemType.NUMERO, ItemType.PARAGRAPHE


def _read(text: str, findings: list[Finding] | None = None) -> list[Fiche]:
    return list(iter_fiches_from_markdown(text.split("\n"), "fiches.md", findings))


def _items(fiche: Fiche, key: str) -> list[tuple[str, ItemType]]:
    return [(item.texte, item.type) for item in getattr(fiche, key)]


def _sheet_around(block: str) -> str:
    """One sheet: ``block`` under « Publics touchés », between two real headings (block on line 7)."""
    return f"# Thème ?\n\n## Collectif (21)\n\n### Publics touchés\n\n{block}\n\n### Résultats\n\nbien\n"


# --- a heading inside a block is text of that block ----------------------------------------------

CODE_BLOCKS: dict[str, tuple[str, str]] = {
    "backtick-fence": ("```\n### Partenaires\nbailleur\n```", "```\n### Partenaires\nbailleur\n```"),
    "tilde-fence": ("~~~ texte\n### Partenaires\n\nbailleur\n~~~", "~~~ texte\n### Partenaires\n\nbailleur\n~~~"),
    "indented-code": ("    ### Partenaires\n    bailleur \\*", "### Partenaires\nbailleur \\*"),
    "fence-in-a-list-item": ("- note\n\n  ```\n  ### Partenaires\n  ```", None),  # type: ignore[dict-item]
}


@pytest.mark.parametrize(("block", "text"), list(CODE_BLOCKS.values()), ids=list(CODE_BLOCKS))
def test_a_heading_in_a_code_block_is_code(block: str, text: str | None) -> None:
    findings: list[Finding] = []
    (fiche,) = _read(_sheet_around(block), findings)
    assert fiche.partenaires == []
    assert fiche.source is not None and list(fiche.source.rubriques) == ["publics_touches", "resultats"]
    if text is None:
        # In a list item the code is more text of the item, lines as typed.
        assert _items(fiche, "publics_touches") == [("note\n```\n### Partenaires\n```", PUCE)]
    else:
        # Lines as typed, fences included; code is not unescaped (CommonMark shows it literally).
        assert _items(fiche, "publics_touches") == [(text, PARAGRAPHE)]
    assert _items(fiche, "resultats") == [("bien", PARAGRAPHE)]
    (finding,) = findings
    heading_line = _sheet_around(block).split("\n").index(next(line for line in block.split("\n") if "###" in line)) + 1
    assert (finding.code, finding.severity, finding.line) == (Code.UNKNOWN_HEADING, Severity.WARNING, heading_line)
    assert finding.message.startswith("titre « ### Partenaires » ")
    assert "lu comme du texte" in finding.message


def test_a_sheet_heading_in_an_unclosed_fence_does_not_start_a_sheet() -> None:
    findings: list[Finding] = []
    (fiche,) = _read(_sheet_around("```\n## Autre collectif (58)\n\n### Localisation\n\nNevers"), findings)
    assert [s.nom for s in fiche.structures] == ["Collectif"]
    # The fence runs to the end of the document: what follows is code too, but the blank lines at the end.
    assert _items(fiche, "publics_touches") == [
        ("```\n## Autre collectif (58)\n\n### Localisation\n\nNevers\n\n### Résultats\n\nbien", PARAGRAPHE)
    ]
    assert [(f.code, f.line) for f in findings] == [(Code.UNKNOWN_HEADING, 8), (Code.UNKNOWN_HEADING, 10), (Code.UNKNOWN_HEADING, 14)]
    assert "dans le bloc de code ouvert ligne 7 par « ``` »" in findings[0].message


BLOCK_QUOTES: dict[str, tuple[str, list[tuple[str, ItemType]]]] = {
    "quoted-heading": ("> ### Partenaires\n> bailleur social", [("> ### Partenaires\n> bailleur social", PARAGRAPHE)]),
    "nested-quote": ("> > ## Autre collectif", [("> > ## Autre collectif", PARAGRAPHE)]),
    "lazy-line": ("> ### Partenaires\nsuite paresseuse", [("> ### Partenaires", PARAGRAPHE), ("suite paresseuse", PARAGRAPHE)]),
    "quote-in-a-list-item": ("- citation :\n  > ### Partenaires", [("citation :\n> ### Partenaires", PUCE)]),
}


@pytest.mark.parametrize(("block", "items"), list(BLOCK_QUOTES.values()), ids=list(BLOCK_QUOTES))
def test_a_heading_in_a_block_quote_is_quoted_text(block: str, items: list[tuple[str, ItemType]]) -> None:
    findings: list[Finding] = []
    (fiche,) = _read(_sheet_around(block), findings)
    assert fiche.partenaires == [] and [s.nom for s in fiche.structures] == ["Collectif"]
    assert _items(fiche, "publics_touches") == items
    assert [(f.code, f.line) for f in findings] == [(Code.UNKNOWN_HEADING, 7 if "citation" not in block else 8)]
    assert "dans une citation « > »" in findings[0].message


def test_a_quote_without_heading_is_kept_as_typed_and_not_reported() -> None:
    findings: list[Finding] = []
    (fiche,) = _read(_sheet_around("> « On ne jette plus rien »\n> — une bénévole, *ravie*"), findings)
    assert _items(fiche, "publics_touches") == [("> « On ne jette plus rien »\n> — une bénévole, *ravie*", PARAGRAPHE)]
    assert findings == []


def test_a_heading_swallowed_by_an_html_block_is_text_and_reported() -> None:
    findings: list[Finding] = []
    (fiche,) = _read(_sheet_around("<div>\n## Autre collectif (58)"), findings)
    assert [s.nom for s in fiche.structures] == ["Collectif"]
    assert _items(fiche, "publics_touches") == [("<div>\n## Autre collectif (58)", PARAGRAPHE)]
    assert [(f.code, f.line) for f in findings] == [(Code.UNKNOWN_HEADING, 8)]
    assert "dans le bloc HTML ouvert ligne 7" in findings[0].message


def test_a_heading_in_a_list_item_is_item_text_and_reported() -> None:
    findings: list[Finding] = []
    (fiche,) = _read(_sheet_around("- ### Partenaires\n- #### Détail"), findings)
    assert _items(fiche, "publics_touches") == [("### Partenaires", PUCE), ("#### Détail", PUCE)]
    # Only a heading fichekit would read as structure is worth a warning.
    assert [(f.code, f.line) for f in findings] == [(Code.UNKNOWN_HEADING, 7)]


# --- HTML comments ------------------------------------------------------------------------------

UNSAFE_COMMENTS: dict[str, tuple[str, int, str]] = {
    "unclosed-comment-hides-a-sheet": (
        "<!-- à relire\n\n## Autre collectif (58)\n\n### Localisation\n\nNevers",
        9,
        "le titre « ## Autre collectif (58) » est pris dans le commentaire HTML « <!-- » ouvert ligne 7 et jamais fermé",
    ),
    "closed-comment-hides-a-sheet": (
        "<!-- à relire\n## Autre collectif (58)\n-->",
        8,
        "le titre « ## Autre collectif (58) » est pris dans le commentaire HTML « <!-- » ouvert ligne 7 et fermé seulement ligne 9",
    ),
    "comment-hides-a-rubric": (
        "<!-- à relire\n### Partenaires\nbailleur -->",
        8,
        "le titre « ### Partenaires » est pris dans le commentaire HTML « <!-- » ouvert ligne 7 et fermé seulement ligne 9",
    ),
    "unclosed-comment-hides-the-next-rubric": (
        "<!-- à relire",
        9,
        "le titre « ### Résultats » est pris dans le commentaire HTML « <!-- » ouvert ligne 7 et jamais fermé",
    ),
    "unclosed-comment-in-a-list-item": ("- un\n  <!-- à relire\n- deux", 8, "commentaire HTML « <!-- » jamais fermé"),
}


@pytest.mark.parametrize(("block", "line", "message"), list(UNSAFE_COMMENTS.values()), ids=list(UNSAFE_COMMENTS))
def test_a_comment_cannot_silently_hide_or_merge_sheets(block: str, line: int, message: str) -> None:
    text = _sheet_around(block)
    with pytest.raises(ParseError) as caught:
        _read(text)
    assert (caught.value.path, caught.value.line) == ("fiches.md", line)
    assert caught.value.message.startswith(message)


def test_an_unclosed_comment_at_the_end_is_an_error_too() -> None:
    with pytest.raises(ParseError, match="commentaire HTML « <!-- » jamais fermé : il masque tout ce qui suit") as caught:
        _read("## Collectif\n\n### Localisation\n\nDijon\n\n<!-- à relire\nla fin\n")
    assert caught.value.line == 7


def test_a_comment_that_hides_a_sheet_fails_in_french_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "fiches.md"
    path.write_text(_sheet_around("<!-- à relire\n\n## Autre collectif (58)"), encoding="utf-8")
    result = runner.invoke(app, ["convert", str(path), "--to", "json"])
    assert result.exit_code == 1
    assert f"{path}:9: le titre « ## Autre collectif (58) » est pris dans le commentaire HTML" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_closed_comment_is_skipped_and_text_after_it_kept() -> None:
    findings: list[Finding] = []
    (fiche,) = _read(_sheet_around("<!-- une note\nsur deux lignes --> familles du quartier\n\n<!-- seule -->"), findings)
    assert _items(fiche, "publics_touches") == [("familles du quartier", PARAGRAPHE)]
    assert findings == []


# --- lists --------------------------------------------------------------------------------------

LISTS: dict[str, tuple[str, list[tuple[str, ItemType]]]] = {
    "nested-lists-flattened": ("- un\n  1. deux\n     - trois\n- quatre", [("un", PUCE), ("deux", NUMERO), ("trois", PUCE), ("quatre", PUCE)]),
    "item-opening-with-a-list": ("- - un\n  - deux", [("un", PUCE), ("deux", PUCE)]),
    "text-after-a-nested-list": ("- un\n  - deux\n\n  suite de un", [("un", PUCE), ("deux", PUCE), ("suite de un", PARAGRAPHE)]),
    "loose-item": ("1. un\n\n   suite\n2. deux", [("un\nsuite", NUMERO), ("deux", NUMERO)]),
    "empty-items": ("-\n- \n1.", [("", PUCE), ("", PUCE), ("", NUMERO)]),
    "lazy-continuation": ("- un\nsuite", [("un\nsuite", PUCE)]),
    "list-interrupts-a-paragraph": ("texte\n- un", [("texte", PARAGRAPHE), ("un", PUCE)]),
    "two-does-not-interrupt": ("texte\n2. pas une liste", [("texte\n2. pas une liste", PARAGRAPHE)]),
    "link-reference-definition": ("[site]: https://exemple.org", [("[site]: https://exemple.org", PARAGRAPHE)]),
}


@pytest.mark.parametrize(("block", "items"), list(LISTS.values()), ids=list(LISTS))
def test_lists_and_paragraphs_as_commonmark_reads_them(block: str, items: list[tuple[str, ItemType]]) -> None:
    findings: list[Finding] = []
    (fiche,) = _read(_sheet_around(block), findings)
    assert _items(fiche, "publics_touches") == items
    assert findings == []


def test_lists_nested_too_deep_are_refused_not_cut() -> None:
    (fiche,) = _read(_sheet_around("- " * markdown_reader._MAX_NESTED_LISTS + "fond"))
    assert _items(fiche, "publics_touches") == [("fond", PUCE)]
    with pytest.raises(ParseError, match="listes imbriquées sur plus de") as caught:
        _read(_sheet_around("- " * (markdown_reader._MAX_NESTED_LISTS + 1) + "fond"))
    assert caught.value.line == 7


# --- reading in chunks --------------------------------------------------------------------------


def _markdown(path: Path) -> str:
    out = io.BytesIO()
    MarkdownWriter(WriterOptions()).write(load(path), out)
    return out.getvalue().decode("utf-8")


TRICKY = "\n".join(
    [
        "# Thème ?",
        "## Un",
        "### Localisation",
        "```",
        "## Pas une fiche",
        "# Pas un thème",
        "```",
        "## Deux",
        "<!-- note",
        "-->",
        "# Autre thème ?",
        "- liste",
        "## Trois",
        "    ## code",
        "## Quatre",
    ]
)


def _assert_chunks_agree(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    whole_findings: list[Finding] = []
    whole = _read(text, whole_findings)
    # Cut at every top-level heading that can be a boundary.
    monkeypatch.setattr(markdown_reader, "_CHUNK_LINES", 1)
    chunked_findings: list[Finding] = []
    chunked = _read(text, chunked_findings)
    assert [f.model_dump() for f in chunked] == [f.model_dump() for f in whole]
    assert chunked_findings == whole_findings


@pytest.mark.parametrize("path", corpus())
def test_reading_the_corpus_in_chunks_gives_what_reading_at_once_gives(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _assert_chunks_agree(_markdown(path), monkeypatch)


def test_reading_blocks_that_span_headings_in_chunks_gives_what_reading_at_once_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    _assert_chunks_agree(TRICKY, monkeypatch)


def test_tricky_document_sheets() -> None:
    sheets = _read(TRICKY)
    assert [s.structures[0].nom for s in sheets] == ["Un", "Deux", "Trois", "Quatre"]
    assert [s.theme for s in sheets] == ["Thème ?", "Thème ?", "Autre thème ?", "Autre thème ?"]
    assert sheets[0].localisation[0].texte == "```\n## Pas une fiche\n# Pas un thème\n```"
    assert [s.source.line for s in sheets if s.source is not None] == [2, 8, 13, 15]


def test_a_sheet_heading_typed_as_the_export_line_drops_its_arrow_and_avec() -> None:
    # Markdown typed by hand from a raw export: « ## → Avec … » for the sheet's structures.
    typed = "# Q ?\n\n## → Avec Épicerie des Tilleuls (21) : projet PANIERS\n\n### Localisation\nDijon\n\n## AVEC (75)\n\n### Localisation\nParis\n"
    first, second = _read(typed)
    assert [(s.nom, s.departements) for s in first.structures] == [("Épicerie des Tilleuls", ["21"])]
    assert first.projet == "projet PANIERS"
    assert [(s.nom, s.departements) for s in second.structures] == [("AVEC", ["75"])]  # an association's name


def test_front_matter_keys_of_the_users_own_are_named_in_a_layout_finding() -> None:
    findings: list[Finding] = []
    typed = "---\ntitle: Fiche des Tilleuls\ndate: 2025-03-12\nauteurs:\n  - Anne\n---\n\n# Q ?\n\n## A (21)\n\n### Localisation\nDijon\n"
    [fiche] = _read(typed, findings)
    assert [(f.code, f.line) for f in findings] == [(Code.LAYOUT_REMOVED, 1)]
    assert "« date », « auteurs »" in findings[0].message
    assert [item.texte for item in fiche.localisation] == ["Dijon"]


def test_the_writers_own_front_matter_is_read_back_without_a_finding() -> None:
    from fichekit.markdown_syntax import FRONT_MATTER_KEYS
    from fichekit.writers.markdown import front_matter

    fiche = _read("# Q ?\n\n## A (21)\n\n### Localisation\nDijon\n")[0]
    page = front_matter(fiche)
    assert tuple(line.partition(":")[0] for line in page[1:-1]) == FRONT_MATTER_KEYS
    findings: list[Finding] = []
    _read("\n".join(page) + "\n\n# Q ?\n\n## A (21)\n\n### Localisation\nDijon\n", findings)
    assert findings == []


def test_markdown_written_by_hand_may_label_rubriques_in_bold_like_the_export() -> None:
    typed = (
        "# Comment associer les habitants ?\n\n## Épicerie des Tilleuls (21)\n\n"
        "**Localisation :** Dijon\n**Chiffres clés :**\n\n- 40 bénévoles\n\n**Partenaires** : CCAS\n\nRésultats : un comité élu\n"
    )
    [fiche] = _read(typed)
    assert _items(fiche, "localisation") == [("Dijon", ItemType.PARAGRAPHE)]
    assert _items(fiche, "chiffres_cles") == [("40 bénévoles", ItemType.PUCE)]
    assert _items(fiche, "partenaires") == [("CCAS", ItemType.PARAGRAPHE)]
    assert _items(fiche, "resultats") == [("un comité élu", ItemType.PARAGRAPHE)]
    assert fiche.hors_rubrique == []


def test_in_fichekits_own_markdown_a_paragraph_shaped_like_a_heading_stays_content(tmp_path: Path) -> None:
    path = tmp_path / "fiches.json"
    fiche = _read("# Q ?\n\n## A (21)\n\n### Résultats\n\nbien\n")[0].model_copy(
        update={"resultats": [Item(texte="Localisation : voir plus haut", type=ItemType.PARAGRAPHE)]}
    )
    path.write_text("[" + fiche.model_dump_json() + "]", encoding="utf-8")
    [back] = _read(_markdown(path))
    assert _items(back, "resultats") == [("Localisation : voir plus haut", ItemType.PARAGRAPHE)]
    assert back.localisation == []


def test_a_md_file_without_any_heading_is_read_as_an_export(tmp_path: Path) -> None:
    path = tmp_path / "fiche.md"
    path.write_text("Comment associer ?\n\n→ Avec Épicerie des Tilleuls (21)\n\n**Localisation :** Dijon\n", encoding="utf-8")
    [fiche] = load(path)
    assert (fiche.theme, [s.nom for s in fiche.structures]) == ("Comment associer ?", ["Épicerie des Tilleuls"])
    assert _items(fiche, "localisation") == [("Dijon", ItemType.PARAGRAPHE)]
