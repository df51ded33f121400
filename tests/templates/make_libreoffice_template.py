"""Make ``tests/templates/libreoffice.docx``: a Word template saved by LibreOffice Writer.

LibreOffice writes only the styles a document uses, under its own names: no
« Title », « List Bullet » nor « List Number » (its « Numbering 1 » is
saved as « List 3 »). The recueil writer must still work with such a file.
Needs LibreOffice (``soffice``); the committed file lets the tests run
without it::

    python tests/templates/make_libreoffice_template.py
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TARGET = Path(__file__).resolve().parent / "libreoffice.docx"

FODT = '''
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="1" style:class="text">
   <style:text-properties fo:color="#006633" fo:font-size="20pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="2" style:class="text">
   <style:text-properties fo:color="#006633" fo:font-size="16pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Heading_20_3" style:display-name="Heading 3" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="3" style:class="text">
   <style:text-properties fo:font-size="13pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Numbering_20_1" style:display-name="Numbering 1" style:family="paragraph" style:parent-style-name="List" style:class="list"/>
  <style:style style:name="Header" style:family="paragraph" style:class="extra"/>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1">
   <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="3cm" fo:margin-right="2cm"/>
   <style:header-style/>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p text:style-name="Header">Réseau des épiceries — modèle LibreOffice</text:p></style:header>
  </style:master-page>
 </office:master-styles>
 <office:body>
  <office:text>
   <text:h text:style-name="Heading_20_1" text:outline-level="1">Titre un</text:h>
   <text:h text:style-name="Heading_20_2" text:outline-level="2">Titre deux</text:h>
   <text:h text:style-name="Heading_20_3" text:outline-level="3">Titre trois</text:h>
   <text:p text:style-name="Numbering_20_1">Numéro</text:p>
   <text:p text:style-name="Text_20_body">Texte du modèle LibreOffice</text:p>
  </office:text>
 </office:body>
</office:document>
'''


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "libreoffice.fodt"
        source.write_text(FODT.strip() + "\n", encoding="utf-8")
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", work, str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        shutil.copyfile(Path(work) / "libreoffice.docx", TARGET)
    print(f"écrit : {TARGET}")


if __name__ == "__main__":
    main()
