"""Bad input and interrupted runs, per command: French one-line errors, right exit codes,
no traceback, no partial output, previous output intact."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLES_DIR, runner

from fichekit.cli import app
from fichekit.writers import Format

SAMPLE = SAMPLES_DIR / "normandie_ateliers.txt"
PREVIOUS = b"previous output, must survive\n"


def _make_missing(p: Path) -> None:
    pass


def _make_directory(p: Path) -> None:
    p.mkdir()


def _make_empty(p: Path) -> None:
    p.write_bytes(b"")


def _make_blank(p: Path) -> None:
    p.write_bytes(b" \n\t\n\r\n")


def _make_binary(p: Path) -> None:
    p.write_bytes(bytes(range(256)) * 40)


def _make_no_sheet(p: Path) -> None:
    p.write_text("Compte rendu de réunion.\nRien d'autre.\n", encoding="utf-8")


BAD_INPUTS: list[tuple[str, Callable[[Path], None], str]] = [
    ("missing", _make_missing, "fichier introuvable"),
    ("directory", _make_directory, "aucun fichier de fiches dans ce dossier"),
    ("empty", _make_empty, "fichier vide"),
    ("blank", _make_blank, "fichier vide"),
    ("binary", _make_binary, "fichier binaire"),
    ("no-sheet", _make_no_sheet, "aucune fiche reconnue"),
]


def _assert_one_french_line(stderr: str, path: Path, message: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert any(line.startswith(f"erreur : {path}") and message in line for line in lines), stderr


@pytest.mark.parametrize("fmt", [f.value for f in Format if f.spec.writer])
@pytest.mark.parametrize(("case", "make", "message"), BAD_INPUTS, ids=[c for c, _, _ in BAD_INPUTS])
def test_convert_bad_input_leaves_previous_output_intact(
    tmp_path: Path, fmt: str, case: str, make: Callable[[Path], None], message: str
) -> None:
    bad = tmp_path / "entree.txt"
    make(bad)
    out = tmp_path / f"sortie.{fmt}"
    out.write_bytes(PREVIOUS)
    result = runner.invoke(app, ["convert", str(SAMPLE), str(bad), "-o", str(out)])
    assert result.exit_code == 1
    _assert_one_french_line(result.stderr, bad, message)
    assert out.read_bytes() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp file left


@pytest.mark.parametrize(("case", "make", "message"), BAD_INPUTS, ids=[c for c, _, _ in BAD_INPUTS])
def test_validate_bad_input_is_an_error_never_exit_0(tmp_path: Path, case: str, make: Callable[[Path], None], message: str) -> None:
    bad = tmp_path / "entree.txt"
    make(bad)
    result = runner.invoke(app, ["validate", str(bad), str(SAMPLE)])
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr


def test_undecodable_in_declared_encoding(tmp_path: Path) -> None:
    bad = tmp_path / "latin.txt"
    bad.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("cp1252", "replace"))
    for command in (["parse"], ["convert", "--to", "json"]):
        result = runner.invoke(app, [*command, str(bad), "--encoding", "utf-8"])
        assert result.exit_code == 1
        _assert_one_french_line(result.stderr, bad, "illisible dans l'encodage utf-8")


def test_utf16_without_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "word.txt"
    path.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("utf-16-le"))
    result = runner.invoke(app, ["convert", str(path), "--to", "jsonl"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == 3


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permissions cannot be tested as root (CI runs as root): simulate the refusal."""
    target = tmp_path / "secret.txt"
    target.write_bytes(SAMPLE.read_bytes())
    real_open = builtins.open

    def refusing_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file) == str(target):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    for command in (["parse"], ["convert", "--to", "csv"], ["validate"]):
        result = runner.invoke(app, [*command, str(target)])
        assert result.exit_code == 1
        assert "lecture interdite (permissions)" in result.stderr + result.stdout


