"""Plain input rows for the exports: what the rest of the bot hands over.

Standard library only, so services and storage can build them without
importing a document library. Values arrive already parsed and validated;
the exports only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, kw_only=True)
class Annex2Row:
    """One recommended expert in the Annex 2 summary table (推荐汇总表)."""

    group: str
    """拟报专业组, one of the notice's 11 groups (see `table.GROUP_ORDER`)."""
    name: str
    gender: str
    id_number: str
    """Kept as text end to end: Excel keeps only 15 digits of a number."""
    unit: str
    position: str
    title: str
    """职称 as printed, e.g. "高级工程师（副高级）"."""
    contact: str
    """联系方式, normally the 11-digit mobile number."""
    note: str = ""
    """A marking such as "审核中" for rows not yet approved; empty for final rows."""


@dataclass(frozen=True, kw_only=True)
class ResumeEntry:
    """One line of 工作简历."""

    start: str
    """"2010-07"."""
    end: str
    """"2015-06" or "至今"."""
    unit: str
    position: str

    def as_line(self) -> str:
        """ "2010-07—至今　某单位　职务": one line of the printed résumé."""
        period = f"{self.start}—{self.end}"
        return "　".join(part for part in (period, self.unit, self.position) if part)


@dataclass(frozen=True, kw_only=True)
class Annex1Form:
    """Everything printed on one Annex 1 recommendation form (推荐表)."""

    group: str
    name: str
    gender: str
    ethnicity: str
    birth_month: str
    """"1990-01", derived from the ID number."""
    id_number: str
    photo_jpeg: bytes | None
    """The re-encoded portrait; None leaves the photo box empty."""
    unit: str
    position: str
    part_time: str
    health: str
    education: str
    title: str
    """"高级工程师（副高级）"."""
    school: str
    major: str
    main_specialties: tuple[str, ...]
    """主要从事专业, up to 4."""
    familiar_specialties: tuple[str, ...]
    """熟悉专业, up to 4."""
    unit_address: str
    mobile: str
    home_address: str
    office_phone: str
    email: str
    emergency_phone: str
    resume: tuple[ResumeEntry, ...]
    resume_text: str = ""
    """Free-text 工作简历, printed after the dated entries."""
    filled_on: date | None
    """填表时间; None prints blanks to fill in by hand."""
    emergency_expert: str = ""
    """重庆市应急管理专家资格 ("是"/"否"); printed only when given."""
    relaxation_reason: str = ""
    """Why the age/title rules should be relaxed; printed only when given."""
