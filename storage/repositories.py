"""The `Store` port over SQLAlchemy: one session, Core statements on the hot path.

Nothing here commits except `commit()`; a store that is closed without it
rolls back. Reads return plain snapshots, never ORM objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import keys
from bot.domain.application import ApplicationSnapshot, Campaign
from bot.domain.form import FIELDS
from bot.domain.workflow import LIVE, Status
from bot.services.ports import DistrictRow, PersonRow, UnitRow
from storage.application_cache import ApplicationCache
from storage.crypto import blind_index
from storage.db import Database, store_opener
from storage.models import Application, ApplicationEvent, District, Person, Photo, Unit
from storage.models import Campaign as CampaignModel
from storage.privacy_queries import PrivacyQueries
from storage.review_queries import ReviewQueries

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
IDENTITY = ("version", "person_id", "created_at")
"""What must match for a kept row to be current; SQLite may reuse a deleted row's id."""
FRESHNESS_BY_ID = (
    select(*(_app.c[k] for k in IDENTITY), *_JOINED)
    .select_from(_FROM)
    .where(_app.c.id == bindparam("app_id"))
)
"""The narrow half of a snapshot: enough to tell whether a cached row is still current."""
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
ADD_PERSON = insert(_person_t)
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
APP_COLUMNS = tuple(_app.c.keys())
WRITABLE = frozenset(APP_COLUMNS) - {"id", "version", "updated_at", "id_hash"}
"""What callers may set: Core would silently ignore any other name."""


