"""The `Store` port over SQLAlchemy: one session, Core statements on the hot path.

Nothing here commits except `commit()`; a store that is closed without it
rolls back. Reads return plain snapshots, never ORM objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import keys
from bot.domain.application import ApplicationSnapshot, Campaign
from bot.domain.form import FIELDS
from bot.domain.workflow import LIVE, Status
from bot.services.ports import DistrictRow, PersonRow, UnitRow
from storage.crypto import blind_index
from storage.db import store_opener
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
SNAPSHOT = (
    select(
        _app,
        _campaign_t.c.name.label("campaign_name"),
        _campaign_t.c.unit_deadline,
        _campaign_t.c.district_deadline,
        _campaign_t.c.is_open,
        District.__table__.c.name.label("district_name"),
        Unit.__table__.c.kind.label("unit_kind"),
    )
    .join(_campaign_t, _campaign_t.c.id == _app.c.campaign_id)
    .join(District.__table__, District.__table__.c.id == _app.c.district_id)
    .outerjoin(Unit.__table__, Unit.__table__.c.id == _app.c.unit_id)
)
"""An application with what its snapshot needs from the campaign, district and unit, as plain rows."""
SNAPSHOT_BY_ID = SNAPSHOT.where(_app.c.id == bindparam("app_id"))
UPDATE_IF_VERSION = (
    update(_app)
    .where(_app.c.id == bindparam("app_id"), _app.c.version == bindparam("expected"))
    .values(version=_app.c.version + 1)
)
"""Sets the columns named in the parameters, only if nobody wrote since `expected` was read."""
WRITABLE = frozenset(_app.c.keys()) - {"id", "version", "updated_at", "id_hash"}
"""What callers may set: Core would silently ignore any other name."""


class SqlStore(ReviewQueries, PrivacyQueries):
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def commit(self) -> None:
        await self.session.commit()

    # campaigns -----------------------------------------------------------

    async def current_campaign(self) -> Campaign | None:
        row = await self.session.scalar(
            select(CampaignModel).order_by(CampaignModel.is_open.desc(), CampaignModel.id.desc())
        )
        return _campaign(row) if row else None

    async def campaign(self, campaign_id: int) -> Campaign | None:
        row = await self.session.get(CampaignModel, campaign_id)
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
        rows = await self.session.execute(
            select(District.id, District.code, District.name).order_by(District.id)
        )
        return [DistrictRow(id=r.id, code=r.code, name=r.name) for r in rows]

    async def district(self, district_id: int) -> DistrictRow | None:
        r = (
            await self.session.execute(
                select(District.id, District.code, District.name).where(
                    District.id == district_id
                )
            )
        ).one_or_none()
        return DistrictRow(id=r.id, code=r.code, name=r.name) if r else None

    async def district_by_code(self, code: str) -> DistrictRow | None:
        r = (
            await self.session.execute(
                select(District.id, District.code, District.name).where(District.code == code)
            )
        ).one_or_none()
        return DistrictRow(id=r.id, code=r.code, name=r.name) if r else None

    def _units(self) -> Any:
        return select(
            Unit.id, Unit.code, Unit.name, Unit.kind, Unit.district_id, District.name.label("dn")
        ).join(District, District.id == Unit.district_id)

    async def units_in(self, district_id: int) -> Sequence[UnitRow]:
        rows = await self.session.execute(
            self._units().where(Unit.district_id == district_id).order_by(Unit.name)
        )
        return [_unit(r) for r in rows]

    async def unit(self, unit_id: int) -> UnitRow | None:
        r = (await self.session.execute(self._units().where(Unit.id == unit_id))).one_or_none()
        return _unit(r) if r else None

    async def unit_by_code(self, code: str) -> UnitRow | None:
        r = (await self.session.execute(self._units().where(Unit.code == code))).one_or_none()
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
        p = await self.session.get(Person, person_id)
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
        p = await self.session.get(Person, person_id)
        if p is None:
            self.session.add(Person(id=person_id, full_name=full_name, created_at=now))
        else:
            p.full_name = full_name
        await self.session.flush()

    async def record_consent(self, person_id: int, version: str, now: datetime) -> None:
        await self.session.execute(
            update(Person)
            .where(Person.id == person_id)
            .values(
                consent_version=version,
                consent_at=now,
                sensitive_consent_at=now,
                transfer_consent_at=now,
            )
        )

    # applications -------------------------------------------------------------

    def _applications(self) -> Any:
        return SNAPSHOT

    async def application(self, app_id: int) -> ApplicationSnapshot | None:
        r = (await self.session.execute(SNAPSHOT_BY_ID, {"app_id": app_id})).one_or_none()
        return _snapshot(r) if r else None

    async def live_application(
        self, person_id: int, campaign_id: int
    ) -> ApplicationSnapshot | None:
        r = (
            await self.session.execute(
                self._applications()
                .where(
                    Application.person_id == person_id,
                    Application.campaign_id == campaign_id,
                    Application.status.in_([s.value for s in LIVE]),
                )
                .order_by(Application.id.desc())
                .limit(1)
            )
        ).one_or_none()
        return _snapshot(r) if r else None

    async def applications_of(self, person_id: int) -> Sequence[ApplicationSnapshot]:
        rows = await self.session.execute(
            self._applications()
            .where(Application.person_id == person_id)
            .order_by(Application.id.desc())
        )
        return [_snapshot(r) for r in rows]

    async def id_number_in_use(self, campaign_id: int, id_number: str, except_id: int) -> bool:
        count = await self.session.scalar(
            select(func.count())
            .select_from(Application)
            .where(
                and_(
                    Application.campaign_id == campaign_id,
                    Application.id_hash == blind_index(id_number),
                    Application.id != except_id,
                    Application.status.in_([s.value for s in LIVE]),
                )
            )
        )
        return bool(count)

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
            insert(Application)
            .values(
                campaign_id=campaign_id,
                person_id=person_id,
                district_id=district_id,
                unit_id=unit_id,
                unit_name=unit_name,
                unit_confirmed=unit_confirmed,
                status=Status.DRAFT.value,
                version=1,
                cursor=cursor,
                flags=[],
                created_at=now,
                updated_at=now,
            )
            .returning(Application.id)
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
        result = await self.session.execute(
            UPDATE_IF_VERSION, {**values, "updated_at": now, "app_id": app_id, "expected": version}
        )
        return result.rowcount == 1

    async def save_photo(
        self, app_id: int, jpeg: bytes, width: int, height: int, file_unique_id: str | None
    ) -> None:
        await self.session.merge(
            Photo(
                application_id=app_id,
                jpeg=jpeg,
                width=width,
                height=height,
                file_unique_id=file_unique_id,
            )
        )

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
            insert(ApplicationEvent).values(
                application_id=app_id,
                actor_id=actor_id,
                actor_name=actor_name,
                action=action,
                from_status=from_status,
                to_status=to_status,
                note=note,
                changes=changes,
                at=now,
            )
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


def _snapshot(r: Row[Any]) -> ApplicationSnapshot:
    m = r._mapping
    values = {k: m[k] for k in ANSWER_KEYS}
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


def store_factory(sessionmaker: async_sessionmaker[AsyncSession]) -> Any:
    """Returns a callable opening a store whose session rolls back unless committed."""
    return store_opener(sessionmaker, SqlStore)
