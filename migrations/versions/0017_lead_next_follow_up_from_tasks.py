"""leads.next_follow_up_on is read from the lead's open follow-up tasks: recompute the stored values

The column used to keep what the lead form was given, and went stale when its task was done or moved.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "UPDATE leads SET next_follow_up_on = (SELECT MIN(follow_ups.due_on) FROM follow_ups "
        "WHERE follow_ups.lead_id = leads.id AND follow_ups.done_at IS NULL)"
    )


def downgrade() -> None:
    pass  # the recomputed dates are as good as the old ones
