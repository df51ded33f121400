"""`fichekit schema`: the JSON Schema of one record, golden-tested."""

from __future__ import annotations

import json

from conftest import assert_golden, runner

from fichekit.cli import app
from fichekit.headings import SECTION_KEYS
from fichekit.model import Fiche, fiche_json_schema


def test_schema_matches_golden() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert_golden("fiche.schema.json", result.stdout_bytes.decode("utf-8"))


def test_schema_is_the_model_schema_in_utf8_indented_json() -> None:
    out = runner.invoke(app, ["schema"]).stdout_bytes
    assert json.loads(out) == fiche_json_schema()
    assert out.startswith(b"{\n  ") and out.endswith(b"}\n")
    assert "Rubrique « Localisation »".encode() in out  # French descriptions, not \u-escaped


def test_schema_lists_the_record_keys_in_order() -> None:
    properties = list(fiche_json_schema()["properties"])  # type: ignore[call-overload]
    assert properties == list(Fiche.model_fields)
    assert properties[4 : 4 + len(SECTION_KEYS)] == list(SECTION_KEYS)


def test_schema_help_has_an_example() -> None:
    result = runner.invoke(app, ["schema", "--help"])
    assert "Exemple : fichekit schema > fiche.schema.json" in result.stdout
