"""Key meetings and agreements by their sides, so the writer finds merge candidates through an index.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 00:50:00

`meetings.sides_key` and `agreements.sides_key` hold the sorted sides of the record ("c:IRN|c:VEN"; a
side is "c:<ISO3>" or "g:<org code>"), indexed with kind and date. Finding the meetings a new report may be
the same as then reads only that pair's meetings of the month, not every meeting of the month with two
lookups each, a cost that grew with the archive. Existing rows are filled from their participants and
parties.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5_000


def _fill(table: str, rows: sa.CursorResult[tuple[int, str | None, str | None]]) -> None:
    """Set `sides_key` of each record from its (record id, country, org) rows."""
    sides: dict[int, set[str]] = defaultdict(set)
    for record_id, country, org in rows:
        if country:
            sides[record_id].add(f"c:{country}")
        elif org:
            sides[record_id].add(f"g:{org}")
    update = sa.text(f"UPDATE {table} SET sides_key = :key WHERE id = :id")
    values = [{"id": record_id, "key": "|".join(sorted(found))} for record_id, found in sorted(sides.items())]
    for start in range(0, len(values), BATCH):
        op.get_bind().execute(update, values[start : start + BATCH])


def upgrade() -> None:
    """Add the columns and their indexes, and fill them for the records already stored."""
    # Plain ALTER TABLE, also on SQLite: a batch copy of these tables would cascade-delete their children.
    for table in ("meetings", "agreements"):
        op.add_column(table, sa.Column("sides_key", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_meetings_kind_sides_key_date", "meetings", ["kind", "sides_key", "date"])
    op.create_index("ix_agreements_sides_key_date", "agreements", ["sides_key", "date"])
    conn = op.get_bind()
    _fill("meetings", conn.execute(sa.text("SELECT meeting_id, country, org FROM meeting_participants")))
    _fill("agreements", conn.execute(sa.text("SELECT agreement_id, country, org FROM agreement_parties")))


def downgrade() -> None:
    """Drop the indexes and the columns."""
    op.drop_index("ix_agreements_sides_key_date", table_name="agreements")
    op.drop_index("ix_meetings_kind_sides_key_date", table_name="meetings")
    for table in ("agreements", "meetings"):
        op.drop_column(table, "sides_key")  # SQLite 3.35 and newer drop a column in place
