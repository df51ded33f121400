"""The one exception hierarchy of fichekit.

Every error a user can cause (bad file, bad template, unwritable output) is a
``FichekitError``; its ``str()`` is the one-line French message the CLI prints,
in ``path:line: message`` form when a place is known.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import TYPE_CHECKING

from .plaintext import display_name

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "FichekitError",
    "InputError",
    "OutputError",
    "ParseError",
    "TemplateError",
    "french_os_error",
    "french_validation_error",
]


class FichekitError(Exception):
    """Base class: a French message, optionally tied to a file and a line."""

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        # A name that is not UTF-8 is shown with U+FFFD: messages must always print.
        self.path = display_name(str(path)) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            from .findings import location_label  # imported only when a place is shown

            where = f"{where}:{location_label(where, self.line)}"
        return f"{where}: {self.message}" if where else self.message


class InputError(FichekitError):
    """An input cannot be read or decoded (missing, directory, binary, encoding)."""


class ParseError(FichekitError):
    """An input was read but holds no sheet fichekit can recognise."""


class OutputError(FichekitError):
    """An output cannot be written (missing directory, permissions, same as input)."""


class TemplateError(FichekitError):
    """A Word template is unusable (not a .docx, corrupt, missing a style)."""


_OS_ERRORS: dict[int, str] = {
    code: message
    for name, message in (
        ("ENOENT", "fichier ou dossier introuvable"),
        ("EISDIR", "c'est un dossier, pas un fichier"),
        ("ENOTDIR", "un élément du chemin n'est pas un dossier"),
        ("ENOSPC", "plus de place sur le disque"),
        ("EDQUOT", "quota de disque dépassé"),
        ("EFBIG", "fichier trop gros pour ce disque"),
        ("EROFS", "disque en lecture seule"),
        ("ENAMETOOLONG", "nom de fichier trop long"),
        ("ELOOP", "trop de liens symboliques (une boucle ?)"),
        ("EMFILE", "trop de fichiers ouverts"),
        ("ENFILE", "trop de fichiers ouverts"),
        ("EIO", "erreur d'entrée-sortie (disque ou support défaillant)"),
        ("EPIPE", "la sortie a été fermée avant la fin"),
        ("EBUSY", "fichier ou périphérique occupé"),
        ("ETXTBSY", "fichier occupé"),
        ("EEXIST", "le fichier existe déjà"),
        ("ENOTEMPTY", "le dossier n'est pas vide"),
        ("ENXIO", "périphérique absent"),
        ("ENODEV", "périphérique absent"),
        ("EXDEV", "déplacement impossible d'un disque à un autre"),
        ("EINVAL", "opération impossible sur ce fichier"),
        ("ENOMEM", "mémoire insuffisante"),
        ("EAGAIN", "ressource momentanément indisponible, réessayez"),
        ("ETIMEDOUT", "délai dépassé (disque réseau ?)"),
        ("ESTALE", "fichier réseau devenu inaccessible"),
        ("ECONNRESET", "connexion interrompue (disque réseau ?)"),
    )
    if (code := getattr(errno, name, None)) is not None
}


def french_os_error(exc: OSError, action: str = "accès") -> str:
    """The French words for what the system refused, never the system's English ``strerror``.

    The one translation of ``OSError`` used by every message; ``action``
    (``lecture``, ``écriture``) names what permissions forbade. An errno not in
    the table is named by its symbol (``erreur du système ENOLINK``) so the
    message stays French and searchable.
    """
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{action} interdit{'e' if action.endswith('ure') else ''} (permissions)"
    if exc.errno in _OS_ERRORS:
        return _OS_ERRORS[exc.errno]
    symbol = errno.errorcode.get(exc.errno, str(exc.errno)) if exc.errno is not None else type(exc).__name__
    return f"erreur du système {symbol}"


def french_validation_error(exc: ValidationError) -> str:
    """``champ « theme_number » invalide (…)``: the first field pydantic refused, for a :class:`ParseError`.

    One wording for every reader that validates records (JSON, the Markdown
    metadata comment); a record refused as a whole is named ``fiche``.
    """
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "fiche"
    return f"champ « {field} » invalide ({first['msg']})"
