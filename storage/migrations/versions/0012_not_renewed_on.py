"""expert.not_renewed_on: 不予续聘 decided, effective at the term's end

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 12:00:00.000000

不予续聘 moved the expert to `ended` the day it was decided, although the term
runs to its last day (notice § 四(四), (五)). The decision is now recorded on
the expert with its day; the standing moves when the term is over.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('expert', schema=None) as batch_op:
        batch_op.add_column(sa.Column('not_renewed_on', sa.Date(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('expert', schema=None) as batch_op:
        batch_op.drop_column('not_renewed_on')