class SqlStore(ReviewQueries, PrivacyQueries):
    def __init__(self, session: AsyncSession, cache: ApplicationCache | None = None) -> None:
        self.session = session
        self.cache = cache
        self._written: list[tuple[int, int, dict[str, Any]]] = []
        """Conditional writes of this transaction, for the cache once they are committed."""
        self._other_writes: set[int] = set()
        """Applications written here other than by `update_application`: dropped at commit."""

    async def commit(self) -> None:
        written, others = self._written, self._other_writes
        self._written, self._other_writes = [], set()
        await self.session.commit()
        if self.cache is not None:
            for app_id, expected, values in written:
                self.cache.committed(app_id, expected, values)
            for app_id in others:
                self.cache.forget(app_id)

    def _forget(self, app_id: int) -> None:
        """For writes to an application other than `update_application`: dropped now and at commit."""
        self._other_writes.add(app_id)
        if self.cache is not None:
            self.cache.forget(app_id)

    # campaigns -----------------------------------------------------------

    async def current_campaign(self) -> Campaign | None:
        row = (await self.session.execute(CURRENT_CAMPAIGN)).one_or_none()
        return _campaign(row) if row else None

    async def campaign(self, campaign_id: int) -> Campaign | None:
        row = (await self.session.execute(CAMPAIGN_BY_ID, {"id": campaign_id})).one_or_none()
        return _campaign(row) if row else None

    async def add_campaign(
        self, *, name: str, unit_deadline: datetime, district_deadline: datetime, now: datetime
    ) -> int:
        row = CampaignModel(
            name=name,
            unit_deadline=unit_deadline,
            district_deadline=district_deadline,
            is_open=True,
            created_at=now,
        )
        self.session.add(row)
        await self.session.flush()
        return row.id

    # districts and units ---------------------------------------------------

    async def districts(self) -> Sequence[DistrictRow]:
        rows = await self.session.execute(DISTRICTS)
        return [DistrictRow(id=r.id, code=r.code, name=r.name) for r in rows]

    async def district(self, district_id: int) -> DistrictRow | None:
        r = (await self.session.execute(DISTRICT_BY_ID, {"id": district_id})).one_or_none()
        return DistrictRow(id=r.id, code=r.code, name=r.name) if r else None

    async def district_by_code(self, code: str) -> DistrictRow | None:
        r = (await self.session.execute(DISTRICT_BY_CODE, {"code": code})).one_or_none()
        return DistrictRow(id=r.id, code=r.code, name=r.name) if r else None

    async def units_in(self, district_id: int) -> Sequence[UnitRow]:
        rows = await self.session.execute(UNITS_IN, {"district_id": district_id})
        return [_unit(r) for r in rows]

    async def unit(self, unit_id: int) -> UnitRow | None:
        r = (await self.session.execute(UNIT_BY_ID, {"id": unit_id})).one_or_none()
        return _unit(r) if r else None

    async def unit_by_code(self, code: str) -> UnitRow | None:
        r = (await self.session.execute(UNIT_BY_CODE, {"code": code})).one_or_none()
        return _unit(r) if r else None

    async def add_unit(
        self, *, code: str, name: str, kind: str, district_id: int, now: datetime
    ) -> UnitRow:
        await self.session.execute(
            insert(Unit).values(
                code=code, name=name, kind=kind, district_id=district_id, created_at=now
            )
        )
        unit = await self.unit_by_code(code)
        assert unit is not None
        return unit

    # people ----------------------------------------------------------------

    async def person(self, person_id: int) -> PersonRow | None:
        p = (await self.session.execute(PERSON_BY_ID, {"id": person_id})).one_or_none()
        if p is None:
            return None
        return PersonRow(
            id=p.id,
            full_name=p.full_name,
            consent_version=p.consent_version,
            sensitive_consent_at=p.sensitive_consent_at,
            transfer_consent_at=p.transfer_consent_at,
        )

    async def save_person(self, person_id: int, full_name: str, now: datetime) -> None:
        renamed = await self.session.execute(
            UPDATE_PERSON, {"person_id": person_id, "full_name": full_name}
        )
        if renamed.rowcount == 0:
            await self.session.execute(
                ADD_PERSON, {"id": person_id, "full_name": full_name, "created_at": now}
            )

    async def record_consent(self, person_id: int, version: str, now: datetime) -> None:
        await self.session.execute(
            UPDATE_PERSON,
            {
                "person_id": person_id,
                "consent_version": version,
                "consent_at": now,
                "sensitive_consent_at": now,
                "transfer_consent_at": now,
            },
        )

    # applications -------------------------------------------------------------

    def _wrote(self, app_id: int) -> bool:
        """Whether this transaction wrote the application: not committed yet, so not for the cache."""
        return app_id in self._other_writes or any(w[0] == app_id for w in self._written)

    def _applications(self) -> Any:
        return SNAPSHOT

    async def application(self, app_id: int) -> ApplicationSnapshot | None:
        cache = None if self._wrote(app_id) else self.cache
        kept = cache.get(app_id) if cache is not None else None
        if kept is not None:
            head = (await self.session.execute(FRESHNESS_BY_ID, {"app_id": app_id})).one_or_none()
            if head is not None and all(head._mapping[k] == kept[k] for k in IDENTITY):
                return _snapshot({**kept, **head._mapping})
        r = (await self.session.execute(SNAPSHOT_BY_ID, {"app_id": app_id})).one_or_none()
        if r is None:
            return None
        if cache is not None:
            cache.put(app_id, {k: r._mapping[k] for k in APP_COLUMNS})
        return _snapshot(r._mapping)

    async def live_application(
        self, person_id: int, campaign_id: int
    ) -> ApplicationSnapshot | None:
        params = {"person_id": person_id, "campaign_id": campaign_id}
        r = (await self.session.execute(LIVE_APPLICATION, params)).one_or_none()
        return _snapshot(r) if r else None

    async def applications_of(self, person_id: int) -> Sequence[ApplicationSnapshot]:
        rows = await self.session.execute(
            self._applications()
            .where(Application.person_id == person_id)
            .order_by(Application.id.desc())
        )
        return [_snapshot(r) for r in rows]

    async def id_number_in_use(self, campaign_id: int, id_number: str, except_id: int) -> bool:
        params = {
            "campaign_id": campaign_id,
            "id_hash": blind_index(id_number),
            "except_id": except_id,
        }
        return bool(await self.session.scalar(ID_NUMBER_IN_USE, params))

    async def add_application(
        self,
        *,
        campaign_id: int,
        person_id: int,
        district_id: int,
        unit_id: int | None,
        unit_name: str,
        unit_confirmed: bool,
        cursor: str,
        now: datetime,
    ) -> int:
        result = await self.session.execute(
            ADD_APPLICATION,
            {
                "campaign_id": campaign_id,
                "person_id": person_id,
                "district_id": district_id,
                "unit_id": unit_id,
                "unit_name": unit_name,
                "unit_confirmed": unit_confirmed,
                "status": Status.DRAFT.value,
                "version": 1,
                "cursor": cursor,
                "flags": [],
                "created_at": now,
                "updated_at": now,
            },
        )
        return result.scalar_one()

    async def update_application(
        self, app_id: int, version: int, values: dict[str, Any], now: datetime
    ) -> bool:
        if not values.keys() <= WRITABLE:
            raise ValueError(f"not application columns: {sorted(values.keys() - WRITABLE)}")
        if keys.ID_NUMBER in values:
            number = values[keys.ID_NUMBER]
            values = {**values, "id_hash": blind_index(number) if number else None}
        values = {**values, "updated_at": now}
        result = await self.session.execute(
            UPDATE_IF_VERSION, {**values, "app_id": app_id, "expected": version}
        )
        if result.rowcount != 1:
            return False
        self._written.append((app_id, version, values))
        return True

    async def save_photo(
        self, app_id: int, jpeg: bytes, width: int, height: int, file_unique_id: str | None
    ) -> None:
        photo = {"jpeg": jpeg, "width": width, "height": height, "file_unique_id": file_unique_id}
        replaced = await self.session.execute(REPLACE_PHOTO, {**photo, "app_id": app_id})
        if replaced.rowcount == 0:
            await self.session.execute(ADD_PHOTO, {**photo, "application_id": app_id})

    async def photo(self, app_id: int) -> bytes | None:
        return await self.session.scalar(select(Photo.jpeg).where(Photo.application_id == app_id))

    async def add_event(
        self,
        *,
        app_id: int,
        actor_id: int | None,
        actor_name: str,
        action: str,
        from_status: str | None,
        to_status: str,
        note: str | None,
        now: datetime,
        changes: dict[str, Any] | None = None,
    ) -> None:
        await self.session.execute(
            ADD_EVENT,
            {
                "application_id": app_id,
                "actor_id": actor_id,
                "actor_name": actor_name,
                "action": action,
                "from_status": from_status,
                "to_status": to_status,
                "note": note,
                "changes": changes,
                "at": now,
            },
        )


def _campaign(c: CampaignModel) -> Campaign:
    return Campaign(
        id=c.id,
        name=c.name,
        unit_deadline=c.unit_deadline,
        district_deadline=c.district_deadline,
        is_open=c.is_open,
    )


def _unit(r: Row[Any]) -> UnitRow:
    return UnitRow(
        id=r.id, code=r.code, name=r.name, kind=r.kind, district_id=r.district_id, district_name=r.dn
    )


def _snapshot(r: Row[Any] | Mapping[str, Any]) -> ApplicationSnapshot:
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


def store_factory(database: Database) -> Any:
    """Returns a callable opening a store whose session rolls back unless committed.

    The stores it opens share one ApplicationCache (see there).
    """
    cache = ApplicationCache()
    return store_opener(database, lambda session: SqlStore(session, cache))
