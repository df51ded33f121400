"""Decoding policy: BOMs, UTF-8, UTF-16 without BOM, Windows-1252 fallback, forced encodings, bad files."""

from __future__ import annotations

import codecs
import subprocess
import sys
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


# -- the kind of an input: suffix first; pipes and FIFOs read once ------------------------------

SHEET = "Comment faire ?\n→ Avec Épicerie du Port (29)\nLocalisation : Brest\n"


@pytest.mark.parametrize(
    "first_line",
    [
        pytest.param("# Recueil 2024", id="markdown-title"),
        pytest.param("[Brouillon]", id="json-array-bracket"),
        pytest.param("{", id="json-object-brace"),
        pytest.param("---", id="front-matter-rule"),
        pytest.param("<!-- fichekit", id="fichekit-comment"),
    ],
)
def test_a_txt_file_is_a_raw_export_whatever_its_first_line(tmp_path: Path, first_line: str) -> None:
    path = tmp_path / "export.txt"
    path.write_text(f"{first_line}\n\n{SHEET}", encoding="utf-8")
    fiches = load(path)
    assert [f.structures[0].nom for f in fiches] == ["Épicerie du Port"]
    assert fiches[0].hors_rubrique[0].texte == first_line


def test_stdin_is_sniffed_and_an_error_says_which_kind_was_assumed() -> None:
    import io

    from fichekit import ParseError
    from fichekit.api import iter_load

    with pytest.raises(ParseError, match=r"lu comme JSON d'après son contenu ; précisez --from"):
        list(iter_load("-", stdin=io.BytesIO(b"[Brouillon]\n" + SHEET.encode())))
    from fichekit.formats import Format

    forced = list(iter_load("-", stdin=io.BytesIO(b"[Brouillon]\n" + SHEET.encode()), format=Format.TXT))
    assert forced[0].localisation[0].texte == "Brest"


def _fichekit(*args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "fichekit", *args], capture_output=True, timeout=60, **kwargs)  # type: ignore[call-overload, no-any-return]


def test_a_pipe_read_through_dev_stdin_loses_nothing() -> None:
    data = (SAMPLES_DIR / "normandie_ateliers.txt").read_bytes()
    result = _fichekit("parse", "/dev/stdin", input=data)
    assert result.returncode == 0, result.stderr
    import json

    assert len(json.loads(result.stdout)) == 3


def test_process_substitution_and_fifo_are_read_once(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys
    import threading

    sample = SAMPLES_DIR / "occitanie_restitution.txt"
    shell = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m fichekit parse <(cat "{sample}")'], capture_output=True, timeout=60
    )
    assert shell.returncode == 0, shell.stderr
    assert len(json.loads(shell.stdout)) == 3
    fifo = tmp_path / "export.txt"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(sample.read_bytes()))
    writer.start()
    result = _fichekit("parse", str(fifo))
    writer.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 3


def test_a_fifo_inside_a_folder_or_as_config_never_hangs(tmp_path: Path) -> None:
    import os
    import shutil

    folder = tmp_path / "fiches"
    folder.mkdir()
    shutil.copy(SAMPLES_DIR / "normandie_ateliers.txt", folder / "a.txt")
    os.mkfifo(folder / "b.txt")
    result = _fichekit("validate", str(folder))
    assert result.returncode == 0, result.stdout + result.stderr
    assert b"b.txt: pas un fichier ordinaire (tube, p\xc3\xa9riph\xc3\xa9rique) : ignor\xc3\xa9" in result.stderr
    os.mkfifo(tmp_path / "config.toml")
    config = _fichekit("validate", "--config", str(tmp_path / "config.toml"), str(folder / "a.txt"))
    assert config.returncode == 2
    assert "fichier ordinaire" in config.stderr.decode()


def test_a_stray_windows_1252_byte_is_repaired_with_a_warning(tmp_path: Path) -> None:
    from fichekit.api import iter_load
    from fichekit.findings import Code, Finding

    path = tmp_path / "export.txt"
    path.write_bytes(SHEET.encode("utf-8") + "Chiffres clés : 12 bénévoles\n".encode("cp1252"))
    findings: list[Finding] = []
    fiches = list(iter_load(path, findings=findings))
    assert fiches[0].chiffres_cles[0].texte == "12 bénévoles"
    assert fiches[0].structures[0].nom == "Épicerie du Port"  # the UTF-8 rest is untouched
    assert [(f.code, f.line) for f in findings] == [(Code.ENCODING_REPAIRED, 4)]


@pytest.mark.parametrize(
    ("tail", "expected"),
    [(b"\xa9", "©"), (b"Publics touch\xe9s : 40 foyers", "Publics touchés : 40 foyers")],
    ids=["lone-byte-at-the-end", "last-line-without-newline"],
)
def test_a_stray_byte_on_the_last_line_is_repaired_too(tmp_path: Path, tail: bytes, expected: str) -> None:
    """The last line, without line end, is carried to the end of the file: it is repaired like any other."""
    from fichekit.findings import Code, Finding

    path = tmp_path / "export.txt"
    path.write_bytes(SHEET.encode("utf-8") + tail)
    findings: list[Finding] = []
    lines = list(open_source(str(path)).lines(findings))
    assert lines[-1] == expected
    assert [f.code for f in findings] == [Code.ENCODING_REPAIRED]


def test_a_stray_byte_on_a_line_cut_by_a_chunk_is_repaired(tmp_path: Path) -> None:
    from fichekit.findings import Code, Finding
    from fichekit.sources import _CHUNK

    path = tmp_path / "export.txt"
    head = b"x" * (_CHUNK - 5)  # the line starts in the first chunk, holds the byte there, ends in the next
    path.write_bytes(head + b"\xe9t\xe9 " + b"y" * 10 + b"\nLocalisation : Brest\n")
    findings: list[Finding] = []
    lines = list(open_source(str(path)).lines(findings))
    assert lines[0] == "x" * (_CHUNK - 5) + "été " + "y" * 10
    assert [f.code for f in findings] == [Code.ENCODING_REPAIRED]


def test_decoding_errors_give_the_offset_in_the_file_not_in_a_chunk(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(b"Localisation : Brest\n" * 100_000 + "é".encode("latin-1"))
    with pytest.raises(InputError, match=r"octet 2100000\)"):
        list(open_source(str(path), encoding="utf-8").lines())
