"""Statements built once and row-to-domain conversions, shared by the repositories.

Building a statement costs more than running it, so the hot ones are module constants.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Row,
    and_,
    bindparam,
    exists,
    false,
    func,
    insert,
    or_,
    select,
    update,
)

from bot.domain import keys
from bot.domain.application import ApplicationSnapshot, Campaign
from bot.domain.form import FIELDS
from bot.domain.reminders import (
    DeadlineKind,
    Notice,
    NoticeKind,
)
from bot.domain.review import RoleKind, Scope
from bot.domain.workflow import ENTERED, LIVE, Status
from bot.services.export_ports import ReportRow
from bot.services.ports import InviteRow, UnitRow
from storage.models import (
    Application,
    ApplicationEvent,
    BatchReport,
    ConsentRecord,
    District,
    Expert,
    Invite,
    Person,
    Photo,
    Reminder,
    Role,
    Unit,
)
from storage.models import Campaign as CampaignModel

ANSWER_KEYS = tuple(
    dict.fromkeys(
        [f.key for f in FIELDS]
        + [keys.GENDER, keys.BIRTH_DATE, keys.UNIT_NAME, keys.FILLED_AT, keys.SIGNATURE]
    )
)


# The hot path's statements are built once: building one costs more than running it.
_app, _campaign_t = Application.__table__, CampaignModel.__table__


_JOINED = (
    _campaign_t.c.name.label("campaign_name"),
    _campaign_t.c.unit_deadline,
    _campaign_t.c.district_deadline,
    _campaign_t.c.is_open,
    District.__table__.c.name.label("district_name"),
    Unit.__table__.c.kind.label("unit_kind"),
)
"""What a snapshot needs besides the application row: its campaign, district and unit."""


_FROM = (
    _app.join(_campaign_t, _campaign_t.c.id == _app.c.campaign_id)
    .join(District.__table__, District.__table__.c.id == _app.c.district_id)
    .outerjoin(Unit.__table__, Unit.__table__.c.id == _app.c.unit_id)
)


SNAPSHOT = select(_app, *_JOINED).select_from(_FROM)
"""An application with what its snapshot needs from the campaign, district and unit, as plain rows."""


SNAPSHOT_BY_ID = SNAPSHOT.where(_app.c.id == bindparam("app_id"))


UPDATE_IF_VERSION = (
    update(_app)
    .where(_app.c.id == bindparam("app_id"), _app.c.version == bindparam("expected"))
    .values(version=_app.c.version + 1)
)
"""Sets the columns named in the parameters, only if nobody wrote since `expected` was read."""


_district_t, _unit_t, _person_t = District.__table__, Unit.__table__, Person.__table__


CURRENT_CAMPAIGN = (
    select(_campaign_t).order_by(_campaign_t.c.is_open.desc(), _campaign_t.c.id.desc()).limit(1)
)


CAMPAIGN_BY_ID = select(_campaign_t).where(_campaign_t.c.id == bindparam("id"))


DISTRICTS = select(_district_t.c.id, _district_t.c.code, _district_t.c.name).order_by(
    _district_t.c.id
)


DISTRICT_BY_ID = DISTRICTS.where(_district_t.c.id == bindparam("id"))


DISTRICT_BY_CODE = DISTRICTS.where(_district_t.c.code == bindparam("code"))


UNITS = select(
    _unit_t.c.id,
    _unit_t.c.code,
    _unit_t.c.name,
    _unit_t.c.kind,
    _unit_t.c.district_id,
    _district_t.c.name.label("dn"),
).join(_district_t, _district_t.c.id == _unit_t.c.district_id)


UNITS_IN = UNITS.where(_unit_t.c.district_id == bindparam("district_id")).order_by(_unit_t.c.name)


UNIT_BY_ID = UNITS.where(_unit_t.c.id == bindparam("id"))


UNIT_BY_CODE = UNITS.where(_unit_t.c.code == bindparam("code"))


PERSON_BY_ID = select(
    _person_t.c.id,
    _person_t.c.full_name,
    _person_t.c.consent_version,
    _person_t.c.sensitive_consent_at,
    _person_t.c.transfer_consent_at,
).where(_person_t.c.id == bindparam("id"))


UPDATE_PERSON = update(_person_t).where(_person_t.c.id == bindparam("person_id"))
"""Sets the person's columns named in the parameters (`person_id` picks the row)."""


