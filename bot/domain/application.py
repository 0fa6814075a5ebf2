"""What services know of one application: a plain snapshot, no ORM object."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.workflow import EDITABLE, Status


@dataclass(frozen=True, kw_only=True)
class Campaign:
    id: int
    name: str
    unit_deadline: datetime
    district_deadline: datetime
    is_open: bool


@dataclass(frozen=True, kw_only=True)
class ApplicationSnapshot:
    id: int
    campaign: Campaign
    person_id: int
    district_id: int
    district_name: str
    unit_id: int | None
    unit_kind: str | None
    unit_confirmed: bool
    status: Status
    version: int
    cursor: str | None
    flags: tuple[str, ...]
    return_reason: str | None
    values: dict[str, Any] = field(default_factory=dict)
    """Annex 1 answers by field key; `flags` is mirrored here for the form's conditions."""
    submitted_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def unit_name(self) -> str:
        return self.values.get("unit_name") or ""

    def closed_to_applicant(self, now: datetime) -> bool:
        """A draft or a returned form that can no longer be submitted (the unit deadline has
        passed, or the campaign is closed): it is not to be changed either, until the bureau
        extends the deadline (DESIGN: after a deadline the action it closes is refused)."""
        return self.status in EDITABLE and (
            not self.campaign.is_open or now > self.campaign.unit_deadline
        )
