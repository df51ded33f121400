"""Property-based tests of writing: for any record, every writer succeeds and keeps every content line.

Records are generated with hostile content: control characters, emoji,
right-to-left text, very long lines, empty strings, Markdown and CSV
syntax, multi-line items.
"""

from __future__ import annotations

import csv
import io
import json
import re

from conftest import write_records
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fichekit.headings import SECTION_KEYS
from fichekit.model import Fiche, Item, ItemType, Structure
from fichekit.readers.markdown import iter_fiches_from_markdown
from fichekit.writers import Format

_SPECIAL = st.sampled_from(
    [
        "",
        "\x00\x07\x1b\x0b",
        "🍎🥕 épicerie 🇫🇷",
        "مرحبا بكم في البقالة",
        "שלום",
        "x" * 5000,
        "- pas une puce",
        "1. pas un numéro",
        "# pas un titre",
        "=HYPERLINK(\"http://x\",\"clic\")",
        "+33 6 12 34 56 78",
        "@SUM(A1)",
        "a;b,c\"d'e",
        "<b>gras</b> & *étoiles* _soulignés_ `code` [lien](x)",
        "--> fin de commentaire",
        "\\ barre oblique inverse",
        "\ufeff\u200b\u202e",
    ]
)
_TEXT = st.one_of(_SPECIAL, st.text(max_size=60), st.text(st.characters(codec="utf-8"), max_size=30))
_LINE = _TEXT.map(lambda t: " ".join(t.split()))  # an item line is trimmed and has no line break


@st.composite
def items(draw: st.DrawFn) -> list[Item]:
    result = []
    for _ in range(draw(st.integers(0, 3))):
        lines = draw(st.lists(_LINE.filter(bool), min_size=1, max_size=3))
        result.append(Item(texte="\n".join(lines), type=draw(st.sampled_from(list(ItemType)))))
    return result


@st.composite
def fiches(draw: st.DrawFn) -> list[Fiche]:
    records = []
    for _ in range(draw(st.integers(1, 3))):
        data: dict[str, object] = {key: draw(items()) for key in SECTION_KEYS}
        data["theme"] = draw(st.none() | _LINE.filter(bool))
        data["theme_number"] = draw(st.none() | st.integers(0, 99))
        data["structures"] = [
            Structure(nom=draw(_LINE.filter(bool)), departements=draw(st.lists(st.sampled_from(["21", "2A", "974", "BFC"]), max_size=2)))
            for _ in range(draw(st.integers(0, 2)))
        ]
        data["projet"] = draw(st.none() | _LINE.filter(bool))
        records.append(Fiche(**data))
    return records


def _content_lines(records: list[Fiche]) -> list[str]:
    return [line for f in records for _, its in f.sections() for i in its for line in i.texte.split("\n")]


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(fiches())
def test_json_and_jsonl_round_trip(records: list[Fiche]) -> None:
    assert [Fiche.model_validate(r) for r in json.loads(write_records(Format.JSON, records))] == records
    lines = write_records(Format.JSONL, records).decode("utf-8").splitlines()
    assert [Fiche.model_validate_json(line) for line in lines] == records


@SETTINGS
@given(fiches())
def test_markdown_parses_back_to_the_same_records(records: list[Fiche]) -> None:
    text = write_records(Format.MD, records).decode("utf-8")
    back = list(iter_fiches_from_markdown(text.split("\n"), "x.md", []))
    # The document groups sheets by theme: compare in that order, source aside.
    order = {theme: index for index, theme in reversed(list(enumerate(f.theme for f in records)))}
    expected = sorted(records, key=lambda f: order[f.theme])
    assert [f.model_copy(update={"source": None}) for f in back] == expected


@SETTINGS
@given(fiches(), st.booleans())
def test_csv_read_back_holds_every_content_line(records: list[Fiche], excel: bool) -> None:
    data = write_records(Format.CSV, records, excel=excel).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data, newline=""), delimiter=";" if excel else ","))
    assert len(rows) == len(records) + 1 and len({len(r) for r in rows}) == 1
    cells = "\n".join(cell for row in rows[1:] for cell in row)
    for line in _content_lines(records):
        assert line in cells


_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(fiches())
def test_docx_opens_and_holds_every_content_line(records: list[Fiche]) -> None:
    import docx

    findings: list = []
    data = write_records(Format.DOCX, records, findings=findings)
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    for line in _content_lines(records):
        assert _XML_FORBIDDEN.sub("", line) in text
    if any(_XML_FORBIDDEN.search(line) for line in _content_lines(records)):
        assert findings, "removed control characters must be reported"
