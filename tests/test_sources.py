"""Decoding policy: BOMs, UTF-8, UTF-16 without BOM, Windows-1252 fallback, forced encodings, bad files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from conftest import SAMPLES_DIR
from fichekit import InputError, load
from fichekit.sources import open_source

TEXT = "Comment faire ?\n→ Avec Épicerie Œuvre (2A)\nLocalisation : Ajaccio – 12 000 €\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(TEXT.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", id="utf-8-bom"),
        pytest.param(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16", id="utf-16-le-bom"),
        pytest.param(codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16", id="utf-16-be-bom"),
        pytest.param(TEXT.encode("utf-16-le"), "utf-16-le", id="utf-16-le-no-bom"),
        pytest.param(TEXT.encode("utf-16-be"), "utf-16-be", id="utf-16-be-no-bom"),
        pytest.param(TEXT.replace("→", "->").encode("cp1252"), "cp1252", id="cp1252-fallback"),
    ],
)
def test_detected_encodings_decode_to_the_same_text(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(data)
    source = open_source(str(path))
    assert source.encoding == encoding
    lines = list(source.lines())
    assert lines[1].endswith("Avec Épicerie Œuvre (2A)")
    assert lines[2] == "Localisation : Ajaccio – 12 000 €"


def test_forced_encoding_wins(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Localisation : Orléans\n".encode("latin-1"))
    assert list(open_source(str(path), encoding="latin-1").lines()) == ["Localisation : Orléans"]
    with pytest.raises(InputError, match="encodage inconnu"):
        open_source(str(path), encoding="klingon")


def test_undecodable_in_forced_encoding_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("Localisation : Orléans\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"bad\.txt.*illisible dans l'encodage utf-8"):
        list(open_source(str(path), encoding="utf-8").lines())


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda p: None, "fichier introuvable", id="missing"),
        pytest.param(lambda p: p.mkdir(), "c'est un dossier", id="directory"),
        pytest.param(lambda p: p.write_bytes(b""), "fichier vide", id="empty"),
        pytest.param(lambda p: p.write_bytes(b"  \n\r\n\t\n"), "fichier vide", id="blank"),
        pytest.param(lambda p: p.write_bytes(bytes(range(256)) * 8), "fichier binaire", id="binary"),
        pytest.param(lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "fichier binaire", id="png"),
    ],
)
def test_bad_files(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "entree.txt"
    make(path)
    with pytest.raises(InputError, match=message) as info:
        open_source(str(path))
    assert str(info.value).startswith(str(path))


def test_cp1252_sample_reads_euro_and_oe() -> None:
    fiches = load(SAMPLES_DIR / "grand_est_cp1252.txt")
    text = fiches[0].model_dump_json()
    assert "€" in text and "œ" in text


def test_crlf_sample_with_bom_has_no_stray_characters() -> None:
    fiches = load(SAMPLES_DIR / "occitanie_restitution.txt")
    dumped = "".join(f.model_dump_json() for f in fiches)
    assert "\\r" not in dumped and "\ufeff" not in dumped
    assert fiches[0].hors_rubrique[0].texte.startswith("Restitution des ateliers")
