"""fichekit's own JSON (one array) and JSON Lines (one record per line), read back into records."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import ValidationError

from ..enrich import ENRICHED_KEY
from ..errors import ParseError, french_validation_error
from ..findings import Finding
from ..formats import Format
from ..model import Fiche
from ..records import FicheRecord, as_records
from ..safety import check_json_record, load_json
from ..sources import Source

__all__ = ["read", "record_from_data"]


def record_from_data(data: object, name: str, where: str) -> Fiche:
    """A record from decoded JSON data, or a :class:`ParseError` naming the bad field."""
    if isinstance(data, dict) and ENRICHED_KEY in data:
        # Names written by --enrichir: derived from the codes, recomputed on output, not a field.
        data = {key: value for key, value in data.items() if key != ENRICHED_KEY}
    check_json_record(data, name, where)
    try:
        return Fiche.model_validate(data)
    except ValidationError as exc:
        raise ParseError(f"{where} : {french_validation_error(exc)}", path=name) from None


def _read_array(source: Source, findings: list[Finding]) -> Iterator[Fiche]:
    text = "\n".join(source.lines(findings))
    data = load_json(text, source.name)
    records = data if isinstance(data, list) else [data]
    if not records:
        raise ParseError("aucune fiche dans ce JSON (tableau vide)", path=source.name)
    for index, record in enumerate(records, 1):
        yield record_from_data(record, source.name, f"fiche n° {index}")


def _read_lines(source: Source, findings: list[Finding]) -> Iterator[Fiche]:
    count = 0
    for line_no, line in enumerate(source.lines(findings), 1):
        if not line.strip():
            continue
        record = load_json(line, source.name, line=line_no)
        count += 1
        yield record_from_data(record, source.name, f"ligne {line_no}")
    if count == 0:
        raise ParseError("aucune fiche dans ce fichier JSON Lines", path=source.name)


def read(source: Source, findings: list[Finding]) -> Iterator[FicheRecord]:
    """Records of a JSON array (read whole) or of JSON Lines (streamed), validated against the model."""
    if source.format is Format.JSONL:
        return as_records(_read_lines(source, findings))
    return as_records(_read_array(source, findings))
