"""downloads: one-time download links for exports (EXPORT_DELIVERY=link)

Revision ID: 0007
Revises: 0001
Create Date: 2026-12-01 10:00:00.000000

The file waits encrypted (storage.crypto.EncryptedBytes) until the link is
used or expires; only the SHA-256 of the token is stored.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import storage.models


# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # SQLite runs DDL outside the transaction: when a sibling head (0006) refuses in the
    # same upgrade, this table stays behind unstamped, so the retry must find it harmless.
    if 'download_token' in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table('download_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('requester_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('expires_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('used_at', storage.models.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_download_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_download_token_token_hash'))
    )
    with op.batch_alter_table('download_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_download_token_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('download_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_download_token_expires_at'))
    op.drop_table('download_token')
