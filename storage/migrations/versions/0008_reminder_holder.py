"""reminder claims record their holder

Revision ID: 0008
Revises: 0003
Create Date: 2026-12-01 17:00:00.000000

A pass renews, marks and releases only the claims it holds (issue #17):
`reminder.claimed_by` names it.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # SQLite runs DDL outside the transaction: when a sibling head refuses in the same
    # upgrade, this column stays behind unstamped, so the retry must find it harmless.
    columns = {c['name'] for c in sa.inspect(op.get_bind()).get_columns('reminder')}
    if 'claimed_by' in columns:
        return
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=120), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_column('claimed_by')
