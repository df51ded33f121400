"""Outputs never clobber: devices, FIFOs, links, stdout, signals, --split sets, long names, full disks."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES_DIR, run_in_terminal, runner

from fichekit.cli import app
from fichekit.model import Fiche, Structure
from fichekit.output import MANIFEST_NAME, MAX_NAME_BYTES, split_names

NORMANDIE = SAMPLES_DIR / "normandie_ateliers.txt"
OCCITANIE = SAMPLES_DIR / "occitanie_restitution.txt"


def _fichekit(*args: str | bytes | Path, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """The real command in a child process: what a shell or a pipeline sees."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "fichekit", *map(str, args)], stderr=subprocess.PIPE, **kwargs)  # type: ignore[call-overload]


def _device(path: Path, minor: int) -> Path:
    """A copy of /dev/null (minor 3) or /dev/full (minor 7) inside the test folder: the real ones are never risked."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (PermissionError, AttributeError, OSError) as exc:
        pytest.skip(f"cannot create a device node here ({exc})")
    return path


def _no_temporary_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


# --- -o on what is not a regular file ---------------------------------------------------------


def test_output_into_a_character_device_writes_into_it(tmp_path: Path) -> None:
    null = _device(tmp_path / "null", 3)
    result = runner.invoke(app, ["convert", str(NORMANDIE), "--to", "json", "-o", str(null)])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(null.lstat().st_mode), "the device was replaced by a regular file"
    assert _no_temporary_files(tmp_path)


def test_output_into_a_full_device_fails_in_one_french_line(tmp_path: Path) -> None:
    full = _device(tmp_path / "full", 7)
    result = runner.invoke(app, ["convert", str(NORMANDIE), "--to", "json", "-o", str(full)])
    assert result.exit_code == 1
    assert result.stderr == f"erreur : {full}: plus de place sur le disque\n"
    assert stat.S_ISCHR(full.lstat().st_mode)


def test_output_into_a_fifo_feeds_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = runner.invoke(app, ["convert", str(NORMANDIE), "--to", "jsonl", "-o", str(fifo)])
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced by a regular file"
    reader.join(timeout=60)
    assert received[0].count(b"\n") == 3
    assert _no_temporary_files(tmp_path)


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    """Decision: the file a link points to is replaced atomically; the link, its mode and owner stay."""
    real = tmp_path / "partage" / "fiches.json"
    real.parent.mkdir()
    real.write_text("ancien", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "fiches.json"
    link.symlink_to(real)
    result = runner.invoke(app, ["convert", str(NORMANDIE), "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == real
    assert len(json.loads(real.read_text(encoding="utf-8"))) == 3
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert _no_temporary_files(tmp_path) and _no_temporary_files(real.parent)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd")
def test_a_symlink_to_the_standard_output_writes_to_it(tmp_path: Path) -> None:
    link = tmp_path / "sortie.json"
    link.symlink_to("/proc/self/fd/1")
    done = _fichekit("convert", NORMANDIE, "-o", link)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 3
    assert link.is_symlink(), "the link became a regular file"


def test_a_hard_linked_output_keeps_its_links(tmp_path: Path) -> None:
    """Decision: with other hard links, the complete new content is copied in place, so every name sees it."""
    target = tmp_path / "fiches.json"
    target.write_text("ancien", encoding="utf-8")
    other = tmp_path / "copie-de-sauvegarde.json"
    os.link(target, other)
    result = runner.invoke(app, ["convert", str(NORMANDIE), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_nlink == 2 and target.samefile(other)
    assert len(json.loads(other.read_text(encoding="utf-8"))) == 3


def test_a_hard_linked_output_is_untouched_when_the_conversion_fails(tmp_path: Path) -> None:
    target = tmp_path / "fiches.json"
    target.write_text("ancien", encoding="utf-8")
    os.link(target, tmp_path / "lien.json")
    bad = tmp_path / "vide.txt"
    bad.write_text("rien ici\n", encoding="utf-8")
    result = runner.invoke(app, ["convert", str(bad), "-o", str(target)])
    assert result.exit_code == 1
    assert target.read_text(encoding="utf-8") == "ancien"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file to another owner")
def test_an_existing_output_keeps_its_owner_and_mode(tmp_path: Path) -> None:
    target = tmp_path / "fiches.csv"
    target.write_text("ancien", encoding="utf-8")
    os.chown(target, 4321, 4322)
    target.chmod(0o604)
    result = runner.invoke(app, ["convert", str(NORMANDIE), "-o", str(target)])
    assert result.exit_code == 0, result.output
    info = target.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4321, 4322, 0o604)


# --- -o - ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["parse"], ["convert", "--to", "json"]], ids=["parse", "convert"])
def test_dash_output_is_the_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [*command, str(NORMANDIE), "-o", "-"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 3
    assert not (tmp_path / "-").exists()


def test_dash_output_sends_a_word_file_down_a_pipe(tmp_path: Path) -> None:
    done = _fichekit("convert", NORMANDIE, "--to", "docx", "-o", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "-").exists()
    target = tmp_path / "recueil.docx"
    target.write_bytes(done.stdout)
    import docx

    assert any(p.text == "Épicerie solidaire La Passerelle (14)" for p in docx.Document(str(target)).paragraphs)


def test_dash_output_refuses_a_word_file_on_a_terminal(tmp_path: Path) -> None:
    code, screen = run_in_terminal(["convert", str(NORMANDIE), "--to", "docx", "-o", "-"])
    assert code == 2
    assert "ne s'affiche pas dans un terminal" in screen
    assert "PK" not in screen


# --- SIGTERM and SIGHUP -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated export large enough that its conversion is still running when the signal comes."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import write_export
    finally:
        sys.path.pop(0)
    path = tmp_path_factory.mktemp("big") / "grand-export.txt"
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        write_export(out, 20000)
    return path


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)], ids=["SIGTERM", "SIGHUP"])
def test_a_stop_signal_mid_write_leaves_the_previous_output(tmp_path: Path, big_export: Path, signum: int, code: int) -> None:
    target = tmp_path / "fiches.json"
    target.write_text("ancien", encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, "-m", "fichekit", "convert", str(big_export), "-o", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Wait until the temporary file is being written, then stop the command.
    while child.poll() is None and _no_temporary_files(tmp_path):
        time.sleep(0.005)  # polling, not timing: leave the CPU to the child
    assert child.poll() is None, "the conversion ended before the signal could be sent"
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == code, stderr
    assert b"Traceback" not in stderr
    assert "Interrompu : aucun fichier partiel n'a été laissé." in stderr.decode("utf-8")
    assert target.read_text(encoding="utf-8") == "ancien"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fiches.json"]


_SIGNAL_INSIDE_PYDANTIC = """
import os, signal, sys
from pydantic import PlainSerializer, TypeAdapter
from typing import Annotated
from fichekit import cli
from fichekit.output import atomic_output

