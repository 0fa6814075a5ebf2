"""privacy: encrypted personal fields, ID-number hash, purge mark, consent history, key check

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-29 10:00:00.000000

Plain-text personal data already in the database is encrypted here with the
configured key (storage.crypto); without a key the migration refuses rather
than leave it readable. A fresh database holds none, so it needs no key yet.

On SQLite the column types change by add/copy/drop/rename, never by
rebuilding the table: with foreign keys on, dropping `application` would
cascade into photos and the audit trail.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import storage.models
from bot.texts import ops as ops_texts
from storage import crypto


# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

APPLICATION_TEXT = ('id_number', 'health', 'mobile', 'home_address', 'office_phone', 'emergency_phone')


def upgrade() -> None:
    """Upgrade schema."""
    bind = op.get_bind()
    keyring = crypto.current_keyring()
    # Before any DDL: SQLite runs DDL outside the transaction, so a refusal must come first.
    _refuse_plaintext_without_key(bind, keyring)
    # The JSON type stored Python None as the JSON text 'null'; SQL NULL says the same, unencrypted.
    op.execute("UPDATE application_event SET changes = NULL WHERE CAST(changes AS TEXT) = 'null'")

    op.create_table('consent_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('notice_sha256', sa.String(length=64), nullable=True),
    sa.Column('at', storage.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_record'))
    )
    with op.batch_alter_table('consent_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_record_person_id'), ['person_id'], unique=False)

    op.create_table('consent_notice',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('first_used_at', storage.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_consent_notice'))
    )
    op.create_table('keycheck',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('token', sa.Text(), nullable=False),
    sa.Column('index_check', sa.String(length=64), nullable=False),
    sa.Column('updated_at', storage.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_keycheck'))
    )

    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_campaign_id_number')
        batch_op.add_column(sa.Column('id_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('purged_at', storage.models.UTCDateTime(), nullable=True))
    for column in APPLICATION_TEXT:
        _retype_to_text(bind, 'application', column)
    _retype_to_text(bind, 'application_event', 'changes')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index('ix_application_campaign_id_hash', ['campaign_id', 'id_hash'], unique=False)

    if keyring is not None:
        _encrypt_existing(bind, keyring)


def downgrade() -> None:
    """Downgrade schema."""
    raise RuntimeError(
        "migration 0006 cannot be undone: it would write personal data back in plain text"
    )


def _refuse_plaintext_without_key(bind: sa.Connection, keyring: object) -> None:
    if keyring is not None:
        return
    conditions = ' OR '.join(f'{c} IS NOT NULL' for c in APPLICATION_TEXT)
    found = bind.execute(sa.text(f'SELECT 1 FROM application WHERE {conditions} LIMIT 1')).first()
    found = found or bind.execute(sa.text('SELECT 1 FROM photo LIMIT 1')).first()
    found = found or bind.execute(
        sa.text(
            "SELECT 1 FROM application_event WHERE changes IS NOT NULL "
            "AND CAST(changes AS TEXT) != 'null' LIMIT 1"
        )
    ).first()
    if found:
        raise crypto.CryptoError(ops_texts.PLAIN_TEXT)


def _retype_to_text(bind: sa.Connection, table: str, column: str) -> None:
    if bind.dialect.name != 'sqlite':
        op.alter_column(
            table, column, type_=sa.Text(), existing_nullable=True,
            postgresql_using=f'{column}::text',
        )
        return
    op.execute(f'ALTER TABLE {table} ADD COLUMN {column}__new TEXT')
    op.execute(f'UPDATE {table} SET {column}__new = {column}')
    op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
    op.execute(f'ALTER TABLE {table} RENAME COLUMN {column}__new TO {column}')


def _encrypt_existing(bind: sa.Connection, keyring: crypto.Keyring) -> None:
    columns = ', '.join(APPLICATION_TEXT)
    for row in bind.execute(sa.text(f'SELECT id, {columns} FROM application')).mappings().all():
        values = {
            c: crypto.encrypt_text(row[c], f'application.{c}', keyring)
            for c in APPLICATION_TEXT
            if row[c] is not None
        }
        if row['id_number'] is not None:
            values['id_hash'] = crypto.blind_index(row['id_number'], keyring)
        if values:
            sets = ', '.join(f'{c} = :{c}' for c in values)
            bind.execute(sa.text(f'UPDATE application SET {sets} WHERE id = :id'), {**values, 'id': row['id']})
    for row in bind.execute(sa.text('SELECT application_id, jpeg FROM photo')).all():
        bind.execute(
            sa.text('UPDATE photo SET jpeg = :jpeg WHERE application_id = :id'),
            {'jpeg': crypto.encrypt_bytes(bytes(row.jpeg), 'photo.jpeg', keyring), 'id': row.application_id},
        )
    events = bind.execute(sa.text('SELECT id, changes FROM application_event WHERE changes IS NOT NULL'))
    for row in events.all():
        bind.execute(
            sa.text('UPDATE application_event SET changes = :changes WHERE id = :id'),
            {'changes': crypto.encrypt_text(row.changes, 'application_event.changes', keyring), 'id': row.id},
        )
