"""The rows of batch reports and the access log, as the document repository returns them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, kw_only=True)
class ReportRow:
    """One report of a district's batch to the bureau."""

    id: int
    campaign_id: int
    district_id: int
    reported_at: datetime
    reported_by: int
    row_count: int
    replaced: bool


@dataclass(frozen=True, kw_only=True)
class AccessRow:
    id: int
    actor_id: int | None
    action: str
    target: str
    detail: dict[str, Any] = field(default_factory=dict)
    at: datetime


