"""Renders every document kind through LibreOffice and checks the printed pages.

    python -m benchmarks.render [--out DIR] [--png-dir docs] [--dpi 90]

Each document (Annex 1 short, Annex 1 long, Annex 2 with 60 rows, the full
export; after the call: the publicity list of 60 as docx and xlsx, a
certificate, one for a 30-character name, the registry of 60, the letters of
不予续聘 and of 解聘 with a 500-character reason) is written from sample data
built on the demo seed's units, converted to PDF with one `soffice
--headless` call and read back with poppler:

- the page count and orientation of each PDF;
- every text line from `pdftotext -bbox` word boxes, and any two lines on a
  page that share horizontal extent and overlap vertically: text printed
  over other text, as a wrapped cell without row height does;
- PNG pages (`pdftoppm`) to look at; `--png-dir` keeps the page of each
  document that the README shows (`PICTURES`).

Exits non-zero when a page count differs from the expected one or any lines
overlap. Needs `soffice`, `pdftotext` and `pdftoppm` (Debian:
libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from bot.clock import TZ
from bot.demo import DEMO_UNITS
from bot.domain import keys, vocab
from bot.domain.application import ApplicationSnapshot, Campaign
from bot.domain.idcard import check_character
from bot.domain.parsers import MAX_NAME, MAX_REASON
from bot.domain.registry import Standing, term_end
from bot.domain.workflow import Status
from bot.services.exports import FULL_HEADERS, annex1_form, annex2_row, full_row
from exports.annex1 import render_annex1_docx
from exports.annex2 import write_annex2
from exports.certificate import certificate_docx
from exports.full import write_full_export
from exports.letter import letter_docx
from exports.publicity import publicity_docx, publicity_xlsx
from exports.registry import NOT_RENEWED_LABEL, RENEWED_LABEL, STANDING_LABELS, write_registry
from exports.registry_rows import (
    Certificate,
    Letter,
    LetterKind,
    PublicityRow,
    PublicityWindow,
    RegistryRow,
)
from exports.rows import Annex1Form, Annex2Row

EXPORTED_AT = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
FILLED_ON = date(2026, 12, 1)
LONG_POSITION = "重庆市安全生产科学研究院职业安全健康与应急管理研究中心主任兼学术委员会副主任及安全评价与检测检验中心技术总负责人（兼任）"
"""A 60-character 职务, longer than the chat accepts: the form must still hold it."""

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
POSITIONS = (
    "安全总监",
    "总工程师",
    "安全与应急管理研究中心主任兼学术委员会副主任",
    "教授、副院长",
    "职业卫生科科长",
)
TITLES = (("正高级工程师", "正高级"), ("教授", "正高级"), ("高级工程师", "副高级"))
RESUME_UNITS = (
    ("重庆大学资源与安全学院", "助教"),
    ("重庆大学资源与安全学院", "讲师"),
    ("重庆大学资源与安全学院", "副教授"),
    ("重庆市安全生产科学研究院", "工程师"),
    ("重庆市安全生产科学研究院", "高级工程师"),
    ("重庆交通运输集团有限公司安全生产管理部", "部长"),
    ("重庆市应急管理局（挂职）", "副处长"),
    ("重庆大学资源与安全学院", "教授、副院长"),
    ("重庆市安全生产科学研究院职业安全健康研究中心", "主任"),
    ("重庆市安全生产科学研究院", "副院长、总工程师"),
)


@dataclass(frozen=True)
class Expected:
    pages: int
    landscape: bool


EXPECTED: Mapping[str, Expected] = {
    "annex1_short": Expected(pages=1, landscape=False),
    "annex1_long": Expected(pages=2, landscape=False),
    "annex2_60": Expected(pages=2, landscape=True),
    "full": Expected(pages=0, landscape=True),
    "publicity_60": Expected(pages=3, landscape=False),
    "publicity_60_xlsx": Expected(pages=2, landscape=False),
    "certificate": Expected(pages=1, landscape=False),
    "certificate_long": Expected(pages=1, landscape=False),
    "registry_60": Expected(pages=0, landscape=True),
    "letter_not_renewed": Expected(pages=1, landscape=False),
    "letter_dismissed": Expected(pages=1, landscape=False),
}
"""What each document must print as; 0 pages means any number."""

FILE_NAMES = {
    "annex1_short": "annex1_short.docx",
    "annex1_long": "annex1_long.docx",
    "annex2_60": "annex2_60.xlsx",
    "full": "full.xlsx",
    "publicity_60": "publicity_60.docx",
    "publicity_60_xlsx": "publicity_60_xlsx.xlsx",
    "certificate": "certificate.docx",
    "certificate_long": "certificate_long.docx",
    "registry_60": "registry_60.xlsx",
    "letter_not_renewed": "letter_not_renewed.docx",
    "letter_dismissed": "letter_dismissed.docx",
}
PICTURES = {
    "annex1_short": 0,
    "annex1_long": -1,
    "annex2_60": 0,
    "full": 0,
    "publicity_60": 0,
    "certificate": 0,
}
"""The page of each document that `--png-dir` keeps (docs/render_<name>.png)."""


# sample data ---------------------------------------------------------------------------


def _id_number(district: str, born: date, seq: int) -> str:
    first17 = f"{district}{born:%Y%m%d}{seq % 1000:03d}"
    return first17 + check_character(first17)


def _campaign() -> Campaign:
    return Campaign(
        id=1,
        name="2026年重庆市工伤预防专家库征集",
        unit_deadline=datetime(2026, 12, 20, 18, 0, tzinfo=TZ),
        district_deadline=datetime(2027, 1, 5, 18, 0, tzinfo=TZ),
        is_open=True,
    )


def sample_application(i: int, *, entries: int = 3, position: str | None = None) -> ApplicationSnapshot:
    """Application `i` of a demo unit (bot.demo.DEMO_UNITS), with `entries` résumé lines."""
    _code, unit, kind, district_code = DEMO_UNITS[i % len(DEMO_UNITS)]
    district = vocab.district_by_code(district_code)
    born = date(1962 + i % 30, 1 + i % 12, 1 + i % 28)
    title, level = TITLES[i % len(TITLES)]
    name = SURNAMES[i % 20] + GIVEN[(i // 20) % len(GIVEN)] + GIVEN[(i * 7) % len(GIVEN)]
    resume = [
        {
            "start": f"{1990 + 3 * n}-{1 + n % 12:02d}",
            "end": "至今" if n == entries - 1 else f"{1993 + 3 * n}-{n % 12 + 1:02d}",
            "unit": RESUME_UNITS[n % len(RESUME_UNITS)][0],
            "position": RESUME_UNITS[n % len(RESUME_UNITS)][1],
        }
        for n in range(entries)
    ]
    values = {
        keys.GROUP: vocab.PROFESSIONAL_GROUPS[i % len(vocab.PROFESSIONAL_GROUPS)],
        keys.NAME: name,
        keys.ID_NUMBER: _id_number(district_code, born, 10 + i),
        keys.GENDER: "男" if i % 3 else "女",
        keys.BIRTH_DATE: born,
        keys.ETHNICITY: "汉族" if i % 5 else "土家族",
        keys.UNIT_NAME: unit,
        keys.POSITION: position or POSITIONS[i % len(POSITIONS)],
        keys.PART_TIME: "重庆市安全生产协会理事" if i % 2 else "",
        keys.HEALTH: vocab.HEALTH_STATUSES[i % 2],
        keys.EDUCATION: "研究生（博士）" if kind == "高等院校" else "大学本科",
        keys.TITLE: title,
        keys.TITLE_LEVEL: level,
        keys.EMERGENCY_EXPERT: bool(i % 2),
        keys.SCHOOL: "重庆大学",
        keys.MAJOR: "安全工程",
        keys.MAIN_SPECIALTIES: ["矿山安全", "危险化学品安全", "建筑施工安全", "职业病危害防治"][: 1 + i % 4],
        keys.FAMILIAR_SPECIALTIES: ["安全评价", "应急管理"][: 1 + i % 2],
        keys.UNIT_ADDRESS: "重庆市沙坪坝区沙正街174号",
        keys.MOBILE: f"139{i:08d}",
        keys.HOME_ADDRESS: "重庆市渝北区龙溪街道金龙路88号",
        keys.OFFICE_PHONE: "023-65106000",
        keys.EMAIL: f"expert{i}@example.cn",
        keys.EMERGENCY_PHONE: f"138{i:08d}",
        keys.RESUME: resume,
        keys.FILLED_AT: FILLED_ON,
        keys.SIGNATURE: name,
    }
    return ApplicationSnapshot(
        id=1000 + i,
        campaign=_campaign(),
        person_id=5000 + i,
        district_id=1 + i % len(DEMO_UNITS),
        district_name=district.name,
        unit_id=1 + i % len(DEMO_UNITS),
        unit_kind=kind,
        unit_confirmed=True,
        status=Status.DISTRICT_APPROVED,
        version=1,
        cursor=None,
        flags=(),
        return_reason=None,
        values=values | {keys.UNIT_NAME: unit},
        submitted_at=EXPORTED_AT,
        updated_at=EXPORTED_AT,
    )


def short_form(photo: bytes | None = None) -> Annex1Form:
    return annex1_form(sample_application(1, entries=3), photo)


def long_form(photo: bytes | None = None) -> Annex1Form:
    """Ten résumé entries and a 60-character position."""
    return annex1_form(sample_application(2, entries=10, position=LONG_POSITION), photo)


def annex2_rows(n: int = 60) -> list[Annex2Row]:
    return [annex2_row(sample_application(i)) for i in range(n)]


def full_rows(n: int = 12) -> list[tuple[object, ...]]:
    return [full_row(sample_application(i), {}) for i in range(n)]


WINDOW = PublicityWindow(
    start=date(2026, 12, 7),
    end=date(2026, 12, 11),
    published_on=date(2026, 12, 4),
    objections_to="市人力社保局工伤保险处（联系电话：023-88152128）",
    meeting="联席会议纪要〔2026〕3号",
)
TERM_START = date(2026, 12, 15)
LONG_NAME = "阿卜杜热合曼·买买提艾力·司马义托合提·艾合买提江·阿不都热西提"[:MAX_NAME]
LONG_REASON = (
    "违反职业道德，在参与工伤预防项目评审时与申报单位存在利害关系而未按规定申请回避，"
    "经市人力社保局调查核实，情况属实。"
)


def publicity_rows(n: int = 60) -> list[PublicityRow]:
    """The publishable part of the first `n` sample applications."""
    return [PublicityRow.from_annex2(row) for row in annex2_rows(n)]


def registry_rows(n: int = 60) -> list[RegistryRow]:
    """The first `n` sample applicants as appointed experts, one in ten due for renewal, one in
    ten serving out a term after 不予续聘, and one in ten renewed before the term's end."""
    rows = []
    for i in range(n):
        app = sample_application(i)
        row = annex2_row(app)
        rows.append(
            RegistryRow(
                certificate_number=f"CQGSYF-2026-{i + 1:04d}",
                name=row.name,
                gender=row.gender,
                unit=row.unit,
                position=row.position,
                title=row.title,
                group=row.group,
                district=app.district_name,
                term_start=TERM_START,
                term_end=term_end(TERM_START),
                status=NOT_RENEWED_LABEL
                if i % 10 == 8
                else RENEWED_LABEL
                if i % 10 == 7
                else STANDING_LABELS[Standing.DUE if i % 10 == 9 else Standing.APPOINTED],
                contact=row.contact,
            )
        )
    return rows


