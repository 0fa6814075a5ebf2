"""exports: batch reports to the bureau and the access log of exports and full-record views

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-28 17:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import storage.models


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('access_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.BigInteger(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('target', sa.String(length=60), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('at', storage.models.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log'))
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_log_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_log_at'), ['at'], unique=False)

    op.create_table('batch_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('reported_at', storage.models.UTCDateTime(), nullable=False),
    sa.Column('reported_by', sa.BigInteger(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('replaced', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_batch_report_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['district_id'], ['district.id'], name=op.f('fk_batch_report_district_id_district')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch_report'))
    )
    with op.batch_alter_table('batch_report', schema=None) as batch_op:
        batch_op.create_index('ix_batch_report_campaign_district', ['campaign_id', 'district_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('batch_report', schema=None) as batch_op:
        batch_op.drop_index('ix_batch_report_campaign_district')

    op.drop_table('batch_report')
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_log_at'))
        batch_op.drop_index(batch_op.f('ix_access_log_actor_id'))

    op.drop_table('access_log')
