"""Saved e-mails (.eml): the sheets of the message's text and of its attachments.

The messages are built with the standard library's ``email`` package the way mail
clients write them: multipart/mixed with a text part (quoted-printable, or
format=flowed quoting a reply) and attachments in base64, an HTML-only body
(webmail), a message forwarded as an attachment.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest

import fichekit
from fichekit.errors import InputError, ParseError
from fichekit.readers.html import html_lines

REALWORLD = Path(__file__).resolve().parent / "realworld"

SHEET = """Comment associer les habitants à la gouvernance ?
→ Avec Épicerie des Tilleuls (21)
Localisation : Dijon, quartier des Grésilles
Chiffres clés : 40 bénévoles
Résultats :
- Un comité des adhérents élu chaque année
- Des permanences tenues par des adhérents
"""


def message(body: str | None = None, html: str | None = None) -> EmailMessage:
    mail = EmailMessage(policy=SMTP)
    mail["From"] = "Anne Martin <anne@example.org>"
    mail["To"] = "reseau@example.org"
    mail["Subject"] = "Fiches de l'atelier"
    if body is not None:
        mail.set_content(body, subtype="plain", charset="utf-8", cte="quoted-printable")
    if html is not None:
        if body is None:
            mail.set_content(html, subtype="html", charset="utf-8")
        else:
            mail.add_alternative(html, subtype="html")
    return mail


def attach_docx(mail: EmailMessage, name: str = "a_bold_runs.docx") -> None:
    data = (REALWORLD / "docx" / name).read_bytes()
    mail.add_attachment(data, maintype="application", subtype="vnd.openxmlformats-officedocument.wordprocessingml.document", filename=name)


def save(tmp_path: Path, mail: EmailMessage, name: str = "fiches.eml") -> Path:
    path = tmp_path / name
    path.write_bytes(mail.as_bytes())
    return path


def test_the_sheets_of_the_text_then_of_the_attachments(tmp_path: Path) -> None:
    mail = message(f"Bonjour,\n\nVoici les fiches.\n\n{SHEET}")
    attach_docx(mail)
    mail.add_attachment(b"GIF89a", maintype="image", subtype="gif", filename="logo.gif")
    fiches = fichekit.load(save(tmp_path, mail))
    records = [(f.source.file if f.source else None, [s.nom for s in f.structures]) for f in fiches]
    assert records[0] == (f"{tmp_path / 'fiches.eml'} › texte du message", ["Épicerie des Tilleuls"])
    assert [name for name, _ in records[1:]] == [f"{tmp_path / 'fiches.eml'} › a_bold_runs.docx"] * 3
    first = fiches[0]
    assert [item.texte for item in first.resultats] == ["Un comité des adhérents élu chaque année", "Des permanences tenues par des adhérents"]
    assert [item.texte for item in first.hors_rubrique] == ["Bonjour,\nVoici les fiches."]  # kept, under no rubrique


def test_a_covering_note_without_sheets_is_no_error_when_an_attachment_holds_them(tmp_path: Path) -> None:
    mail = message("Bonjour,\n\nVoici la fiche de la ferme en pièce jointe.\n\nAnne\n")
    attach_docx(mail)
    assert len(fichekit.load(save(tmp_path, mail))) == 3


def test_a_reply_quoting_the_sheet_is_read_without_its_quote_marks(tmp_path: Path) -> None:
    quoted = "\n".join(f"> {line}" if line else ">" for line in SHEET.splitlines())
    mail = message(f"Merci Anne, je transmets.\n\nLe 12/03/2025 à 10:00, Anne Martin a écrit :\n{quoted}\n")
    [fiche] = fichekit.load(save(tmp_path, mail))
    assert [item.texte for item in fiche.localisation] == ["Dijon, quartier des Grésilles"]
    assert [item.texte for item in fiche.chiffres_cles] == ["40 bénévoles"]


def test_an_html_only_body_is_read_as_its_reader_sees_it(tmp_path: Path) -> None:
    html = (
        "<html><body><p>Comment associer les habitants à la gouvernance ?</p>"
        "<p>→ Avec Épicerie des Tilleuls (21)</p><p><b>Localisation&nbsp;:</b> Dijon</p>"
        "<p><b>Résultats :</b></p><ul><li>Un comité élu</li><li>Des permanences</li></ul>"
        "<p><b>Etapes de mise en place :</b></p><ol><li>Diagnostic</li><li>Premier comité</li></ol></body></html>"
    )
    [fiche] = fichekit.load(save(tmp_path, message(html=html)))
    assert [item.texte for item in fiche.localisation] == ["Dijon"]
    assert [(item.type.value, item.texte) for item in fiche.resultats] == [("puce", "Un comité élu"), ("puce", "Des permanences")]
    assert [(item.type.value, item.texte) for item in fiche.etapes] == [("numero", "Diagnostic"), ("numero", "Premier comité")]


def test_a_message_forwarded_as_an_attachment_is_read_too(tmp_path: Path) -> None:
    inner = message(SHEET)
    outer = message("Je te transfère le message d'Anne.\n")
    outer.add_attachment(inner, filename="Fiches de l'atelier.eml")
    [fiche] = fichekit.load(save(tmp_path, outer))
    assert fiche.source is not None and fiche.source.file.endswith("› Fiches de l'atelier.eml › texte du message")
    assert [s.nom for s in fiche.structures] == ["Épicerie des Tilleuls"]


def test_a_message_without_any_sheet_is_an_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="aucune fiche dans ce courriel"):
        fichekit.load(save(tmp_path, message("Bonjour, à jeudi !\n")))


def test_an_outlook_msg_file_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "fiche.msg"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(InputError, match="message Outlook"):
        fichekit.load(path)


def test_html_lines_keep_paragraphs_breaks_lists_and_quotes() -> None:
    html = "<div>Bonjour<br>Anne</div><blockquote><p>Localisation : Dijon</p></blockquote><ul><li>a</li></ul><style>p{}</style>"
    assert html_lines(html) == ["Bonjour", "Anne", "> Localisation : Dijon", "- a"]


def test_a_format_flowed_message_has_its_wrapped_lines_joined(tmp_path: Path) -> None:
    # Thunderbird's default: lines wrapped at about 72 characters end with a space (RFC 3676).
    flowed = (
        "Comment associer les habitants à la gouvernance ?\n→ Avec Épicerie des Tilleuls (21)\n"
        "Localisation : Dijon\nRésultats :\n- Un comité des adhérents élu chaque année, qui choisit les \n"
        "Produits Locaux vendus à l'épicerie\n- Des permanences\n-- \nAnne\n"
    )
    mail = message()
    mail.set_content(flowed, subtype="plain", charset="utf-8", cte="quoted-printable", params={"format": "flowed"})
    [fiche] = fichekit.load(save(tmp_path, mail))
    assert [item.texte for item in fiche.resultats][:2] == [
        "Un comité des adhérents élu chaque année, qui choisit les Produits Locaux vendus à l'épicerie",
        "Des permanences",
    ]


def test_unflow_keeps_quote_depths_apart_and_drops_space_stuffing() -> None:
    from fichekit.readers.email import unflow

    lines = ["> Résultats : un comité élu, qui ", "> choisit les produits.", ">> Plus ancien ", ">> encore", "  From", "-- ", "Anne"]
    assert unflow(lines) == ["> Résultats : un comité élu, qui choisit les produits.", ">> Plus ancien encore", " From", "-- ", "Anne"]
    assert unflow(["deux mots ", "collés"], delsp=True) == ["deux motscollés"]


def test_the_signature_under_dash_dash_space_is_left_out_and_counted(tmp_path: Path) -> None:
    from fichekit.api import read_source
    from fichekit.findings import Code, Finding
    from fichekit.sources import open_source

    mail = message(f"{SHEET}\n-- \nAnne Martin\nCoordinatrice, Réseau fictif\n06 00 00 00 00\n")
    findings: list[Finding] = []
    source = open_source(str(save(tmp_path, mail)))
    try:
        [fiche] = list(read_source(source, findings))
    finally:
        source.close()
    assert [item.texte for item in fiche.resultats] == ["Un comité des adhérents élu chaque année", "Des permanences tenues par des adhérents"]
    assert [(f.code, f.message) for f in findings] == [
        (Code.LAYOUT_REMOVED, "signature du message laissée de côté (3 lignes sous « -- », la première : « Anne Martin »)")
    ]


def test_without_signature_keeps_a_forwarded_message_below_it() -> None:
    from fichekit.readers.email import without_signature

    lines = ["Voici.", "-- ", "Anne", "", "-------- Message transféré --------", "Localisation : Dijon"]
    assert without_signature(lines) == (["Voici.", "-------- Message transféré --------", "Localisation : Dijon"], ["Anne"])


def test_an_attachment_that_cannot_be_read_is_an_error_finding_and_the_others_are_read(tmp_path: Path) -> None:
    from fichekit.api import read_source
    from fichekit.findings import Code, Finding, Severity
    from fichekit.sources import open_source

    mail = message("Ci-joint.\n")
    scanned = (Path(__file__).resolve().parent / "fixtures" / "pdf" / "scan.pdf").read_bytes()
    mail.add_attachment(scanned, maintype="application", subtype="pdf", filename="scan.pdf")
    attach_docx(mail)
    findings: list[Finding] = []
    source = open_source(str(save(tmp_path, mail)))
    try:
        fiches = list(read_source(source, findings))
    finally:
        source.close()
    assert len(fiches) == 3
    [error] = [f for f in findings if f.code is Code.UNREADABLE]
    assert error.severity is Severity.ERROR and error.message.startswith("pièce jointe « scan.pdf » illisible : PDF sans texte")


def test_the_signature_and_the_texts_own_layout_make_one_layout_finding(tmp_path: Path) -> None:
    from fichekit.api import read_source
    from fichekit.findings import Code, Finding
    from fichekit.sources import open_source

    forwarded = f"-------- Message transféré --------\nDe : Anne <anne@example.org>\nObjet : Fiche\n\n{SHEET}"
    mail = message(f"Pour info.\n-- \nBruno\n\n{forwarded}")
    findings: list[Finding] = []
    source = open_source(str(save(tmp_path, mail)))
    try:
        list(read_source(source, findings))
    finally:
        source.close()
    [layout] = [f for f in findings if f.code is Code.LAYOUT_REMOVED]
    assert "signature du message" in layout.message and "en-têtes de courriel" in layout.message
