"""repair: 不予续聘 decided during a term, and objections left open about people out of a batch

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 13:00:00.000000

Data only; the schema does not change. Two things the code before 0012 wrote
that the code since would not have:

1. 不予续聘 decided during a term made the expert `ended` that day (and left
   their draws), though the term runs to its last day (notice § 四(四), (五);
   the expert, the unit and the letter were told 聘期届满后不再续聘 with that
   day). Such an expert is `ended` with `not_renewed_on` unset (the code since
   always sets it), and their latest `not_renew` event is dated on or before
   the last day of their latest term. The day of the decision is that event's
   (Asia/Shanghai), so nothing needed is lost:
   - the term's last day is today or later: the expert is `appointed` again,
     `not_renewed_on` is the day of the decision, the version moves on and the
     change is in their audit trail (`repair_not_renew`, from `ended` to
     `appointed`); the reminder pass after the term makes them `ended`, as for
     a decision made today. Their invitations ended that day stay ended: the
     using units were told and the reserves invited; they are drawn again
     from now on.
   - the term is over already: `ended` is right by now; `not_renewed_on` is set.
   An expert who has started another application since (a former expert may
   apply again) is left as they are: restoring them would give one person a
   running term and an application for a new one.
   A decision made after the term was over (from `due`, or from `appointed`
   before the reminder pass) acted at once then as now; `not_renewed_on` is set.

2. An objection still `open` against someone no longer in the batch is closed
   as `moot`, as the code since closes it at the moment the person leaves,
   with the same reason, by the same person, at that moment:
   - another objection against the same application was upheld (it is
     `not_accepted`): at that decision;
   - a correction of the batch (or of one correcting it) left the person out:
     at that correction's recording.
   Whichever came first; never before the objection was recorded. An objection
   against someone no correction left out, and not upheld against, stays open
   (one a correction left out stays closed even if a later correction took the
   person back, as the code since does at the correction).

Downgrade leaves the data as repaired: the old code reads it as well.
"""
from datetime import UTC, date, datetime
from typing import Sequence, Union
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TZ = ZoneInfo("Asia/Shanghai")
ACTOR = "系统（数据修复）"
RESTORED = "不予续聘于 {decided_on} 决定，聘期至 {ends_on} 届满：届满前仍在聘，届满后不再续聘。"
MOOT_UPHELD = "针对同一人的异议 #{id} 已成立，此人不再入库，本异议无需处理。"
MOOT_DROPPED = "第{corrects}批已由第{id}批更正，此人不在更正后的名单中，本异议无需处理。"
"""As bot.texts.registry says them (copied: a migration does not follow later wording)."""

expert = sa.table(
    "expert",
    sa.column("id", sa.Integer), sa.column("person_id", sa.BigInteger),
    sa.column("application_id", sa.Integer), sa.column("standing", sa.String),
    sa.column("not_renewed_on", sa.Date), sa.column("version", sa.Integer),
    sa.column("updated_at", sa.DateTime),
)  # fmt: skip
expert_term = sa.table(
    "expert_term",
    sa.column("id", sa.Integer), sa.column("expert_id", sa.Integer),
    sa.column("ends_on", sa.Date), sa.column("ended_on", sa.Date),
)  # fmt: skip
expert_event = sa.table(
    "expert_event",
    sa.column("id", sa.Integer), sa.column("expert_id", sa.Integer),
    sa.column("action", sa.String), sa.column("from_standing", sa.String),
    sa.column("to_standing", sa.String), sa.column("reason", sa.Text),
    sa.column("actor_id", sa.BigInteger), sa.column("actor_name", sa.String),
    sa.column("at", sa.DateTime),
)  # fmt: skip
application = sa.table(
    "application",
    sa.column("id", sa.Integer), sa.column("person_id", sa.BigInteger),
    sa.column("status", sa.String), sa.column("created_at", sa.DateTime),
)  # fmt: skip
meeting_batch = sa.table(
    "meeting_batch",
    sa.column("id", sa.Integer), sa.column("corrects_id", sa.Integer),
    sa.column("recorded_by", sa.BigInteger), sa.column("recorded_at", sa.DateTime),
)  # fmt: skip
meeting_batch_entry = sa.table(
    "meeting_batch_entry", sa.column("batch_id", sa.Integer), sa.column("application_id", sa.Integer)
)
publicity = sa.table("publicity", sa.column("id", sa.Integer), sa.column("batch_id", sa.Integer))
objection = sa.table(
    "objection",
    sa.column("id", sa.Integer), sa.column("publicity_id", sa.Integer),
    sa.column("application_id", sa.Integer), sa.column("outcome", sa.String),
    sa.column("reason", sa.Text), sa.column("recorded_at", sa.DateTime),
    sa.column("decided_by", sa.BigInteger), sa.column("decided_at", sa.DateTime),
)  # fmt: skip