_LIVE = [s.value for s in LIVE]


LIVE_APPLICATION = (
    SNAPSHOT.where(
        _app.c.person_id == bindparam("person_id"),
        _app.c.campaign_id == bindparam("campaign_id"),
        _app.c.status.in_(_LIVE),
    )
    .order_by(_app.c.id.desc())
    .limit(1)
)


ID_NUMBER_IN_USE = (
    select(func.count())
    .select_from(_app)
    .where(
        _app.c.campaign_id == bindparam("campaign_id"),
        _app.c.id_hash == bindparam("id_hash"),
        _app.c.id != bindparam("except_id"),
        _app.c.status.in_(_LIVE),
    )
)


ADD_APPLICATION = insert(_app).returning(_app.c.id)


ADD_EVENT = insert(ApplicationEvent.__table__)


_photo_t = Photo.__table__


REPLACE_PHOTO = update(_photo_t).where(_photo_t.c.application_id == bindparam("app_id"))


ADD_PHOTO = insert(_photo_t)


PHOTO_OF = select(_photo_t.c.jpeg).where(_photo_t.c.application_id == bindparam("app_id"))


APP_COLUMNS = tuple(_app.c.keys())


WRITABLE = frozenset(APP_COLUMNS) - {"id", "version", "updated_at", "id_hash"}
"""What callers may set: Core would silently ignore any other name."""


def campaign_of(c: CampaignModel) -> Campaign:
    return Campaign(
        id=c.id,
        name=c.name,
        unit_deadline=c.unit_deadline,
        district_deadline=c.district_deadline,
        is_open=c.is_open,
    )


def unit_of(r: Row[Any]) -> UnitRow:
    return UnitRow(
        id=r.id,
        code=r.code,
        name=r.name,
        kind=r.kind,
        district_id=r.district_id,
        district_name=r.dn,
    )


def snapshot_of(r: Row[Any] | Mapping[str, Any]) -> ApplicationSnapshot:
    """The snapshot of a loaded row (or its mapping); lists are copied, so a cached row stays as loaded."""
    m = r._mapping if isinstance(r, Row) else r
    values: dict[str, Any] = {}
    for k in ANSWER_KEYS:
        v = m[k]
        values[k] = list(v) if isinstance(v, list) else v
    values["flags"] = list(m["flags"] or [])
    return ApplicationSnapshot(
        id=m["id"],
        campaign=Campaign(
            id=m["campaign_id"],
            name=m["campaign_name"],
            unit_deadline=m["unit_deadline"],
            district_deadline=m["district_deadline"],
            is_open=m["is_open"],
        ),
        person_id=m["person_id"],
        district_id=m["district_id"],
        district_name=m["district_name"],
        unit_id=m["unit_id"],
        unit_kind=m["unit_kind"],
        unit_confirmed=m["unit_confirmed"],
        status=Status(m["status"]),
        version=m["version"],
        cursor=m["cursor"],
        flags=tuple(m["flags"] or ()),
        return_reason=m["return_reason"],
        values=values,
        submitted_at=m["submitted_at"],
        updated_at=m["updated_at"],
    )


HIDDEN_FROM_REVIEWERS = (Status.DRAFT.value,)
"""Drafts are the applicant's own until submitted."""


UNIT_REVIEWER = (
    select(Role.id)
    .where(
        Role.role == RoleKind.UNIT.value,
        Role.unit_id == bindparam("unit_id"),
        Role.person_id != bindparam("applicant_id"),
    )
    .limit(1)
)
"""A reviewer of the unit other than the applicant: nobody reviews their own application."""


