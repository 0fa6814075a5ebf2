"""accounts: a person has the project's own id; Telegram ids live in `account` only

Revision ID: 0009
Revises: 0002, 0004, 0005, 0006, 0007, 0008
Create Date: 2026-12-01 19:00:00.000000

Until now a person's id was their Telegram user id, and every column that
names someone held that number. This revision (issue #16):

- numbers persons 1, 2, 3… in the order they were met, and makes one
  `telegram` account per person from the old id, with the username and the
  unreachable mark that lived on `person`;
- meets everyone named anywhere but never stored as a person (an admin from
  the settings who granted a role, say) as a person too, so no reference is lost;
- rewrites every column that named a Telegram id (roles, applications,
  events, reminders and their keys, nudges, invites, consent records, reports,
  the access log, download links) to the person id, and card messages to
  the account whose chat holds them;
- merges the branch heads, so later revisions have one parent.
"""
from datetime import UTC, datetime
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import storage.models


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = ('0002', '0004', '0005', '0006', '0007', '0008')
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PERSON_COLUMNS = (
    ('role', 'person_id'),
    ('role', 'granted_by'),
    ('application', 'person_id'),
    ('application_event', 'actor_id'),
    ('reminder', 'recipient_id'),
    ('nudge_log', 'actor_id'),
    ('invite', 'created_by'),
    ('invite', 'used_by'),
    ('consent_record', 'person_id'),
    ('batch_report', 'reported_by'),
    ('access_log', 'actor_id'),
    ('download_token', 'requester_id'),
)
"""Every column that held a Telegram user id and now holds a person id."""

PERSON_FOREIGN_KEYS = (
    ('role', 'fk_role_person_id_person'),
    ('application', 'fk_application_person_id_person'),
    ('account', 'fk_account_person_id_person'),
)
"""Dropped on PostgreSQL while ids change (SQLite's are off during the migration); `account`'s
too, since its rows get the new ids while `person` still has the old ones."""

KEY_RECIPIENT_FIELD = {'r': 4, 'x': 1, 'n': 3, 'e': 3}
"""Where the recipient sits in a reminder key (bot.domain.reminders, bot.services.reminders,
bot.services.campaigns: `e` for a deadline extended)."""


