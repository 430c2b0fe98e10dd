"""Add dyad_totals: events per pair of countries, kind and status over all years (reports without dates).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 21:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create dyad_totals and fill it from dyad_counts."""
    op.create_table(
        "dyad_totals",
        sa.Column("country_a", sa.String(length=3), nullable=False),
        sa.Column("country_b", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=True),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("country_a", "country_b", "kind", "status", name=op.f("pk_dyad_totals")),
    )
    op.create_index("ix_dyad_totals_b", "dyad_totals", ["country_b", "country_a"])
    op.execute(
        "INSERT INTO dyad_totals (country_a, country_b, kind, status, events, first_date, last_date) "
        "SELECT country_a, country_b, kind, status, SUM(events), MIN(first_date), MAX(last_date) "
        "FROM dyad_counts GROUP BY country_a, country_b, kind, status"
    )


def downgrade() -> None:
    """Drop dyad_totals."""
    op.drop_index("ix_dyad_totals_b", table_name="dyad_totals")
    op.drop_table("dyad_totals")
