"""Export rules as pure functions: who may export which rows, and which states a row needs.

The services load grants and applications and ask these functions; a
refusal is a `NotAllowed` with a message safe to show. Nothing here reads
the database or renders a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.domain import keys
from bot.domain.errors import NotAllowed
from bot.domain.review import Grant, RoleKind, scope_of
from bot.domain.workflow import Status
from bot.texts import exports as t


class Access(StrEnum):
    """What an access-log row records."""

    EXPORT_ANNEX2 = "export_annex2"
    EXPORT_FULL = "export_full"
    EXPORT_ANNEX1_ARCHIVE = "export_annex1_archive"
    DOWNLOAD_ANNEX1 = "download_annex1"
    VIEW_FULL_RECORD = "view_full_record"
    REPORT_BATCH = "report_batch"
    DOWNLOAD_LINK = "download_link"
    EXPORT_REGISTRY = "export_registry"
    EXPORT_CERTIFICATES = "export_certificates"
    DOWNLOAD_CERTIFICATE = "download_certificate"
    EXPORT_LETTER = "export_letter"


RECOMMENDED_BY_DISTRICT: frozenset[Status] = frozenset(
    {
        Status.DISTRICT_APPROVED,
        Status.QUALIFIED,
        Status.NOT_QUALIFIED,
        Status.CONFIRMED,
        Status.ACCEPTED,
        Status.NOT_ACCEPTED,
    }
)
"""Rows a district has recommended: what its Annex 2 reports, whatever the bureau made of them
since (a later report of the district still lists them)."""
RECOMMENDED_BY_UNIT: frozenset[Status] = RECOMMENDED_BY_DISTRICT | {Status.UNIT_APPROVED}
"""Rows a unit has agreed to."""
IN_REVIEW: frozenset[Status] = frozenset({Status.SUBMITTED, Status.UNIT_APPROVED})
"""Rows still waiting for a reviewer; exported only on request, marked 审核中."""
REVIEWER_VISIBLE: frozenset[Status] = frozenset(set(Status) - {Status.DRAFT})
"""What the full export holds: everything but the applicant's own drafts."""


@dataclass(frozen=True, kw_only=True)
class Annex2Request:
    """What a button or the command line asks for; authorised by `authorize_annex2`."""

    district_id: int | None = None
    """None: the whole city (bureau only), unless `unit_id` is given."""
    unit_id: int | None = None
    group: str | None = None
    include_pending: bool = False


@dataclass(frozen=True, kw_only=True)
class Annex2Selection:
    """Which rows an authorised Annex 2 holds."""

    district_id: int | None
    unit_id: int | None
    group: str | None
    statuses: frozenset[Status]
    pending: frozenset[Status]
    """Of `statuses`, those marked 审核中."""


def is_bureau(grants: Iterable[Grant]) -> bool:
    return any(g.role is RoleKind.BUREAU for g in grants)


def authorize_annex2(grants: Iterable[Grant] | None, request: Annex2Request) -> Annex2Selection:
    """The rows `grants` may export for this request; None grants means the operator's CLI.

    The bureau exports any district or the city; a district reviewer only its
    own district; a unit reviewer only its own unit. Asking for anything else
    is refused, whatever the button said.
    """
    grants = None if grants is None else list(grants)
    everything = grants is None or is_bureau(grants)
    scope = scope_of(grants or ())
    if request.unit_id is not None:
        if not (everything or request.unit_id in scope.unit_ids):
            raise NotAllowed(t.NOT_YOUR_SCOPE)
        recommended = RECOMMENDED_BY_UNIT
        in_review = frozenset({Status.SUBMITTED})
    elif request.district_id is None:
        if not everything:
            raise NotAllowed(t.NOT_YOUR_SCOPE)
        recommended, in_review = RECOMMENDED_BY_DISTRICT, IN_REVIEW
    else:
        if not (everything or request.district_id in scope.district_ids):
            raise NotAllowed(t.NOT_YOUR_SCOPE)
        recommended, in_review = RECOMMENDED_BY_DISTRICT, IN_REVIEW
    pending = in_review if request.include_pending else frozenset()
    return Annex2Selection(
        district_id=request.district_id if request.unit_id is None else None,
        unit_id=request.unit_id,
        group=request.group,
        statuses=recommended | pending,
        pending=pending,
    )


def authorize_full(grants: Iterable[Grant] | None) -> None:
    """The every-field export is the bureau's (or the operator's) alone."""
    if grants is not None and not is_bureau(grants):
        raise NotAllowed(t.BUREAU_ONLY)


def authorize_district(grants: Iterable[Grant] | None, district_id: int) -> None:
    """Whole-district files (the archive of forms): its district reviewers and the bureau."""
    if grants is None:
        return
    grants = list(grants)
    if not (is_bureau(grants) or district_id in scope_of(grants).district_ids):
        raise NotAllowed(t.NOT_YOUR_SCOPE)


def may_report(grants: Iterable[Grant], district_id: int) -> bool:
    """Only the district's own reviewers report its batch to the bureau."""
    return any(g.role is RoleKind.DISTRICT and g.district_id == district_id for g in grants)


def title_with_level(values: Mapping[str, Any]) -> str:
    """职称 as Annex 2 prints it: "高级工程师（副高级）"; the level alone when no name."""
    title = (values.get(keys.TITLE) or "").strip()
    level = (values.get(keys.TITLE_LEVEL) or "").strip()
    if level in ("", "无"):
        return title
    if not title or title == level:
        return level
    return f"{title}（{level}）"
