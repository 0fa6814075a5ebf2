"""Applications: snapshots and conditional writes, photos, the audit trail, review cards and lists.

Nothing here commits: the unit of work does (storage.uow). Reads return plain
snapshots, never ORM objects. Every write to an application is conditional on
the version that was read, so a concurrent change is noticed, not overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import aliased

from bot.domain import keys
from bot.domain.application import ApplicationSnapshot
from bot.domain.reminders import (
    Audience,
    DistrictReviewer,
    Todo,
)
from bot.domain.review import Scope
from bot.domain.stats import DistrictStatusCount
from bot.domain.workflow import Action, Status
from bot.domain.workflow import Status as AppStatus
from bot.services.ports import DuplicateRow, EventRow, ListFilter
from bot.services.privacy import ExpiredApplication
from bot.services.reminder_ports import BatchFacts
from storage.accounts import ATTACHED
from storage.crypto import blind_index
from storage.db import DbSession, core
from storage.models import (
    Account,
    Application,
    ApplicationEvent,
    BatchReport,
    CardMessage,
    District,
    Photo,
    Role,
    Unit,
    UTCDateTime,
)
from storage.models import Campaign as CampaignModel
from storage.rows import (
    ADD_APPLICATION,
    ADD_EVENT,
    ADD_PHOTO,
    ENTERED_BY_BUREAU,
    ERASED_COLUMNS,
    HIDDEN_FROM_REVIEWERS,
    ID_NUMBER_IN_USE,
    LIVE_APPLICATION,
    PHOTO_OF,
    REPLACE_PHOTO,
    REPORTED,
    SNAPSHOT,
    SNAPSHOT_BY_ID,
    UPDATE_IF_VERSION,
    WRITABLE,
    aware_utc,
    pending_for,
    snapshot_of,
)


def _attached_account(person_id: Any) -> Any:
    """Join condition: the person's attached account (people without one cannot be reminded)."""
    return and_(Account.person_id == person_id, ATTACHED)


