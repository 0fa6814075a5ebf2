"""The written notice (书面函告) of 不予续聘 or 解聘 as .docx, on one A4 page.

Notice § 四 (五): the bureau tells an expert who is not renewed, and their
unit, in writing; (一) and (六): dismissals are decided by the joint meeting
and carried out by the bureau. The letter is addressed to the expert and
copied (抄送) to the unit, and says the decision, the reason, the bureau's
name and the date, with room for the seal.

The reason is free text (up to `parsers.MAX_REASON` characters, 500), so
the body's size is chosen here: the largest of a few sizes at which the
estimated height fits the page, lines exactly as high as planned.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt

from exports import word
from exports.names import letter_filename
from exports.registry_rows import Letter, LetterKind
from exports.sanitize import clean
from exports.table import BUREAU, format_cn_date, wrapped_lines

__all__ = ["DECISIONS", "letter_docx", "letter_filename", "letter_title"]

DECISIONS = {LetterKind.NOT_RENEWED: "不予续聘", LetterKind.DISMISSED: "解聘"}
TITLE = "关于{decision}重庆市工伤预防专家库专家的函"
SALUTATION = "{name}同志："
APPOINTED = (
    "您自{start}起受聘为重庆市工伤预防专家库专家（{group}），证书编号{number}，聘期至{end}。"
)
NOT_RENEWED = "聘用期满，经市人力社保局考评并报市工伤预防联席会议研究，决定对您不予续聘。"
NOT_RENEWED_AFTER = (
    "聘期届满后，您不再担任重庆市工伤预防专家库专家，原聘书同时失效。"
    "感谢您在聘期内对我市工伤预防工作的支持。"
)
DISMISSED = "经市工伤预防联席会议研究，决定自{effective}起解聘您的重庆市工伤预防专家库专家职务，原聘书同时作废。"
REASON = {LetterKind.NOT_RENEWED: "理由：{reason}", LetterKind.DISMISSED: "解聘理由：{reason}"}
CLOSING = "特此函告。"
COPY_TO = "抄送：{unit}。"

MARGINS = {"left": Cm(2.8), "right": Cm(2.6), "top": Cm(3.0), "bottom": Cm(2.5)}
WIDTH = Cm(21.0) - MARGINS["left"] - MARGINS["right"]
HEIGHT = Cm(29.7) - MARGINS["top"] - MARGINS["bottom"]
SAFETY = Pt(36)
"""Page height left unplanned: a renderer's own spacing, rounding."""
TITLE_SIZE = Pt(20)
TITLE_LINE = Pt(32)
REFERENCE_SIZE = Pt(14)
SEAL_ROOM = Pt(48)
"""Above the bureau's name; the seal covers the name and the date."""
SIGN_OFF_WIDTH = Cm(8.0)
NARROW_EM = 0.65
"""Latin letters and digits in ems, counted wide (DejaVu Sans digits are 0.64 em)."""


@dataclass(frozen=True)
class Size:
    text: Length
    line: Length


SIZES = (Size(Pt(16), Pt(29)), Size(Pt(15), Pt(27)), Size(Pt(14), Pt(25)), Size(Pt(12), Pt(21)))
"""三号 as in the bureau's own letters first, smaller ones for long reasons."""


def letter_title(kind: LetterKind) -> str:
    return TITLE.format(decision=DECISIONS[kind])


def body(letter: Letter) -> list[str]:
    """The paragraphs after the salutation, each indented two characters."""
    appointed = APPOINTED.format(
        start=format_cn_date(letter.term_start),
        group=clean(letter.group),
        number=clean(letter.certificate_number),
        end=format_cn_date(letter.term_end),
    )
    reason = REASON[letter.kind].format(reason=clean(letter.reason).strip())
    if letter.kind is LetterKind.NOT_RENEWED:
        return [appointed + NOT_RENEWED, reason, NOT_RENEWED_AFTER, CLOSING]
    effective = format_cn_date(letter.effective_on or letter.decided_on)
    return [appointed + DISMISSED.format(effective=effective), reason, CLOSING]


def choose_size(letter: Letter) -> Size:
    """The largest body size at which the letter's estimated height fits one page;
    the smallest when none does."""
    for size in SIZES:
        if _height(letter, size) <= HEIGHT - SAFETY:
            return size
    return SIZES[-1]


def letter_docx(letter: Letter, *, now: datetime | None = None) -> bytes:
    """The letter; `now` goes in the file's properties (default: the current time)."""
    size = choose_size(letter)
    doc = Document()
    word.page_setup(doc, MARGINS)
    word.set_fonts(doc, size.text, size.line)
    word.properties(doc, letter_title(letter.kind), now or datetime.now(UTC))

    title = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.line(title, TITLE_LINE, after=Pt(6) if letter.reference else Pt(18))
    word.run(title, letter_title(letter.kind), size=TITLE_SIZE, bold=True)
    if letter.reference:
        reference = doc.add_paragraph()
        reference.alignment = WD_ALIGN_PARAGRAPH.CENTER
        word.line(reference, Pt(24), after=Pt(12))
        word.run(reference, clean(letter.reference), size=REFERENCE_SIZE)

    salutation = doc.add_paragraph()
    word.line(salutation, size.line)
    word.run(salutation, SALUTATION.format(name=clean(letter.name)), size=size.text)
    for text in body(letter):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(size.text.pt * 2)
        word.line(paragraph, size.line)
        word.run(paragraph, text, size=size.text)

    word.sign_off(
        doc,
        (BUREAU, format_cn_date(letter.decided_on)),
        size=size.text,
        width=SIGN_OFF_WIDTH,
        before=SEAL_ROOM,
    )
    copy_to = doc.add_paragraph()
    word.line(copy_to, size.line, before=Pt(30))
    _rules(copy_to)
    word.run(copy_to, COPY_TO.format(unit=clean(letter.unit)), size=size.text)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _lines(text: str, size: Size, indent: int = 0) -> int:
    capacity = WIDTH / size.text - indent
    return wrapped_lines(text, capacity, wide=1.0, narrow=NARROW_EM)


def _height(letter: Letter, size: Size) -> int:
    title = _lines(letter_title(letter.kind), Size(TITLE_SIZE, TITLE_LINE)) * TITLE_LINE
    title += Pt(6) + Pt(24) + Pt(12) if letter.reference else Pt(18)
    lines = 1 + sum(_lines(text, size, indent=2) for text in body(letter))
    sign_off = SEAL_ROOM + 2 * Pt(size.text.pt * 1.75)
    copy_to = Pt(30) + _lines(COPY_TO.format(unit=clean(letter.unit)), size) * size.line
    return title + lines * size.line + sign_off + copy_to


def _rules(paragraph) -> None:
    """A rule above and below the 抄送 line, as on the bureau's letters (w:pBdr)."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = p_pr.makeelement(qn("w:pBdr"), {})
    for side in ("top", "bottom"):
        borders.append(
            borders.makeelement(
                qn(f"w:{side}"),
                {qn("w:val"): "single", qn("w:sz"): "6", qn("w:space"): "1", qn("w:color"): "auto"},
            )
        )
    # CT_PPrBase: pBdr follows keepNext … numPr, suppressLineNumbers, and precedes shd, tabs, spacing, ….
    successors = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                  "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                  "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                  "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc")  # fmt: skip
    p_pr.insert_element_before(borders, *successors)
