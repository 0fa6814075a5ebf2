"""Plain input rows for the documents of the expert database (notice § 四):
the publicity list, the certificate, the registry and the written notice.

Standard library and the domain only, so services and storage can build
them without importing a document library. Values arrive already decided:
the documents print the dates, numbers and reasons they are given and
compute none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from exports.rows import Annex2Row


@dataclass(frozen=True, kw_only=True)
class PublicityRow:
    """One person on the publicity list (公示名单).

    Publicity publishes the least data that identifies a person (DESIGN.md
    § "After the call"), so this type has no field for an ID number, a phone,
    an address or a position: what it cannot hold, the list cannot print.
    """

    name: str
    gender: str
    unit: str
    title: str
    """职称 as printed, e.g. "高级工程师（副高级）"."""
    group: str
    """拟入库专业组."""

    @classmethod
    def from_annex2(cls, row: Annex2Row) -> PublicityRow:
        """The publishable part of a recommended expert's Annex 2 row."""
        return cls(
            name=row.name, gender=row.gender, unit=row.unit, title=row.title, group=row.group
        )


@dataclass(frozen=True, kw_only=True)
class PublicityWindow:
    """The publicity period (公示期) and what the notice around the list says."""

    start: date
    end: date
    """The last day of the window, inclusive, as the admin confirmed it."""
    published_on: date
    """The date under the bureau's name."""
    objections_to: str
    """Where objections go, e.g. "市人力社保局工伤保险处（联系电话：023-88152128）".
    The call's notice names no office for objections to the publicity, so the
    caller says it; empty prints a blank to fill in by hand."""
    meeting: str = ""
    """The joint meeting's record that confirmed the batch, e.g.
    "联席会议纪要〔2022〕3号"; printed in the opening sentence when given."""


@dataclass(frozen=True, kw_only=True)
class Certificate:
    """One certificate of appointment (聘书)."""

    number: str
    """证书编号, e.g. "CQGSYF-2022-0001"; unique, never reused."""
    name: str
    group: str
    """专业组."""
    term_start: date
    term_end: date
    """The last day of the term (the day before the fifth anniversary); printed as given."""
    issued_on: date
    """The date under the bureau's name, where the seal goes."""


@dataclass(frozen=True, kw_only=True)
class RegistryRow:
    """One expert in the registry (入库专家名册)."""

    certificate_number: str
    name: str
    gender: str
    unit: str
    position: str
    """职务."""
    title: str
    """职称."""
    group: str
    district: str
    """所在区县."""
    term_start: date | None
    term_end: date | None
    status: str
    """As printed, e.g. "在聘" (see `exports.registry.STANDING_LABELS`)."""
    contact: str
    """联系方式, normally the mobile number; the bureau's own list carries it."""


class LetterKind(StrEnum):
    """The decisions that are told in writing to the expert and their unit (notice § 四 (五), (六))."""

    NOT_RENEWED = "not_renew"
    """不予续聘: the term ran out and is not renewed."""
    DISMISSED = "dismiss"
    """解聘: the term ends early."""


@dataclass(frozen=True, kw_only=True)
class Letter:
    """One written notice (书面函告) of 不予续聘 or 解聘."""

    kind: LetterKind
    name: str
    unit: str
    """The expert's unit, copied (抄送)."""
    group: str
    certificate_number: str
    term_start: date
    term_end: date
    """The last day of the term as appointed."""
    reason: str
    decided_on: date
    """The date under the bureau's name."""
    effective_on: date | None = None
    """解聘: the day the appointment ends; None means `decided_on`. Not used for 不予续聘,
    which takes effect when the term ends."""
    reference: str = ""
    """The letter's reference number (文号), printed under the title when given."""