ENTERED_BY_BUREAU = exists().where(
    ApplicationEvent.application_id == Application.id, ApplicationEvent.action == ENTERED
)
"""The bureau entered the application from a district's paper sheet (录入)."""

REPORTED = or_(
    exists().where(
        BatchReport.campaign_id == Application.campaign_id,
        BatchReport.district_id == Application.district_id,
        BatchReport.replaced.is_(False),
    ),
    ENTERED_BY_BUREAU,
)
"""The bureau has the application: its district reported its batch of the application's
campaign, or the bureau entered it itself."""


def pending_for(scope: Scope) -> Any:
    """What waits for the scope's holder: unit level for its units (or uncovered units of its
    districts), district level for its districts, and for the bureau the district-approved
    applications of districts that reported (`bot.domain.review.waits_at`)."""
    if not (scope.unit_ids or scope.district_ids or scope.qualifies):
        return false()
    if not (scope.unit_ids or scope.district_ids):
        return _waits_for_bureau()
    waiting = _waits_for_units_and_districts(scope)
    return or_(waiting, _waits_for_bureau()) if scope.qualifies else waiting


def _waits_for_bureau() -> Any:
    return and_(Application.status == Status.DISTRICT_APPROVED.value, REPORTED)


def _waits_for_units_and_districts(scope: Scope) -> Any:
    unit_reviewed = exists().where(
        Role.role == RoleKind.UNIT.value,
        Role.unit_id == Application.unit_id,
        Role.person_id != Application.person_id,  # as UNIT_REVIEWER
    )
    district_covers = and_(
        Application.district_id.in_(scope.district_ids),
        or_(
            Application.unit_id.is_(None),
            Application.unit_confirmed.is_(False),
            ~unit_reviewed,
        ),
    )
    return or_(
        and_(
            Application.status == Status.SUBMITTED.value,
            or_(Application.unit_id.in_(scope.unit_ids), district_covers),
        ),
        and_(
            Application.status == Status.UNIT_APPROVED.value,
            Application.district_id.in_(scope.district_ids),
        ),
    )


def invite_of(r: Invite) -> InviteRow:
    return InviteRow(
        id=r.id,
        role=r.role,
        district_id=r.district_id,
        unit_id=r.unit_id,
        using_unit_id=r.using_unit_id,
        created_by=r.created_by,
        created_at=r.created_at,
        expires_at=r.expires_at,
        used_by=r.used_by,
        used_at=r.used_at,
        revoked_at=r.revoked_at,
    )


KEPT_ON_PURGE = frozenset({keys.NAME, keys.SIGNATURE, keys.GROUP, keys.UNIT_NAME})
"""What an erased application still says: whose it was, which group and unit."""


ERASED_COLUMNS = tuple(
    dict.fromkeys(
        [f.key for f in FIELDS if f.key not in KEPT_ON_PURGE]
        + [keys.GENDER, keys.BIRTH_DATE, keys.FILLED_AT, "id_hash", "relaxation_reason"]
    )
)


EXPERT_OF_PERSON = select(Expert.__table__).where(Expert.person_id == bindparam("person_id"))


ADD_CONSENT = insert(ConsentRecord.__table__)


def aware_utc(value: Any) -> datetime:
    """MAX() over a UTCDateTime column comes back without the type's decoding on some backends."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def report_of(r: BatchReport) -> ReportRow:
    return ReportRow(
        id=r.id,
        campaign_id=r.campaign_id,
        district_id=r.district_id,
        reported_at=r.reported_at,
        reported_by=r.reported_by,
        row_count=r.row_count,
        replaced=r.replaced,
    )


def notice_of(r: Reminder) -> Notice:
    return Notice(
        key=r.key,
        kind=NoticeKind(r.kind),
        recipient_id=r.recipient_id,
        campaign_id=r.campaign_id,
        payload=dict(r.payload or {}),
        deadline_kind=DeadlineKind(r.deadline_kind) if r.deadline_kind else None,
        deadline_at=r.deadline_at,
        offset=r.offset_minutes,
        app_id=r.application_id,
        due_at=r.due_at,
    )
