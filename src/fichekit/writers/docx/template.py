"""A user's Word template (``--template``): checked before use, every problem a TemplateError.

The check trusts nothing: the size and the zip are bounded before anything
is decompressed, and XML parts carrying a DOCTYPE (entity tricks) are refused.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ...errors import TemplateError
from .ooxml import W

__all__ = ["MAX_TEMPLATE_BYTES", "clear_body", "open_template"]

MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
"""Cap on a template's total uncompressed size (and on its file size): beyond, it is refused."""
_MAX_TEMPLATE_MEMBERS = 5_000


def _check_template_zip(path: Path, data: bytes) -> bool:
    """Validate the zip without trusting it; True if it is a .dotx (template content type).

    Each member is decompressed in small chunks, so a lying size or a zip bomb
    stops at the declared size (CRC error) or at the cap: memory and time stay
    bounded. XML parts with a DOCTYPE are refused: Word never writes one, and
    entity declarations are how XML bombs and external-entity reads work.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise TemplateError("le modèle n'est pas un fichier Word .docx (archive zip illisible)", path=path) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > _MAX_TEMPLATE_MEMBERS:
            raise TemplateError(f"le modèle contient trop de fichiers internes ({len(infos)})", path=path)
        declared = sum(info.file_size for info in infos)
        if declared > MAX_TEMPLATE_BYTES:
            raise TemplateError(
                f"le modèle est trop gros une fois décompressé ({declared // 1_048_576} Mo, "
                f"maximum {MAX_TEMPLATE_BYTES // 1_048_576} Mo) : archive suspecte (bombe zip ?)",
                path=path,
            )
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise TemplateError("le modèle n'est pas un fichier Word .docx (document principal absent)", path=path)
        markers = [b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be")]
        content_types = b""
        try:
            for info in infos:
                is_xml = info.filename.endswith((".xml", ".rels"))
                tail = b""
                with archive.open(info) as member:
                    while chunk := member.read(65_536):
                        if is_xml and any(marker in tail + chunk for marker in markers):
                            raise TemplateError(
                                f"le modèle contient une déclaration DOCTYPE ({info.filename}) : "
                                "refusé par sécurité (entités XML)",
                                path=path,
                            )
                        tail = chunk[-20:]
                        if info.filename == "[Content_Types].xml":
                            content_types += chunk
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
            raise TemplateError(f"le modèle est une archive corrompue ({exc})", path=path) from None
    if b"ms-word.document.macroEnabled" in content_types or b"ms-word.template.macroEnabledTemplate" in content_types:
        raise TemplateError("les modèles avec macros (.docm, .dotm) ne sont pas pris en charge : enregistrez-le en .docx", path=path)
    return b"wordprocessingml.template.main+xml" in content_types


def _as_document_package(data: bytes) -> bytes:
    """A .dotx repackaged as a .docx: only its main part's content type differs."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(
                    b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml"
                )
            target.writestr(info, blob)
    return out.getvalue()


def open_template(path: Path) -> Document:
    """Open a user's template safely, or raise TemplateError with a French message."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise TemplateError("le modèle n'est pas un fichier", path=path)
        if size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"le modèle est trop gros (plus de {MAX_TEMPLATE_BYTES // 1_048_576} Mo)", path=path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise TemplateError("modèle introuvable", path=path) from None
    except OSError as exc:
        raise TemplateError(f"modèle illisible ({exc.strerror or exc})", path=path) from None
    if _check_template_zip(path, data):
        data = _as_document_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError:  # python-docx: the main part is not a Word document's
        raise TemplateError("le modèle n'est pas un document Word (type de contenu inattendu)", path=path) from None
    except etree.LxmlError as exc:
        detail = str(exc).splitlines()[0][:160]
        raise TemplateError(f"le modèle n'est pas un document Word utilisable (XML invalide : {detail})", path=path) from None
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile) as exc:
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise TemplateError(f"le modèle n'est pas un document Word utilisable ({detail})", path=path) from None
    if document.element.tag != f"{W}document" or document.element.find(f"{W}body") is None:
        raise TemplateError("le modèle n'est pas un document Word utilisable (corps du document absent)", path=path)
    return document


def clear_body(document: Document) -> etree._Element | None:
    """Remove the body's content; return its final sectPr (page setup, header and footer), detached."""
    body = document.element.body
    last = body[-1] if len(body) else None
    section = last if last is not None and last.tag == f"{W}sectPr" else None
    for child in list(body):
        body.remove(child)
    return section


