"""fichekit's own recueil reads back to the records it was made from: as a Word file, and as its text.

A coordinator corrects the recueil in Word, then regenerates the spreadsheet or
the website from it: reading it must give back exactly what was written
(source aside), from what a person sees and edits in Word, never from a hidden
copy of the data.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from conftest import corpus

from fichekit import load, loads
from fichekit.model import Fiche
from fichekit.writers import Format, WriterOptions, get_writer


def _records(fiches: list[Fiche]) -> list[dict[str, object]]:
    return [f.model_dump(mode="json", exclude={"source"}) for f in fiches]


def _recueil(fiches: list[Fiche], path: Path, **options: object) -> Path:
    with open(path, "wb") as out:
        get_writer(Format.DOCX, WriterOptions(**options)).write(fiches, out)  # type: ignore[arg-type]
    return path


@pytest.mark.parametrize("path", corpus())
def test_the_recueil_reads_back_to_the_same_records(path: Path, tmp_path: Path) -> None:
    original = load(path)
    recueil = _recueil(original, tmp_path / "recueil.docx")
    assert _records(load(recueil)) == _records(original)


def _as_text(document: docx.document.Document) -> str:
    """The recueil's paragraphs as LibreOffice's text export writes them: one per line, list marks drawn."""
    lines: list[str] = []
    number = 0
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        number = number + 1 if style == "List Number" else 0
        mark = "• " if style == "List Bullet" else f"{number}. " if number else ""
        lines.append(mark + paragraph.text)
    return "\n".join(lines)


def test_a_recueil_of_every_sample_together_reads_back(tmp_path: Path) -> None:
    """Several exports in one recueil: a question ending one sheet stays its content when a new theme follows."""
    from conftest import SAMPLE_FILES

    original = [fiche for path in SAMPLE_FILES for fiche in load(path)]
    recueil = _recueil(original, tmp_path / "recueil.docx")
    back = load(recueil)
    # The recueil groups sheets by theme: compare them in the recueil's order.
    order = {id(f): i for i, f in enumerate(original)}
    themes: dict[object, list[Fiche]] = {}
    for fiche in sorted(original, key=lambda f: order[id(f)]):
        themes.setdefault(None if not fiche.theme else " ".join(fiche.theme.split()).casefold(), []).append(fiche)
    grouped = [fiche for group in themes.values() for fiche in group]
    # A number labels one theme only: two exports both numbering a theme 5, the second theme's 5 is not shown.
    claimed: dict[int, object] = {}
    expected = []
    for key, group in themes.items():
        for fiche in group:
            number = fiche.theme_number
            if number is not None and claimed.setdefault(number, key) != key:
                fiche = fiche.model_copy(update={"theme_number": None})
            expected.append(fiche)
    assert len(expected) == len(grouped)
    assert _records(back) == _records(expected)


@pytest.mark.parametrize("path", corpus())
def test_the_recueil_as_text_reads_back_to_the_same_records(path: Path, tmp_path: Path) -> None:
    """The recueil exported to text (its paragraphs, one per line, with the list marks Word draws)."""
    original = load(path)
    document = docx.Document(str(_recueil(original, tmp_path / "recueil.docx")))
    back = loads(_as_text(document), file="recueil.txt")
    # As text, a line the source had wrapped inside an item reads as one line: words equal, spaces aside.
    def words(records: list[dict[str, object]]) -> str:
        return " ".join(str(records).replace("\\n", " ").split())

    assert words(_records(back)) == words(_records(original))


def test_an_edit_made_in_word_comes_back(tmp_path: Path) -> None:
    from conftest import SAMPLES_DIR

    original = load(SAMPLES_DIR / "normandie_ateliers.txt")
    path = _recueil(original, tmp_path / "recueil.docx")
    document = docx.Document(str(path))
    paragraphs = document.paragraphs
    corrected = next(p for p in paragraphs if p.text == "28 bénévoles")
    corrected.runs[0].text = "30 bénévoles"
    bullet = next(p for p in paragraphs if p.style.name == "List Bullet" and p.text.startswith("2016"))
    added = bullet._p.__copy__()
    bullet._p.addnext(added)
    docx.text.paragraph.Paragraph(added, bullet._parent).runs[0].text = "2017 : premier bilan avec les familles"
    removed = next(p for p in paragraphs if p.text == "2,5 ETP")
    removed._p.getparent().remove(removed._p)
    document.save(str(path))
    first = load(path)[0]
    assert [i.texte for i in first.chiffres_cles] == ["3 salariés - 1 en contrat aidé", "30 bénévoles", "640 foyers inscrits en 2023"]
    assert [i.texte for i in first.contexte][:2] == [
        "2016 : ouverture de l'épicerie dans un ancien local de la Poste",
        "2017 : premier bilan avec les familles",
    ]


def test_split_files_read_back_one_sheet_each(tmp_path: Path) -> None:
    from conftest import SAMPLES_DIR

    original = load(SAMPLES_DIR / "occitanie_restitution.txt")
    for index, fiche in enumerate(original):
        path = _recueil([fiche], tmp_path / f"fiche-{index}.docx", single=True)
        assert _records(load(path)) == _records([fiche])


def test_records_are_read_from_what_word_shows_not_from_hidden_data(tmp_path: Path) -> None:
    from conftest import SAMPLES_DIR

    path = _recueil(load(SAMPLES_DIR / "normandie_ateliers.txt"), tmp_path / "recueil.docx")
    import zipfile

    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert not [n for n in names if n.startswith("customXml") or n.endswith(".json")]


RECUEILS = Path(__file__).parent / "fixtures" / "recueil"


def _letters(fiches: list[Fiche]) -> str:
    """Every rubrique's text, spaces and hyphens aside (pdftotext removes a hyphen it takes for the page's)."""
    import re

    text = " ".join(item.texte for fiche in fiches for _, items in fiche.sections() for item in items)
    return re.sub(r"[\s\-]", "", text)


@pytest.mark.parametrize("stem", ["normandie_ateliers", "bretagne_pdf"])
@pytest.mark.parametrize("suffix", [".pdf", ".pdftotext.txt", ".pdftotext-layout.txt", ".soffice.txt"])
def test_the_recueil_made_into_pdf_or_text_by_real_tools_reads_back(stem: str, suffix: str) -> None:
    """The recueil as LibreOffice saves it to PDF and to text, and as pdftotext reads the PDF
    (fixtures made by tests/fixtures/recueil/make_recueils.py): every sheet with its theme, number,
    structures, projet and every word of its rubriques. Where the PDF wrapped a line, the boundary
    between two items of a rubrique may differ: the words may not."""
    from conftest import SAMPLES_DIR

    original = load(SAMPLES_DIR / f"{stem}.txt")
    back = load(RECUEILS / f"{stem}{suffix}")

    def head(fiche: Fiche) -> tuple[object, ...]:
        theme = " ".join(fiche.theme.split()) if fiche.theme else None
        return (theme, fiche.theme_number, fiche.structures_label(), fiche.projet, fiche.hors_rubrique == [])

    assert [head(f) for f in back] == [head(f) for f in original]
    assert _letters(back) == _letters(original)
    if suffix == ".soffice.txt":
        # One paragraph per line: every item and its kind, a line the source wrapped read as one.
        def flat(records: list[dict[str, object]]) -> str:
            return " ".join(str(records).replace("\\n", " ").replace("\\xa0", " ").split())

        assert flat(_records(back)) == flat(_records(original))
