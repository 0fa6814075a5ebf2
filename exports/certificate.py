"""The certificate of appointment (聘书) as .docx: one A4 page to print and stamp.

Notice § 三 (一) 1 and § 四 (四): the bureau issues every expert a
certificate in its own name for a five-year term. The page carries the
title, the certificate number, the sentence of appointment with the
professional group, the term, and at the bottom right the bureau's name and
the date, with room around them for the seal. Dates are printed as given:
the term's end (start + 5 years − 1 day) is the domain's to compute.

Every line has an exact height and the body's length is bounded by the
inputs (a name of at most `parsers.MAX_NAME` characters takes three lines
with the sentence around it), so the page never runs onto a second; a
double rule frames it.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from exports import word
from exports.names import certificate_filename
from exports.registry_rows import Certificate
from exports.sanitize import clean
from exports.table import BUREAU, format_cn_date

__all__ = ["CERTIFICATE_TITLE", "certificate_docx", "certificate_filename"]

CERTIFICATE_TITLE = "聘　书"
NUMBER = "证书编号：{number}"
APPOINTMENT = "兹聘请　{name}　同志为重庆市工伤预防专家库专家（{group}）。"
TERM = "聘期：{start}至{end}。"

TITLE_SIZE = Pt(48)
BODY_SIZE = Pt(16)  # 三号
BODY_LINE = Pt(38)
NUMBER_SIZE = Pt(12)
MARGINS = {"left": Cm(3.0), "right": Cm(3.0), "top": Cm(3.0), "bottom": Cm(2.5)}
SIGN_OFF_WIDTH = Cm(9.0)
SEAL_ROOM = Pt(170)
"""Space above the bureau's name: the seal (4.2 cm across) sits over the name
and date and needs clear paper above them."""
BORDER_INSET = 24
"""Points between the page's edge and the frame."""


def certificate_docx(cert: Certificate, *, now: datetime | None = None) -> bytes:
    """The certificate; `now` goes in the file's properties (default: the current time)."""
    doc = Document()
    word.page_setup(doc, MARGINS)
    word.set_fonts(doc, BODY_SIZE, BODY_LINE)
    word.properties(doc, "聘书 " + clean(cert.number), now or datetime.now(UTC))
    _frame(doc)

    number = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.line(number, Pt(20))
    word.run(number, NUMBER.format(number=clean(cert.number)), size=NUMBER_SIZE)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.line(title, Pt(72), before=Pt(84), after=Pt(64))
    word.run(title, CERTIFICATE_TITLE, font=word.MARK_FONT, size=TITLE_SIZE)

    for text in (
        APPOINTMENT.format(name=clean(cert.name), group=clean(cert.group)),
        TERM.format(start=format_cn_date(cert.term_start), end=format_cn_date(cert.term_end)),
    ):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
        word.line(paragraph, BODY_LINE)
        word.run(paragraph, text, size=BODY_SIZE)

    word.sign_off(
        doc,
        (BUREAU, format_cn_date(cert.issued_on)),
        size=BODY_SIZE,
        width=SIGN_OFF_WIDTH,
        before=SEAL_ROOM,
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _frame(doc) -> None:
    """A double rule around the page (w:pgBorders), measured from the page's edge."""
    sect_pr = doc.sections[0]._sectPr
    borders = sect_pr.makeelement(qn("w:pgBorders"), {qn("w:offsetFrom"): "page"})
    for side in ("top", "left", "bottom", "right"):
        borders.append(
            borders.makeelement(
                qn(f"w:{side}"),
                {
                    qn("w:val"): "double",
                    qn("w:sz"): "12",
                    qn("w:space"): str(BORDER_INSET),
                    qn("w:color"): "auto",
                },
            )
        )
    # CT_SectPr: pgBorders follows pgMar (and paperSrc) and precedes lnNumType, pgNumType, cols, ….
    anchor = sect_pr.find(qn("w:paperSrc"))
    if anchor is None:
        anchor = sect_pr.find(qn("w:pgMar"))
    anchor.addnext(borders)