def test_output_directory_missing(tmp_path: Path) -> None:
    out = tmp_path / "absent" / "recueil.json"
    result = runner.invoke(app, ["convert", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 1
    _assert_one_french_line(result.stderr, out, "le dossier de sortie n'existe pas")


def test_output_directory_not_writable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root every directory is writable: simulate the refusal of the temporary file."""
    import tempfile

    def refusing_mkstemp(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refusing_mkstemp)
    out = tmp_path / "fiches.csv"
    result = runner.invoke(app, ["convert", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 1
    _assert_one_french_line(result.stderr, out, "écriture interdite (permissions)")
    assert not out.exists()


def test_output_equal_to_input_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "export.md"
    copy.write_bytes(b"# Question ?\n\n## Structure (21)\n\n### Localisation\n\nLunel\n")
    before = copy.read_bytes()
    result = runner.invoke(app, ["convert", str(copy), "-o", str(copy)])
    assert result.exit_code == 1
    _assert_one_french_line(result.stderr, copy, "la sortie est aussi une entrée")
    assert copy.read_bytes() == before


@pytest.mark.parametrize("fmt", [f.value for f in Format if f.spec.writer])
def test_interrupt_leaves_no_partial_file_and_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    import fichekit.convert

    real_iter = fichekit.convert.iter_collection

    def interrupted(*args, **kwargs):  # type: ignore[no-untyped-def]
        for count, fiche in enumerate(real_iter(*args, **kwargs)):
            if count == 2:
                raise KeyboardInterrupt
            yield fiche

    monkeypatch.setattr(fichekit.convert, "iter_collection", interrupted)
    out = tmp_path / f"recueil.{fmt}"
    out.write_bytes(PREVIOUS)
    result = runner.invoke(app, ["convert", str(SAMPLE), "-o", str(out)])
    assert result.exit_code == 130
    assert "Interrompu" in result.stderr and "Traceback" not in result.stderr
    assert out.read_bytes() == PREVIOUS
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_docx_needs_a_file_and_format_needs_a_name(tmp_path: Path) -> None:
    result = runner.invoke(app, ["convert", str(SAMPLE), "--to", "docx"])
    assert result.exit_code == 2
    assert "ajoutez -o recueil.docx" in result.stderr
    result = runner.invoke(app, ["convert", str(SAMPLE), "-o", str(tmp_path / "sortie.xyz")])
    assert result.exit_code == 2
    assert "précisez le format avec --to" in result.stderr


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="mesure de la mémoire par /proc (Linux)")
def test_two_hundred_megabyte_export_streams_in_bounded_memory(tmp_path: Path) -> None:
    """JSON Lines and CSV stream records from reader to writer: peak memory stays far below the input size."""
    import subprocess
    import sys

    sheet = SAMPLE.read_text(encoding="utf-8")
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as stream:
        while stream.tell() < 200_000_000:
            stream.write(sheet * 100)
    out = tmp_path / "fiches.jsonl"
    # VmHWM, not ru_maxrss: Linux carries the parent's peak into ru_maxrss across exec,
    # so a large pytest process would be measured instead of the child.
    measure = (
        "import runpy, sys\n"
        f"sys.argv = ['fichekit', 'convert', {str(big)!r}, '--to', 'jsonl', '-o', {str(out)!r}]\n"
        "try:\n    runpy.run_module('fichekit', run_name='__main__')\nexcept SystemExit as exc:\n    assert not exc.code\n"
        "print(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\n"
    )
    done = subprocess.run([sys.executable, "-c", measure], capture_output=True, text=True, check=True)
    peak_mb = int(done.stdout.split()[-1]) / 1024
    assert peak_mb < 100, f"peak memory {peak_mb:.0f} MB"
    with out.open(encoding="utf-8") as records:
        assert sum(1 for _ in records) == 3 * (big.stat().st_size // len((sheet * 100).encode("utf-8"))) * 100


def test_no_progress_bar_when_piped(tmp_path: Path) -> None:
    result = runner.invoke(app, ["convert", str(SAMPLE), str(SAMPLES_DIR / "bretagne_pdf.txt"), "-o", str(tmp_path / "f.jsonl")])
    assert result.exit_code == 0
    assert "━" not in result.stderr and "fichiers ·" not in result.stderr
    assert result.stderr.endswith("6 fiches → " + str(tmp_path / "f.jsonl") + "\n")


def test_convert_reads_each_input_once_to_decide_its_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inputs opened up front (all errors reported before writing) are not opened again to parse."""
    import fichekit.api
    import fichekit.sources

    calls: list[str] = []
    real_open = fichekit.sources.open_source

    def counting_open(name: str, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(name)
        return real_open(name, **kwargs)

    monkeypatch.setattr(fichekit.api, "open_source", counting_open)
    import fichekit.convert

    monkeypatch.setattr(fichekit.convert, "open_source", counting_open)
    result = runner.invoke(app, ["convert", str(SAMPLE), str(SAMPLES_DIR / "bretagne_pdf.txt"), "--to", "jsonl"])
    assert result.exit_code == 0
    assert calls == [str(SAMPLE), str(SAMPLES_DIR / "bretagne_pdf.txt")]
