"""E-mails saved as files (``.eml``: Thunderbird « Enregistrer sous », Apple Mail, Gmail
« Télécharger le message », Outlook on the web): the sheets of the message's text and
of its attachments.

The message is parsed with the standard library's :mod:`email` package (MIME parts,
quoted-printable and base64, every charset). What holds sheets:

- the text of the message: its ``text/plain`` part, else its ``text/html`` part
  reduced to lines (paragraphs, line breaks and list items as the reader of the
  mail sees them), read by the raw export's grammar, quoting (« > ») and forwarded
  headers included (see :mod:`fichekit.grammar.layout`), named
  ``message.eml › texte du message`` so that its line numbers are read as the
  lines of that text;
- every attachment fichekit reads (Word, PDF, text, Markdown, JSON), by its own
  reader, named ``message.eml › fiche.docx`` in records and messages;
- a message forwarded as an attachment (``message/rfc822``), read the same way.

A text with no sheet (« Bonjour, voici la fiche de l'atelier ») is no error when an
attachment holds sheets; a message with none anywhere is. An attachment fichekit
does not read is named in a finding, never skipped silently; one it cannot read (a
scanned PDF) is an FK001 error finding, and the other attachments are still read.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
from collections.abc import Iterator
from email.message import EmailMessage, Message, MIMEPart

from ..errors import FichekitError, ParseError
from ..findings import Code, Finding, make_finding
from ..formats import Format, format_for_suffix, readable_kinds
from ..grammar.layout import is_mail_header
from ..records import FicheRecord
from ..sources import Source, source_from_bytes
from . import get_reader, merge_layout_findings
from .html import html_lines

__all__ = ["BODY", "read", "unflow", "without_signature"]

BODY = "texte du message"
"""How the message's own text is named in records and messages (``atelier.eml › texte du message:12``)."""
_MAX_DEPTH = 5
"""Messages forwarded as attachments inside each other, at most."""


def read(source: Source, findings: list[Finding]) -> Iterator[FicheRecord]:
    """The sheets of a saved e-mail: its text's, then its attachments', in the message's order."""
    message = email.message_from_bytes(source.read_bytes(), policy=email.policy.default)
    count = 0
    for record in _message_records(message, source.name, findings, 0):
        count += 1
        yield record
    if count == 0:
        raise ParseError("aucune fiche dans ce courriel, ni dans son texte ni dans ses pièces jointes", path=source.name)


def _message_records(message: EmailMessage, name: str, findings: list[Finding], depth: int) -> Iterator[FicheRecord]:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        text = body.get_content()
        if body.get_content_subtype() == "html":
            text = "\n".join(html_lines(text))
        elif _param(body, "format") == "flowed":
            text = "\n".join(unflow(text.splitlines(), delsp=_param(body, "delsp") == "yes"))
        kept, signature = without_signature(text.splitlines())
        text = "\n".join(kept)
        local: list[Finding] = []
        if signature:
            count = len(signature)
            local.append(
                make_finding(
                    Code.LAYOUT_REMOVED,
                    f"{name} › {BODY}",
                    f"signature du message laissée de côté ({count} ligne{'s' if count > 1 else ''} sous « -- », "
                    f"la première : « {signature[0][:60]} »)",
                )
            )
        try:
            # Named apart: its line numbers are those of the message's text, not of the .eml file.
            yield from _read(source_from_bytes(text.encode("utf-8"), f"{name} › {BODY}", Format.TXT, "utf-8"), local)
        except ParseError:
            pass  # a covering note without any sheet: the attachments may hold them
        else:
            findings.extend(merge_layout_findings(local))  # the signature and the text's own layout: one FK107
    for part in message.iter_attachments():
        yield from _attachment_records(part, name, findings, depth)


def _param(part: MIMEPart, name: str) -> str:
    """A Content-Type parameter (``format=flowed``), lower-cased; empty when absent."""
    value = part.get_param(name, "")
    return (value if isinstance(value, str) else str(email.utils.collapse_rfc2231_value(value))).lower()


def _attachment_records(part: EmailMessage, name: str, findings: list[Finding], depth: int) -> Iterator[FicheRecord]:
    filename = part.get_filename() or ""
    if part.get_content_type() == "message/rfc822" and depth < _MAX_DEPTH:
        inner = part.get_content()
        if isinstance(inner, Message):
            label = f"{name} › {filename or 'message transféré'}"
            yield from _message_records(inner, label, findings, depth + 1)  # type: ignore[arg-type]
            return
    fmt = format_for_suffix(filename) if filename else None
    if fmt is None or fmt.spec.reader is None or fmt is Format.EML:
        if filename:
            findings.append(
                make_finding(
                    Code.LAYOUT_REMOVED,
                    name,
                    f"pièce jointe « {filename} » non lue (fichekit lit en pièce jointe les fichiers {readable_kinds(without=(Format.EML,))})",
                )
            )
        return
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    try:
        yield from _read(source_from_bytes(data, f"{name} › {filename}", fmt), findings)
    except FichekitError as exc:
        # One attachment that cannot be read (a scanned PDF…) does not hide the others.
        findings.append(make_finding(Code.UNREADABLE, name, f"pièce jointe « {filename} » illisible : {exc.message}"))


def _read(source: Source, findings: list[Finding]) -> Iterator[FicheRecord]:
    return get_reader(source.format)(source, findings)


def without_signature(lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines of a message's text without its signature, and the signature's non-blank lines.

    The signature starts at the line « -- » (dash, dash, space: RFC 3676) and runs until a
    quoted or forwarded message below it, which is kept.
    """
    kept: list[str] = []
    removed: list[str] = []
    in_signature = False
    for line in lines:
        if line == "-- ":
            in_signature = True
            continue
        if in_signature and (line.startswith(">") or is_mail_header(line.strip())):
            in_signature = False  # a quoted or forwarded message below the signature
        if in_signature:
            if line.strip():
                removed.append(line.strip())
        else:
            kept.append(line)
    return kept, removed


# -- format=flowed (RFC 3676: Thunderbird's default) ---------------------------------------------


def unflow(lines: list[str], *, delsp: bool = False) -> list[str]:
    """Text sent as ``format=flowed`` with its paragraphs back on one line each.

    The sender wrapped long lines at about 72 characters, ending each wrapped
    one with a space (a *soft* break); a line without that space ends its
    paragraph. Quote marks (« > ») start every line of a quoted paragraph;
    a space added before a line that starts with « > », « From » or a space is
    removed; the signature line « -- » is never joined. With ``delsp=yes`` the
    space of a soft break is the sender's, not the text's, and is dropped.
    """
    out: list[str] = []
    pending: str | None = None
    pending_depth = 0
    for raw in lines:
        depth = len(raw) - len(raw.lstrip(">"))
        line = raw[depth:]
        if line.startswith(" "):
            line = line[1:]  # space-stuffing
        if pending is not None and depth == pending_depth:
            line = pending + line
        elif pending is not None:
            out.append(">" * pending_depth + (" " if pending_depth else "") + pending)
        pending = None
        if line.endswith(" ") and line != "-- ":
            pending, pending_depth = (line[:-1] if delsp else line), depth
            continue
        out.append(">" * depth + (" " if depth else "") + line)
    if pending is not None:
        out.append(">" * pending_depth + (" " if pending_depth else "") + pending)
    return out