def sample_certificate(name: str | None = None) -> Certificate:
    row = annex2_row(sample_application(1))
    return Certificate(
        number="CQGSYF-2026-0001",
        name=name or row.name,
        group=row.group,
        term_start=TERM_START,
        term_end=term_end(TERM_START),
        issued_on=TERM_START,
    )


def sample_letter(kind: LetterKind) -> Letter:
    """不予续聘 with a short reason; 解聘 with one of the full `MAX_REASON` characters."""
    row = annex2_row(sample_application(2))
    start = date(2021, 12, 15)
    reason = "聘期内年度评价两次不合格，且因健康原因不能胜任现场工作。"
    if kind is LetterKind.DISMISSED:
        reason = (LONG_REASON * (MAX_REASON // len(LONG_REASON) + 1))[:MAX_REASON]
    return Letter(
        kind=kind,
        name=row.name,
        unit=row.unit,
        group=row.group,
        certificate_number="CQGSYF-2021-0007",
        term_start=start,
        term_end=term_end(start),
        reason=reason,
        decided_on=date(2026, 12, 1),
        reference="渝人社函〔2026〕118号" if kind is LetterKind.NOT_RENEWED else "",
    )


def sample_photo() -> bytes:
    """A plain portrait-shaped JPEG standing in for the applicant's photo."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (295, 413), (200, 215, 235)).save(out, "JPEG")
    return out.getvalue()


def documents() -> dict[str, bytes]:
    """Every document kind, as the bot would send it."""
    photo = sample_photo()
    return {
        "annex1_short": render_annex1_docx(short_form(photo), now=EXPORTED_AT),
        "annex1_long": render_annex1_docx(long_form(photo), now=EXPORTED_AT),
        "annex2_60": write_annex2(annex2_rows(60), vocab.district_by_code("500106").name, FILLED_ON),
        "full": write_full_export(FULL_HEADERS, full_rows()),
        "publicity_60": publicity_docx(publicity_rows(60), WINDOW, now=EXPORTED_AT),
        "publicity_60_xlsx": publicity_xlsx(publicity_rows(60), WINDOW),
        "certificate": certificate_docx(sample_certificate(), now=EXPORTED_AT),
        "certificate_long": certificate_docx(sample_certificate(LONG_NAME), now=EXPORTED_AT),
        "registry_60": write_registry(registry_rows(60), filled_on=FILLED_ON),
        "letter_not_renewed": letter_docx(sample_letter(LetterKind.NOT_RENEWED), now=EXPORTED_AT),
        "letter_dismissed": letter_docx(sample_letter(LetterKind.DISMISSED), now=EXPORTED_AT),
    }


# rendering ------------------------------------------------------------------------------


def tools_missing() -> list[str]:
    return [tool for tool in ("soffice", "pdftotext", "pdftoppm") if shutil.which(tool) is None]


def to_pdf(files: Sequence[Path], outdir: Path) -> dict[Path, Path]:
    """Converts all files with one soffice run; returns each file's PDF."""
    profile = outdir / ".lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pdfs = {f: outdir / (f.stem + ".pdf") for f in files}
    missing = [str(f) for f, pdf in pdfs.items() if not pdf.exists()]
    if missing:
        raise RuntimeError(f"soffice produced no PDF for {', '.join(missing)}")
    return pdfs


def to_png(pdf: Path, prefix: Path, dpi: int = 90) -> list[Path]:
    """One greyscale PNG per page, `prefix`-1.png, `prefix`-2.png, …"""
    for old in prefix.parent.glob(prefix.name + "-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(prefix)],
        check=True,
        timeout=120,
    )
    return sorted(prefix.parent.glob(prefix.name + "-*.png"))


# reading the PDF --------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Box, ...]

    @property
    def landscape(self) -> bool:
        return self.width > self.height


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', re.S
)


def parse_bbox(xhtml: str) -> list[Page]:
    """Pages and word boxes (points, origin top left) from `pdftotext -bbox` output."""
    pages = []
    for number, m in enumerate(_PAGE.finditer(xhtml), 1):
        words = tuple(
            Box(float(w[1]), float(w[2]), float(w[3]), float(w[4]), html.unescape(w[5]))
            for w in _WORD.finditer(m[3])
        )
        pages.append(Page(number, float(m[1]), float(m[2]), words))
    return pages


def read_pdf(pdf: Path) -> list[Page]:
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, timeout=120
    ).stdout.decode("utf-8")
    return parse_bbox(out)