def _local_day(at: datetime) -> date:
    """The Asia/Shanghai day of a stored (naive UTC) moment."""
    return at.replace(tzinfo=UTC).astimezone(TZ).date()


def upgrade() -> None:
    """Upgrade data."""
    connection = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    _repair_not_renewed(connection, now)
    _close_moot_objections(connection)


def _repair_not_renewed(connection: sa.Connection, now: datetime) -> None:
    today = _local_day(now)
    old = connection.execute(
        sa.select(expert.c.id, expert.c.person_id, expert.c.application_id, expert.c.version)
        .where(expert.c.standing == "ended", expert.c.not_renewed_on.is_(None))
        .order_by(expert.c.id)
    ).all()
    for row in old:
        decided_at = connection.scalar(
            sa.select(expert_event.c.at)
            .where(
                expert_event.c.expert_id == row.id,
                expert_event.c.action == "not_renew",
                expert_event.c.to_standing == "ended",
            )
            .order_by(expert_event.c.id.desc())
            .limit(1)
        )
        term = connection.execute(
            sa.select(expert_term.c.ends_on, expert_term.c.ended_on)
            .where(expert_term.c.expert_id == row.id)
            .order_by(expert_term.c.id.desc())
            .limit(1)
        ).first()
        if decided_at is None or term is None:
            continue
        decided_on = _local_day(decided_at)
        # decided during the term, which has not ended yet (nor early)
        restore = decided_on <= term.ends_on and today <= term.ends_on and term.ended_on is None
        if restore and connection.scalar(
            sa.select(sa.func.count())
            .select_from(application)
            .where(
                application.c.person_id == row.person_id,
                application.c.id != row.application_id,
                application.c.created_at > decided_at,
            )
        ):
            continue  # applied again as a former expert: left as they are
        values: dict[str, object] = {"not_renewed_on": decided_on}
        if restore:
            values |= {"standing": "appointed", "version": row.version + 1, "updated_at": now}
        connection.execute(
            sa.update(expert)
            .where(expert.c.id == row.id, expert.c.version == row.version)
            .values(**values)
        )
        if restore:
            connection.execute(
                sa.insert(expert_event).values(
                    expert_id=row.id,
                    action="repair_not_renew",
                    from_standing="ended",
                    to_standing="appointed",
                    reason=RESTORED.format(decided_on=decided_on, ends_on=term.ends_on),
                    actor_id=None,
                    actor_name=ACTOR,
                    at=now,
                )
            )


def _close_moot_objections(connection: sa.Connection) -> None:
    entries: dict[int, set[int]] = {}
    for batch_id, app_id in connection.execute(
        sa.select(meeting_batch_entry.c.batch_id, meeting_batch_entry.c.application_id)
    ):
        entries.setdefault(batch_id, set()).add(app_id)
    batches = {b.id: b for b in connection.execute(sa.select(meeting_batch))}
    correction_of = {b.corrects_id: b for b in batches.values() if b.corrects_id is not None}
    window_batch = dict(connection.execute(sa.select(publicity.c.id, publicity.c.batch_id)).all())
    status = dict(connection.execute(sa.select(application.c.id, application.c.status)).all())
    all_objections = connection.execute(sa.select(objection).order_by(objection.c.id)).all()
    upheld: dict[int, list] = {}
    for o in all_objections:
        if o.outcome == "upheld" and o.decided_at is not None:
            upheld.setdefault(o.application_id, []).append(o)

    for o in all_objections:
        if o.outcome != "open":
            continue
        causes = []  # (when, reason, by)
        if status.get(o.application_id) == "not_accepted":
            causes += [
                (u.decided_at, MOOT_UPHELD.format(id=u.id), u.decided_by)
                for u in upheld.get(o.application_id, [])
            ]
        batch = batches.get(window_batch.get(o.publicity_id))
        while batch is not None and (correction := correction_of.get(batch.id)) is not None:
            if (
                o.application_id in entries.get(batch.id, set())
                and o.application_id not in entries.get(correction.id, set())
            ):
                reason = MOOT_DROPPED.format(corrects=batch.id, id=correction.id)
                causes.append((correction.recorded_at, reason, correction.recorded_by))
                break
            batch = correction
        if not causes:
            continue
        when, reason, by = min(causes, key=lambda c: c[0])
        connection.execute(
            sa.update(objection)
            .where(objection.c.id == o.id, objection.c.outcome == "open")
            .values(
                outcome="moot", reason=reason, decided_by=by, decided_at=max(when, o.recorded_at)
            )
        )


def downgrade() -> None:
    """Downgrade: nothing to undo (the repaired data is what the old code would read too)."""