class ApplicationRepository:
    def __init__(self, session: DbSession) -> None:
        self.session = session

    def _applications(self) -> Any:
        return SNAPSHOT

    async def application(self, app_id: int) -> ApplicationSnapshot | None:
        r = (await core(self.session, SNAPSHOT_BY_ID, {"app_id": app_id})).one_or_none()
        return snapshot_of(r) if r else None

    async def live_application(
        self, person_id: int, campaign_id: int
    ) -> ApplicationSnapshot | None:
        params = {"person_id": person_id, "campaign_id": campaign_id}
        r = (await core(self.session, LIVE_APPLICATION, params)).one_or_none()
        return snapshot_of(r) if r else None

    async def applications_of(self, person_id: int) -> Sequence[ApplicationSnapshot]:
        rows = await self.session.execute(
            self._applications()
            .where(Application.person_id == person_id)
            .order_by(Application.id.desc())
        )
        return [snapshot_of(r) for r in rows]

    async def people_with_id_number(self, id_number: str) -> Sequence[int]:
        """Who applied with this ID number, in any campaign (found by its keyed hash)."""
        rows = await self.session.scalars(
            select(Application.person_id)
            .where(Application.id_hash == blind_index(id_number))
            .distinct()
        )
        return list(rows)

    async def same_id_number(self, app_id: int) -> Sequence[DuplicateRow]:
        """Every other submitted application with this one's ID number (by its keyed hash), in
        any campaign or district, newest campaign first; erased ones have no hash left."""
        this = aliased(Application)
        id_hash = select(this.id_hash).where(this.id == app_id).scalar_subquery()
        rows = await self.session.execute(
            select(
                Application.id,
                CampaignModel.name.label("campaign"),
                District.name.label("district"),
                Application.unit_name,
                Application.status,
            )
            .join(CampaignModel, CampaignModel.id == Application.campaign_id)
            .join(District, District.id == Application.district_id)
            .where(
                # Every campaign named, so that the (campaign_id, id_hash) index finds the rows.
                Application.campaign_id.in_(select(CampaignModel.id)),
                Application.id_hash == id_hash,
                Application.id != app_id,
                Application.status != AppStatus.DRAFT.value,
            )
            .order_by(Application.campaign_id.desc(), Application.id)
        )
        return [
            DuplicateRow(
                app_id=r.id,
                campaign=r.campaign,
                district=r.district,
                unit=r.unit_name or "",
                status=AppStatus(r.status),
            )
            for r in rows
        ]

    async def id_number_in_use(self, campaign_id: int, id_number: str, except_id: int) -> bool:
        params = {
            "campaign_id": campaign_id,
            "id_hash": blind_index(id_number),
            "except_id": except_id,
        }
        return bool((await core(self.session, ID_NUMBER_IN_USE, params)).scalar())

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
        result = await core(
            self.session,
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
        result = await core(
            self.session, UPDATE_IF_VERSION, {**values, "app_id": app_id, "expected": version}
        )
        return result.rowcount == 1

    async def save_photo(
        self, app_id: int, jpeg: bytes, width: int, height: int, file_unique_id: str | None
    ) -> None:
        photo = {"jpeg": jpeg, "width": width, "height": height, "file_unique_id": file_unique_id}
        replaced = await core(self.session, REPLACE_PHOTO, {**photo, "app_id": app_id})
        if replaced.rowcount == 0:
            await core(self.session, ADD_PHOTO, {**photo, "application_id": app_id})

    async def photo(self, app_id: int) -> bytes | None:
        found = await core(self.session, PHOTO_OF, {"app_id": app_id})
        return found.scalar()

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
        await core(
            self.session,
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

    async def events_of(self, app_id: int) -> Sequence[EventRow]:
        events = ApplicationEvent.__table__
        rows = await core(
            self.session,
            select(events).where(events.c.application_id == app_id).order_by(events.c.id),
        )
        return [
            EventRow(
                app_id=e.application_id,
                actor_id=e.actor_id,
                actor_name=e.actor_name,
                action=e.action,
                from_status=e.from_status,
                to_status=e.to_status,
                note=e.note,
                changes=e.changes,
                at=e.at,
            )
            for e in rows
        ]

    async def set_return_reason(self, app_id: int, reason: str | None) -> None:
        await self.session.execute(
            update(Application)
            .where(Application.id == app_id)
            .values(return_reason=reason, version=Application.version + 1)
        )

    async def add_card_message(
        self, app_id: int, person_id: int, message_id: int, now: datetime
    ) -> None:
        """Records a card sent to the person's Telegram account (none: nothing to record)."""
        account = (
            select(
                literal(app_id), Account.id, literal(message_id, BigInteger), literal(now, UTCDateTime())
            )
            .where(
                Account.person_id == person_id,
                Account.channel == "telegram",
                ATTACHED,
            )
        )
        await core(
            self.session,
            insert(CardMessage).from_select(
                ["application_id", "account_id", "message_id", "sent_at"], account
            ),
        )

    async def card_messages(self, app_id: int) -> Sequence[tuple[int, int]]:
        """(chat, message) of every copy of the card in a chat still attached to its person."""
        rows = await core(
            self.session,
            select(Account.chat_id, CardMessage.message_id)
            .join(Account, Account.id == CardMessage.account_id)
            .where(CardMessage.application_id == app_id, ATTACHED)
            .order_by(CardMessage.id),
        )
        return [(int(r.chat_id), r.message_id) for r in rows]

    async def drop_card_messages(self, app_id: int) -> None:
        await core(self.session, delete(CardMessage).where(CardMessage.application_id == app_id))

    def _scoped(self, scope: Scope, campaign_id: int, what: ListFilter) -> list[Any]:
        """WHERE clauses for the scope and the filter."""
        clauses: list[Any] = [
            Application.campaign_id == campaign_id,
            Application.status.not_in(HIDDEN_FROM_REVIEWERS),
        ]
        if what.pending_only:
            clauses.append(pending_for(scope))
        if what.not_of_person is not None:
            clauses.append(Application.person_id != what.not_of_person)
        if not scope.everything:
            clauses.append(
                or_(
                    Application.district_id.in_(scope.district_ids),
                    Application.unit_id.in_(scope.unit_ids),
                )
            )
        if what.status:
            clauses.append(Application.status == what.status)
        if what.unit_id:
            clauses.append(Application.unit_id == what.unit_id)
        if what.group:
            clauses.append(Application.group == what.group)
        return clauses

    async def list_applications(
        self, scope: Scope, campaign_id: int, what: ListFilter, offset: int, limit: int
    ) -> tuple[Sequence[ApplicationSnapshot], int]:
        clauses = self._scoped(scope, campaign_id, what)
        counted = await core(
            self.session, select(func.count()).select_from(Application).where(*clauses)
        )
        total = counted.scalar()
        rows = await core(
            self.session,
            self._applications()
            .where(*clauses)
            .order_by(Application.submitted_at, Application.id)
            .offset(offset)
            .limit(limit),
        )
        return [snapshot_of(r) for r in rows], int(total or 0)

    async def returned_by_bureau(
        self, scope: Scope, campaign_id: int, what: ListFilter
    ) -> set[int]:
        """Of the applications `list_applications` would list, in one query, those whose last
        event is the bureau's return to their district (it lifts the district's deadline)."""
        last_event = (
            select(func.max(ApplicationEvent.id))
            .where(ApplicationEvent.application_id == Application.id)
            .correlate(Application)
            .scalar_subquery()
        )
        rows = await core(
            self.session,
            select(Application.id)
            .join(ApplicationEvent, ApplicationEvent.id == last_event)
            .where(
                *self._scoped(scope, campaign_id, what),
                ApplicationEvent.action == Action.RETURN_TO_DISTRICT.value,
            ),
        )
        return {int(r.id) for r in rows}

    async def status_counts(
        self, scope: Scope, campaign_id: int, *, not_of_person: int | None = None
    ) -> dict[str, int]:
        clauses = self._scoped(scope, campaign_id, ListFilter(not_of_person=not_of_person))
        rows = await core(
            self.session,
            select(Application.status, func.count()).where(*clauses).group_by(Application.status),
        )
        return {status: count for status, count in rows}

    async def district_status_counts(
        self, campaign_id: int, district_ids: Sequence[int] | None
    ) -> Sequence[DistrictStatusCount]:
        """Submitted applications of the campaign by district and status (`district_ids` None:
        every district); drafts are not counted."""
        query = (
            select(District.name, Application.status, func.count())
            .join(District, District.id == Application.district_id)
            .where(
                Application.campaign_id == campaign_id,
                Application.status.not_in(HIDDEN_FROM_REVIEWERS),
            )
            .group_by(District.name, Application.status)
        )
        if district_ids is not None:
            query = query.where(Application.district_id.in_(list(district_ids)))
        rows = await self.session.execute(query)
        return [DistrictStatusCount(name, status, count) for name, status, count in rows]

    async def expired_applications(
        self, statuses: Sequence[str], changed_before: datetime
    ) -> Sequence[ExpiredApplication]:
        rows = await self.session.execute(
            select(Application.id, Application.name, Application.status, Application.updated_at)
            .where(
                Application.status.in_(list(statuses)),
                Application.purged_at.is_(None),
                Application.updated_at < changed_before,
            )
            .order_by(Application.id)
        )
        return [
            ExpiredApplication(id=r.id, name=r.name or "", status=r.status, updated_at=r.updated_at)
            for r in rows
        ]

    async def erase_application(self, app_id: int, now: datetime) -> bool:
        """Clears the personal fields, the photo and the answer snapshots; False if already erased."""
        result = await self.session.execute(
            update(Application)
            .where(Application.id == app_id, Application.purged_at.is_(None))
            .values(
                **dict.fromkeys(ERASED_COLUMNS),
                purged_at=now,
                version=Application.version + 1,
            )
        )
        if result.rowcount != 1:
            return False
        await self.session.execute(delete(Photo).where(Photo.application_id == app_id))
        await self.session.execute(
            update(ApplicationEvent)
            .where(ApplicationEvent.application_id == app_id)
            .values(changes=None)
        )
        return True

    async def delete_draft(self, app_id: int, version: int) -> bool:
        """Deletes a draft outright (photo with it); False if it changed or was submitted meanwhile."""
        result = await self.session.execute(
            delete(Application).where(
                Application.id == app_id,
                Application.version == version,
                Application.status == "draft",
            )
        )
        return result.rowcount == 1

    async def export_applications(
        self,
        campaign_id: int,
        *,
        statuses: frozenset[Status],
        district_id: int | None = None,
        unit_id: int | None = None,
        group: str | None = None,
    ) -> Sequence[ApplicationSnapshot]:
        clauses: list[Any] = [
            Application.campaign_id == campaign_id,
            Application.status.in_(sorted(s.value for s in statuses)),
        ]
        if district_id is not None:
            clauses.append(Application.district_id == district_id)
        if unit_id is not None:
            clauses.append(Application.unit_id == unit_id)
        if group is not None:
            clauses.append(Application.group == group)
        rows = await self.session.execute(
            self._applications().where(*clauses).order_by(Application.id)
        )
        return [snapshot_of(r) for r in rows]

    async def awaiting_report(self, campaign_id: int, district_id: int) -> Sequence[int]:
        """Applicants whose district-approved applications the bureau does not have yet: they
        wait for their district's report (上报市局)."""
        rows = await self.session.scalars(
            select(Application.person_id)
            .where(
                Application.campaign_id == campaign_id,
                Application.district_id == district_id,
                Application.status == AppStatus.DISTRICT_APPROVED.value,
                ~REPORTED,
            )
            .order_by(Application.id)
        )
        return list(rows)

    async def decision_times(self, campaign_id: int) -> dict[int, dict[str, datetime]]:
        rows = await self.session.execute(
            select(
                ApplicationEvent.application_id,
                ApplicationEvent.to_status,
                func.max(ApplicationEvent.at).label("at"),
            )
            .join(Application, Application.id == ApplicationEvent.application_id)
            .where(Application.campaign_id == campaign_id)
            .group_by(ApplicationEvent.application_id, ApplicationEvent.to_status)
        )
        times: dict[int, dict[str, datetime]] = {}
        for app_id, to_status, at in rows:
            times.setdefault(app_id, {})[to_status] = aware_utc(at)
        return times

    async def applications(self, app_ids: Sequence[int]) -> dict[int, ApplicationSnapshot]:
        """These applications in one read, by id (missing ids are absent)."""
        if not app_ids:
            return {}
        rows = await self.session.execute(
            self._applications().where(Application.id.in_(list(app_ids)))
        )
        return {snap.id: snap for snap in map(snapshot_of, rows)}

    async def applications_in(
        self, campaign_id: int, statuses: Sequence[str]
    ) -> Sequence[ApplicationSnapshot]:
        """The campaign's applications in these states, oldest first."""
        rows = await self.session.execute(
            self._applications()
            .where(Application.campaign_id == campaign_id, Application.status.in_(list(statuses)))
            .order_by(Application.id)
        )
        return [snapshot_of(r) for r in rows]

    async def open_forms(self, campaign_id: int) -> Sequence[ApplicationSnapshot]:
        rows = await self.session.execute(
            self._applications()
            .join(Account, _attached_account(Application.person_id))
            .where(
                Application.campaign_id == campaign_id,
                Application.status.in_([AppStatus.DRAFT.value, AppStatus.RETURNED.value]),
                Account.unreachable.is_(False),
            )
            .order_by(Application.id)
        )
        return [snapshot_of(r) for r in rows]

    def _reachable_unit_reviewer(self, unit_id: Any) -> Any:
        reviewer = aliased(Role)
        account = aliased(Account)
        return exists().where(
            reviewer.role == "unit",
            reviewer.unit_id == unit_id,
            account.person_id == reviewer.person_id,
            account.detached_at.is_(None),
            account.unreachable.is_(False),
        )

    async def unit_pending(self, campaign_id: int) -> Sequence[Todo]:
        rows = await self.session.execute(
            select(Role.person_id, Role.unit_id, Unit.name, func.count(Application.id))
            .join(Account, _attached_account(Role.person_id))
            .join(Unit, Unit.id == Role.unit_id)
            .join(Application, Application.unit_id == Role.unit_id)
            .where(
                Role.role == "unit",
                Account.unreachable.is_(False),
                Application.campaign_id == campaign_id,
                Application.status == AppStatus.SUBMITTED.value,
                Application.unit_confirmed.is_(True),
            )
            .group_by(Role.person_id, Role.unit_id, Unit.name)
            .order_by(Role.person_id, Role.unit_id)
        )
        return [
            Todo(recipient_id=p, audience=Audience.UNIT_PENDING, scope=u, count=n, label=name)
            for p, u, name, n in rows
        ]

    async def district_pending(self, campaign_id: int) -> Sequence[Todo]:
        waiting_for_district = or_(
            Application.status == AppStatus.UNIT_APPROVED.value,
            and_(
                Application.status == AppStatus.SUBMITTED.value,
                or_(
                    Application.unit_confirmed.is_(False),
                    Application.unit_id.is_(None),
                    ~self._reachable_unit_reviewer(Application.unit_id),
                ),
            ),
        )
        rows = await self.session.execute(
            select(Role.person_id, Role.district_id, District.name, func.count(Application.id))
            .join(Account, _attached_account(Role.person_id))
            .join(District, District.id == Role.district_id)
            .join(Application, Application.district_id == Role.district_id)
            .where(
                Role.role == "district",
                Account.unreachable.is_(False),
                Application.campaign_id == campaign_id,
                waiting_for_district,
            )
            .group_by(Role.person_id, Role.district_id, District.name)
            .order_by(Role.person_id, Role.district_id)
        )
        return [
            Todo(recipient_id=p, audience=Audience.DISTRICT_PENDING, scope=d, count=n, label=name)
            for p, d, name, n in rows
        ]

    async def batch_facts(self, campaign_id: int) -> BatchFacts:
        approved = {
            d: n
            for d, n in await self.session.execute(
                select(Application.district_id, func.count(Application.id))
                .where(
                    Application.campaign_id == campaign_id,
                    Application.status == AppStatus.DISTRICT_APPROVED.value,
                    ~ENTERED_BY_BUREAU,
                )
                .group_by(Application.district_id)
            )
        }
        if not approved:
            return BatchFacts(approved={})
        reported = frozenset(
            await self.session.scalars(
                select(BatchReport.district_id)
                .where(
                    BatchReport.campaign_id == campaign_id,
                    BatchReport.replaced.is_(False),
                )
                .distinct()
            )
        )
        rows = await self.session.execute(
            select(Role.person_id, Role.district_id, District.name)
            .join(Account, _attached_account(Role.person_id))
            .join(District, District.id == Role.district_id)
            .where(
                Role.role == "district",
                Account.unreachable.is_(False),
                Role.district_id.in_(sorted(approved)),
            )
            .distinct()
            .order_by(Role.person_id, Role.district_id)
        )
        reviewers = [
            DistrictReviewer(person_id=p, district_id=d, label=name) for p, d, name in rows
        ]
        return BatchFacts(reviewers=reviewers, approved=approved, reported=reported)