def group_lines(words: Iterable[Box]) -> list[Box]:
    """Words joined into text lines: same vertical band, each close to the last.

    Words whose boxes have (nearly) the same top and bottom and follow each
    other with a gap under two line heights are one line; anything else, such
    as the next cell of a table row, starts another.
    """
    lines: list[Box] = []
    for word in sorted(words, key=lambda w: (round(w.y0, 0), w.x0)):
        for i, line in enumerate(lines):
            same_band = abs(line.y0 - word.y0) < 0.3 * word.height and abs(
                line.y1 - word.y1
            ) < 0.3 * word.height
            if same_band and 0 <= word.x0 - line.x1 < 2 * word.height:
                lines[i] = Box(
                    line.x0, min(line.y0, word.y0), word.x1, max(line.y1, word.y1),
                    f"{line.text} {word.text}",
                )  # fmt: skip
                break
        else:
            lines.append(word)
    return lines


def overlaps(lines: Sequence[Box], tolerance: float = 0.25) -> list[tuple[Box, Box]]:
    """Pairs of lines that share horizontal extent and overlap vertically by more
    than `tolerance` of the smaller line's height (glyph boxes of adjacent lines
    may touch; printed-over text overlaps by far more)."""
    found = []
    ordered = sorted(lines, key=lambda b: b.y0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.y0 >= a.y1:
                break
            shared_x = min(a.x1, b.x1) - max(a.x0, b.x0)
            shared_y = min(a.y1, b.y1) - max(a.y0, b.y0)
            if shared_x > 0.5 and shared_y > tolerance * min(a.height, b.height):
                found.append((a, b))
    return found


@dataclass(frozen=True)
class Report:
    name: str
    pages: list[Page]
    overlapping: list[tuple[int, Box, Box]]
    """(page number, line, line) for every overlap."""

    @property
    def landscape(self) -> bool:
        return all(p.landscape for p in self.pages)

    def problems(self, expected: Expected | None) -> list[str]:
        out = [
            f"page {n}: “{a.text}” overlaps “{b.text}”" for n, a, b in self.overlapping
        ]
        if expected is not None:
            if expected.pages and len(self.pages) != expected.pages:
                out.append(f"{len(self.pages)} pages, expected {expected.pages}")
            if self.landscape != expected.landscape:
                out.append("landscape" if self.landscape else "portrait")
        return out


def check_pdf(name: str, pdf: Path) -> Report:
    pages = read_pdf(pdf)
    found = [(p.number, a, b) for p in pages for a, b in overlaps(group_lines(p.words))]
    return Report(name, pages, found)


def render_all(outdir: Path, docs: Mapping[str, bytes] | None = None) -> dict[str, Path]:
    """Writes the documents into `outdir` and converts them; returns name → PDF."""
    docs = documents() if docs is None else docs
    files = {}
    for name, data in docs.items():
        path = outdir / FILE_NAMES.get(name, name)
        path.write_bytes(data)
        files[name] = path
    pdfs = to_pdf(list(files.values()), outdir)
    return {name: pdfs[path] for name, path in files.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.render", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="keep the documents, PDFs and PNGs here")
    parser.add_argument("--png-dir", type=Path, help="copy one PNG page of each document here")
    parser.add_argument("--dpi", type=int, default=90)
    args = parser.parse_args(argv)
    missing = tools_missing()
    if missing:
        print(f"missing: {', '.join(missing)} (apt-get install libreoffice-writer-nogui "
              "libreoffice-calc-nogui poppler-utils fonts-noto-cjk)", file=sys.stderr)  # fmt: skip
        return 2
    with tempfile.TemporaryDirectory(prefix="render-") as tmp:
        outdir = args.out or Path(tmp)
        outdir.mkdir(parents=True, exist_ok=True)
        pdfs = render_all(outdir)
        failed = False
        print(f"{'document':<18} {'pages':>5}  {'orientation':<11} {'lines':>5}  result")
        for name, pdf in pdfs.items():
            report = check_pdf(name, pdf)
            problems = report.problems(EXPECTED.get(name))
            failed |= bool(problems)
            lines = sum(len(group_lines(p.words)) for p in report.pages)
            orientation = "landscape" if report.landscape else "portrait"
            print(f"{name:<18} {len(report.pages):>5}  {orientation:<11} {lines:>5}  "
                  f"{'ok' if not problems else 'FAIL'}")  # fmt: skip
            for problem in problems:
                print(f"    {problem}")
            pngs = to_png(pdf, outdir / name, args.dpi)
            if args.png_dir and name in PICTURES:
                args.png_dir.mkdir(parents=True, exist_ok=True)
                shutil.copy(pngs[PICTURES[name]], args.png_dir / f"render_{name}.png")
        if args.out:
            print(f"documents, PDFs and PNGs in {outdir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