def _create_tables() -> None:
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('chat_id', sa.String(length=64), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('unreachable', sa.Boolean(), nullable=False),
    sa.Column('last_seen_at', storage.models.UTCDateTime(), nullable=True),
    sa.Column('attached_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('detached_at', storage.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_account_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account'))
    )
    op.create_index(op.f('ix_account_person_id'), 'account', ['person_id'], unique=False)
    op.create_index('uq_account_attached', 'account', ['channel', 'external_id'], unique=True,
                    sqlite_where=sa.text('detached_at IS NULL'),
                    postgresql_where=sa.text('detached_at IS NULL'))
    op.create_table('person_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.BigInteger(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('at', storage.models.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_event_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_event'))
    )
    op.create_index(op.f('ix_person_event_person_id'), 'person_event', ['person_id'], unique=False)
    op.create_table('rebind',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('for_account_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('expires_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', storage.models.UTCDateTime(), nullable=True),
    sa.Column('used_by_account_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', storage.models.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['for_account_id'], ['account.id'], name=op.f('fk_rebind_for_account_id_account')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_rebind_person_id_person')),
    sa.ForeignKeyConstraint(['used_by_account_id'], ['account.id'], name=op.f('fk_rebind_used_by_account_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rebind')),
    sa.UniqueConstraint('secret_hash', name=op.f('uq_rebind_secret_hash'))
    )
    op.create_index(op.f('ix_rebind_person_id'), 'rebind', ['person_id'], unique=False)


def _people(bind: sa.Connection, now: datetime) -> dict[int, int]:
    """Old (Telegram) id -> new person id; a person for everyone named anywhere."""
    person = sa.table('person', sa.column('id', sa.BigInteger()), sa.column('full_name', sa.String()),
                      sa.column('unreachable', sa.Boolean()),
                      sa.column('created_at', storage.models.UTCDateTime()))
    known = {r.id: r for r in bind.execute(sa.select(person.c.id, person.c.created_at))}
    named: set[int] = set()
    for table, column in (*PERSON_COLUMNS, ('card_message', 'chat_id')):
        col = sa.column(column)
        named.update(bind.execute(sa.select(col).select_from(sa.table(table, col)).where(col.isnot(None)).distinct()).scalars())
    strangers = sorted(named - set(known))
    if strangers:
        event = sa.table('application_event', sa.column('actor_id'), sa.column('actor_name'), sa.column('id'))
        names = dict(bind.execute(sa.select(event.c.actor_id, event.c.actor_name).where(
            event.c.actor_id.in_(strangers)).order_by(event.c.id)).all())
        bind.execute(sa.insert(person), [
            {'id': old, 'full_name': names.get(old) or '', 'unreachable': False, 'created_at': now}
            for old in strangers
        ])
        known.update({old: None for old in strangers})
    first_met = sorted(known, key=lambda old: (known[old].created_at if known[old] else now, old))
    return {old: new for new, old in enumerate(first_met, start=1)}


def _accounts(bind: sa.Connection, renumber: dict[int, int], now: datetime) -> dict[int, int]:
    """One telegram account per person, from what `person` held; old id -> account id."""
    person = sa.table('person', sa.column('id', sa.BigInteger()), sa.column('full_name', sa.String()),
                      sa.column('username', sa.String()), sa.column('unreachable', sa.Boolean()),
                      sa.column('created_at', storage.models.UTCDateTime()))
    account = sa.table('account', *(sa.column(c, t) for c, t in (
        ('id', sa.Integer()), ('person_id', sa.BigInteger()), ('channel', sa.String()),
        ('external_id', sa.String()), ('chat_id', sa.String()), ('username', sa.String()),
        ('display_name', sa.String()), ('unreachable', sa.Boolean()),
        ('last_seen_at', storage.models.UTCDateTime()), ('attached_at', storage.models.UTCDateTime()),
        ('detached_at', storage.models.UTCDateTime()))))
    rows = bind.execute(sa.select(person)).all()
    if not rows:
        return {}
    bind.execute(sa.insert(account), [
        {
            'person_id': renumber[r.id], 'channel': 'telegram', 'external_id': str(r.id),
            'chat_id': str(r.id), 'username': r.username, 'display_name': r.full_name or '',
            'unreachable': bool(r.unreachable), 'last_seen_at': None,
            'attached_at': r.created_at or now, 'detached_at': None,
        }
        for r in rows
    ])
    return {int(r.external_id): r.id for r in bind.execute(sa.select(account.c.id, account.c.external_id))}


RENUMBER = sa.table('person_renumber', sa.column('old_id'), sa.column('new_id'))


def _rewrite(bind: sa.Connection, table: str, column: str) -> None:
    """Rewrites `column` through `person_renumber` in two passes (negated first), so no value
    collides with another on the way."""
    col = sa.column(column)
    t = sa.table(table, col)
    new_id = (
        sa.select(RENUMBER.c.new_id).where(RENUMBER.c.old_id == col).scalar_subquery()
    )
    bind.execute(sa.update(t).where(col.in_(sa.select(RENUMBER.c.old_id))).values({column: -new_id}))
    bind.execute(sa.update(t).where(col < 0).values({column: -col}))


def _rewrite_reminder_keys(bind: sa.Connection, renumber: dict[int, int]) -> None:
    """A reminder's key names its recipient: rewritten, so nothing already sent goes again."""
    reminder = sa.table('reminder', sa.column('id'), sa.column('key'))
    for row in bind.execute(sa.select(reminder.c.id, reminder.c.key)).all():
        parts = row.key.split(':')
        field = KEY_RECIPIENT_FIELD.get(parts[0])
        if field is None or len(parts) <= field or not parts[field].lstrip('-').isdigit():
            continue
        parts[field] = str(renumber.get(int(parts[field]), int(parts[field])))
        if parts[0] == 'x' and parts[-1].isdigit():
            parts[-1] = str(renumber.get(int(parts[-1]), int(parts[-1])))
        bind.execute(sa.update(reminder).where(reminder.c.id == row.id).values(key='#' + ':'.join(parts)))
    bind.execute(sa.update(reminder).where(reminder.c.key.like('#%')).values(
        key=sa.func.substr(reminder.c.key, 2)))


def upgrade() -> None:
    """Upgrade schema."""
    bind = op.get_bind()
    postgres = bind.dialect.name == 'postgresql'
    now = datetime.now(UTC)
    _create_tables()
    if postgres:
        for table, name in PERSON_FOREIGN_KEYS:
            op.drop_constraint(name, table, type_='foreignkey')
    renumber = _people(bind, now)
    accounts = _accounts(bind, renumber, now)

    op.create_table('person_renumber',
    sa.Column('old_id', sa.BigInteger(), primary_key=True),
    sa.Column('new_id', sa.BigInteger(), nullable=False),
    )
    if renumber:
        bind.execute(sa.insert(RENUMBER), [{'old_id': o, 'new_id': n} for o, n in renumber.items()])
    _rewrite(bind, 'person', 'id')
    for table, column in PERSON_COLUMNS:
        _rewrite(bind, table, column)
    _rewrite_reminder_keys(bind, renumber)
    op.drop_table('person_renumber')
    account_ids = {old: accounts[old] for old in renumber}

    with op.batch_alter_table('card_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account_id', sa.Integer(), nullable=True))
    _copy_card_accounts(bind, account_ids)
    with op.batch_alter_table('card_message', schema=None) as batch_op:
        batch_op.alter_column('account_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('uq_card_message_chat', type_='unique')
        batch_op.drop_column('chat_id')
        batch_op.create_unique_constraint('uq_card_message_account', ['account_id', 'message_id'])
        batch_op.create_index(batch_op.f('ix_card_message_account_id'), ['account_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_card_message_account_id_account'), 'account', ['account_id'], ['id'])

    if postgres:
        op.drop_column('person', 'username')
        op.drop_column('person', 'unreachable')
        # A sequence the column owns, as BIGSERIAL makes (an IDENTITY column is reported as a
        # difference from the models by the lowest Alembic the project allows).
        op.execute('CREATE SEQUENCE person_id_seq OWNED BY person.id')
        op.execute("ALTER TABLE person ALTER COLUMN id SET DEFAULT nextval('person_id_seq')")
        op.execute(f"SELECT setval(pg_get_serial_sequence('person', 'id'), {max(renumber.values(), default=0) + 1}, false)")
        for table, name in PERSON_FOREIGN_KEYS:
            op.create_foreign_key(name, table, 'person', ['person_id'], ['id'])
    else:
        with op.batch_alter_table('person', schema=None, recreate='always',
                                  table_kwargs={'sqlite_autoincrement': True}) as batch_op:
            batch_op.drop_column('username')
            batch_op.drop_column('unreachable')
            batch_op.alter_column('id', existing_type=sa.BigInteger(), type_=sa.Integer(),
                                  autoincrement=True)


def _copy_card_accounts(bind: sa.Connection, account_ids: dict[int, int]) -> None:
    card = sa.table('card_message', sa.column('chat_id'), sa.column('account_id'))
    for old, account_id in account_ids.items():
        bind.execute(sa.update(card).where(card.c.chat_id == old).values(account_id=account_id))


def downgrade() -> None:
    """Downgrade schema: not supported; restore the backup taken before upgrading."""
    raise NotImplementedError('0009 renumbers people; restore the backup taken before it')