def stop_here(value):
    os.kill(os.getpid(), signal.{name})  # delivered while pydantic's Rust serialiser calls back
    return value

def convert_one_record(prog_name):
    with atomic_output(sys.argv[1]) as out:
        out.write(b"{{")
        out.write(TypeAdapter(Annotated[str, PlainSerializer(stop_here)]).dump_json("texte"))

cli.app = convert_one_record
cli.main()
"""


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_stop_signal_wrapped_by_a_c_extension_is_still_a_clean_stop(tmp_path: Path, name: str, code: int) -> None:
    """pydantic turns an exception raised in its callbacks into PydanticSerializationError: still a stop."""
    target = tmp_path / "fiches.json"
    target.write_text("ancien", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _SIGNAL_INSIDE_PYDANTIC.format(name=name), str(target)], capture_output=True, text=True
    )
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    assert "Interrompu : aucun fichier partiel n'a été laissé." in done.stderr
    assert target.read_text(encoding="utf-8") == "ancien"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fiches.json"]


# --- --split ------------------------------------------------------------------------------------


def _split(folder: Path, *extra: str, source: Path = OCCITANIE, fmt: str = "md") -> object:
    return runner.invoke(app, ["convert", str(source), "--to", fmt, "--split", str(folder), *extra])


def _written(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_split_runs_again_over_its_own_files(tmp_path: Path) -> None:
    assert _split(tmp_path).exit_code == 0
    first = {name: (tmp_path / name).read_bytes() for name in _written(tmp_path)}
    result = _split(tmp_path)
    assert result.exit_code == 0, result.output
    assert {name: (tmp_path / name).read_bytes() for name in _written(tmp_path)} == first
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(manifest["fichiers"]) == sorted(first)


def test_split_refuses_a_file_it_did_not_write(tmp_path: Path) -> None:
    foreign = tmp_path / "ccas-de-loderac-34.md"
    foreign.write_text("mes notes", encoding="utf-8")
    result = _split(tmp_path)
    assert result.exit_code == 1
    assert "ccas-de-loderac-34.md existe déjà et n'a pas été écrit par fichekit" in result.stderr
    assert "--force" in result.stderr
    assert _written(tmp_path) == ["ccas-de-loderac-34.md"] and foreign.read_text(encoding="utf-8") == "mes notes"


def test_split_refuses_a_file_edited_since_it_wrote_it(tmp_path: Path) -> None:
    assert _split(tmp_path).exit_code == 0
    edited = tmp_path / "ccas-de-loderac-34.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nune correction à la main\n", encoding="utf-8")
    result = _split(tmp_path)
    assert result.exit_code == 1
    assert "ou a été modifié depuis" in result.stderr
    assert edited.read_text(encoding="utf-8").endswith("une correction à la main\n")


def test_split_force_overwrites(tmp_path: Path) -> None:
    (tmp_path / "ccas-de-loderac-34.md").write_text("mes notes", encoding="utf-8")
    result = _split(tmp_path, "--force")
    assert result.exit_code == 0, result.output
    assert "CCAS de Lodérac" in (tmp_path / "ccas-de-loderac-34.md").read_text(encoding="utf-8")


def test_split_never_replaces_a_folder_even_with_force(tmp_path: Path) -> None:
    (tmp_path / "ccas-de-loderac-34.md").mkdir()
    result = _split(tmp_path, "--force")
    assert result.exit_code == 1
    assert "ccas-de-loderac-34.md est un dossier : rien n'a été écrit" in result.stderr
    assert _written(tmp_path) == ["ccas-de-loderac-34.md"]


def test_split_refuses_a_folder_that_holds_an_input(tmp_path: Path) -> None:
    source = tmp_path / "export.txt"
    source.write_bytes(OCCITANIE.read_bytes())
    result = _split(tmp_path, "--force", source=source)
    assert result.exit_code == 1
    assert "l'entrée export.txt est dans ce dossier" in result.stderr
    assert _written(tmp_path) == ["export.txt"]


def test_split_failing_half_way_leaves_the_previous_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _split(tmp_path, fmt="json").exit_code == 0
    before = {name: (tmp_path / name).read_bytes() for name in _written(tmp_path)}
    from fichekit.writers.json import JsonWriter

    calls = 0
    write = JsonWriter.write

    def filling_the_disk(self: JsonWriter, fiches: object, out: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        write(self, fiches, out)  # type: ignore[arg-type]

    monkeypatch.setattr(JsonWriter, "write", filling_the_disk)
    result = _split(tmp_path, fmt="json")
    assert result.exit_code == 1
    assert result.stderr == f"erreur : {tmp_path}: plus de place sur le disque\n"
    assert {name: (tmp_path / name).read_bytes() for name in _written(tmp_path)} == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [MANIFEST_NAME]


def test_split_removes_its_own_files_the_new_set_no_longer_has(tmp_path: Path) -> None:
    assert _split(tmp_path).exit_code == 0
    assert _split(tmp_path, source=NORMANDIE).exit_code == 0
    assert _written(tmp_path) == sorted(split_names(__import__("fichekit").load(NORMANDIE), ".md"))


def test_split_reports_one_file_in_the_singular(tmp_path: Path) -> None:
    one = tmp_path / "une.txt"
    text = OCCITANIE.read_text(encoding="utf-8")
    one.write_text(text[: text.index("Apports du groupe")] + "Apports du groupe : rien\n", encoding="utf-8")
    out = tmp_path / "sortie"
    out.mkdir()
    result = runner.invoke(app, ["convert", str(one), "--to", "md", "--split", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(f"1 fiche → 1 fichier dans {out}\n")


# --- long names ---------------------------------------------------------------------------------


def test_an_output_name_of_250_characters_works(tmp_path: Path) -> None:
    target = tmp_path / ("é" * 2 + "f" * 243 + ".json")  # 250 characters, 252 bytes
    result = runner.invoke(app, ["convert", str(NORMANDIE), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 3


def test_an_output_name_over_the_limit_is_a_french_error(tmp_path: Path) -> None:
    target = tmp_path / ("f" * 300 + ".json")
    result = runner.invoke(app, ["convert", str(NORMANDIE), "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == f"erreur : {target}: nom de fichier trop long\n"


def test_split_names_fit_the_byte_limit_whatever_the_suffix() -> None:
    fiches = [Fiche(structures=[Structure(nom="x" * 300, departements=[])]) for _ in range(12)]
    suffix = "." + "s" * 200
    names = split_names(fiches, suffix)
    assert len(set(names)) == 12
    assert all(len(name.encode("utf-8")) <= MAX_NAME_BYTES for name in names)


# --- full disks and closed pipes ----------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_standard_output_on_a_full_disk_is_one_french_line() -> None:
    with open("/dev/full", "wb") as full:
        done = _fichekit("convert", NORMANDIE, "--to", "json", stdout=full)
    assert done.returncode == 1
    assert done.stderr.decode("utf-8") == "erreur : écriture impossible sur la sortie standard : plus de place sur le disque\n"


def test_output_file_on_a_full_disk_is_one_french_line(tmp_path: Path) -> None:
    full = _device(tmp_path / "full", 7)
    done = _fichekit("parse", NORMANDIE, "-o", full)
    assert done.returncode == 1
    assert done.stderr.decode("utf-8") == f"erreur : {full}: plus de place sur le disque\n"


def test_a_pipe_closed_early_ends_quietly(big_export: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "fichekit", "convert", str(big_export), "--to", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.readline()  # as `| head -1`
    child.stdout.close()
    stderr = child.stderr.read()
    child.stderr.close()
    child.wait(timeout=120)
    assert child.returncode == 1
    assert stderr == b""


_SIGNAL_WHILE_THE_TEMPORARY_FILE_IS_MADE = """
import os, signal, sys, tempfile
from fichekit import cli

real_mkstemp = tempfile.mkstemp

def mkstemp_then_stop(*args, **kwargs):
    made = real_mkstemp(*args, **kwargs)
    os.kill(os.getpid(), signal.{name})  # the file exists, atomic_output has not got its name yet
    return made

tempfile.mkstemp = mkstemp_then_stop
sys.argv = ["fichekit", "convert", sys.argv[1], "-o", sys.argv[2]]
cli.main()
"""


@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGHUP", 129)])
def test_a_stop_signal_while_the_temporary_file_is_made_leaves_nothing(tmp_path: Path, name: str, code: int) -> None:
    target = tmp_path / "fiches.json"
    target.write_text("ancien", encoding="utf-8")
    script = _SIGNAL_WHILE_THE_TEMPORARY_FILE_IS_MADE.format(name=name)
    done = subprocess.run([sys.executable, "-c", script, str(NORMANDIE), str(target)], capture_output=True, text=True)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert target.read_text(encoding="utf-8") == "ancien"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fiches.json"]
