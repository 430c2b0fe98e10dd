"""Index meeting_participants by (meeting_id, official_id), so reports read who met whom from the index alone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 22:25:00

The official network (a self-join on meeting_id) and officials counted over chosen meetings (`--kind`,
`--since`) read (meeting_id, official_id) pairs for hundreds of thousands of meetings; without a covering
index every pair costs a table row lookup.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the covering index."""
    op.create_index(
        "ix_meeting_participants_meeting_official", "meeting_participants", ["meeting_id", "official_id"]
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_meeting_participants_meeting_official", table_name="meeting_participants")
