"""Add the views researchers query, the aggregate tables reports read, and PostgreSQL's read-only role.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 21:20:00

Views (columns in the README): `events`, `event_countries`, `dyad_events`, `dyad_years`, `official_meetings`.
Aggregate tables `event_facts`, `event_dyads`, `dyad_counts`, `kind_counts` are filled here from the rows an
archive already holds, then kept current by `bilateral.store.aggregates.refresh_events`.

On PostgreSQL a NOLOGIN role named `bilateral_ro_<md5 of database and schema>` gets USAGE on the schema and
SELECT on its tables and views (also on tables later revisions create). `bilateral sql` finds it by its
privileges (so a copy of a template database keeps using its template's role) and switches to it inside a READ
ONLY transaction. Roles are cluster-wide: the name is derived per database and schema, creation is guarded,
so concurrent test databases never collide. Without the CREATEROLE privilege no role is made and
`bilateral sql` says how to get one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READER_ROLE_SQL = "'bilateral_ro_' || substr(md5(current_database() || '/' || current_schema()), 1, 16)"
"""The read-only role's name, as SQL (bilateral.reports.sql computes it with the same expression)."""

VIEWS = ("official_meetings", "dyad_years", "dyad_events", "event_countries", "events")


def _year(column: str) -> str:
    """Return SQL for the year of a date column (NULL when the date is)."""
    if op.get_bind().dialect.name == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def _create_views() -> None:
    """Create the views (one row per event, per event and country, per event and pair, ...)."""
    op.execute(
        "CREATE VIEW events AS "
        "SELECT 'meeting' AS event, m.id AS event_id, m.kind AS kind, NULL AS type, m.status AS status, "
        f"m.date AS date, m.date_precision AS date_precision, {_year('m.date')} AS year, m.place AS place, "
        "m.place_country AS place_country, m.confidence AS confidence FROM meetings m "
        "UNION ALL "
        "SELECT 'agreement', a.id, 'agreement', a.type, a.status, a.date, a.date_precision, "
        f"{_year('a.date')}, a.place, a.place_country, a.confidence FROM agreements a"
    )
    op.execute(
        "CREATE VIEW event_countries AS "
        "SELECT DISTINCT 'meeting' AS event, p.meeting_id AS event_id, COALESCE(p.country, o.country) AS country "
        "FROM meeting_participants p LEFT JOIN officials o ON o.id = p.official_id "
        "WHERE COALESCE(p.country, o.country) IS NOT NULL "
        "UNION "
        "SELECT 'agreement', ap.agreement_id, ap.country FROM agreement_parties ap WHERE ap.country IS NOT NULL"
    )
    op.execute(
        "CREATE VIEW dyad_events AS "
        "SELECT e.event, e.event_id, x.country AS country_a, y.country AS country_b, e.kind, e.type, e.status, "
        "e.date, e.date_precision, e.year "
        "FROM events e "
        "JOIN event_countries x ON x.event = e.event AND x.event_id = e.event_id "
        "JOIN event_countries y ON y.event = e.event AND y.event_id = e.event_id AND x.country < y.country"
    )
    op.execute(
        "CREATE VIEW dyad_years AS "
        "SELECT year, country_a, country_b, "
        "SUM(CASE WHEN kind = 'meeting' THEN events ELSE 0 END) AS meetings, "
        "SUM(CASE WHEN kind = 'call' THEN events ELSE 0 END) AS calls, "
        "SUM(CASE WHEN kind = 'visit' THEN events ELSE 0 END) AS visits, "
        "SUM(CASE WHEN kind = 'agreement' THEN events ELSE 0 END) AS agreements "
        "FROM dyad_counts "
        "WHERE year > 0 AND status IN ('occurred', 'signed', 'reached', 'implemented') "
        "GROUP BY year, country_a, country_b"
    )
    op.execute(
        "CREATE VIEW official_meetings AS "
        "SELECT p.official_id, o.name, COALESCE(p.country, o.country) AS country, p.title, p.role, "
        "m.id AS meeting_id, m.kind, m.status, m.date, m.date_precision, m.place, m.place_country "
        "FROM meeting_participants p JOIN officials o ON o.id = p.official_id "
        "JOIN meetings m ON m.id = p.meeting_id"
    )


def _create_tables() -> None:
    """Create the aggregate tables and their indexes."""
    op.create_table(
        "event_facts",
        sa.Column("event", sa.String(length=10), nullable=False),
        sa.Column("event_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("event", "event_id", name=op.f("pk_event_facts")),
    )
    op.create_index("ix_event_facts_kind_status_year_date", "event_facts", ["kind", "status", "year", "date"])
    op.create_table(
        "event_dyads",
        sa.Column("event", sa.String(length=10), nullable=False),
        sa.Column("event_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("country_a", sa.String(length=3), nullable=False),
        sa.Column("country_b", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("event", "event_id", "country_a", "country_b", name=op.f("pk_event_dyads")),
    )
    op.create_index(
        "ix_event_dyads_pair_kind",
        "event_dyads",
        ["country_a", "country_b", "kind", "status", "year", "date"],
    )
    op.create_index("ix_event_dyads_b", "event_dyads", ["country_b", "country_a"])
    op.create_index("ix_event_dyads_date", "event_dyads", ["date"])
    op.create_table(
        "dyad_counts",
        sa.Column("country_a", sa.String(length=3), nullable=False),
        sa.Column("country_b", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=True),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint(
            "country_a", "country_b", "kind", "status", "year", name=op.f("pk_dyad_counts")
        ),
    )
    op.create_index("ix_dyad_counts_b", "dyad_counts", ["country_b", "country_a"])
    op.create_table(
        "kind_counts",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=True),
        sa.Column("last_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("kind", "status", "year", name=op.f("pk_kind_counts")),
    )


def _fill_tables() -> None:
    """Count what the archive already holds (the same rows refresh_events keeps current)."""
    op.execute(
        "INSERT INTO event_facts (event, event_id, kind, status, year, date) "
        "SELECT event, event_id, kind, status, COALESCE(year, 0), date FROM events"
    )
    op.execute(
        "INSERT INTO event_dyads (event, event_id, country_a, country_b, kind, status, year, date) "
        "SELECT event, event_id, country_a, country_b, kind, status, COALESCE(year, 0), date FROM dyad_events"
    )
    op.execute(
        "INSERT INTO dyad_counts (country_a, country_b, kind, status, year, events, first_date, last_date) "
        "SELECT country_a, country_b, kind, status, year, COUNT(*), MIN(date), MAX(date) FROM event_dyads "
        "GROUP BY country_a, country_b, kind, status, year"
    )
    op.execute(
        "INSERT INTO kind_counts (kind, status, year, events, first_date, last_date) "
        "SELECT kind, status, year, COUNT(*), MIN(date), MAX(date) FROM event_facts GROUP BY kind, status, year"
    )


def _create_reader_role() -> None:
    """Make the read-only role for this database and schema, when the migrating user may create roles."""
    op.execute(
        f"""
DO $$
DECLARE
    reader text := {READER_ROLE_SQL};
    may_create boolean;
BEGIN
    SELECT rolsuper OR rolcreaterole INTO may_create FROM pg_roles WHERE rolname = current_user;
    IF NOT may_create THEN
        RAISE NOTICE 'bilateral: % may not create roles; bilateral sql needs the role %', current_user, reader;
        RETURN;
    END IF;
    BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT', reader);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
    END;
    EXECUTE format('GRANT %I TO %I', reader, current_user);
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), reader);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), reader);
    EXECUTE format(
        'ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO %I', current_schema(), reader
    );
END
$$
"""
    )


def _drop_reader_role() -> None:
    """Revoke the read-only role's grants here and drop it unless another database (a copy) still uses it."""
    op.execute(
        r"""
DO $$
DECLARE
    reader text;
BEGIN
    FOR reader IN
        SELECT r.rolname FROM pg_roles r
        WHERE r.rolname LIKE 'bilateral\_ro\_%' AND NOT r.rolsuper
          AND has_table_privilege(r.oid, format('%I.%I', current_schema(), 'meetings'), 'SELECT')
    LOOP
        EXECUTE format(
            'ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE SELECT ON TABLES FROM %I', current_schema(), reader
        );
        EXECUTE format('DROP OWNED BY %I', reader);
        BEGIN
            EXECUTE format('DROP ROLE %I', reader);
        EXCEPTION WHEN dependent_objects_still_exist THEN
            NULL;
        END;
    END LOOP;
END
$$
"""
    )


def upgrade() -> None:
    """Create the views and aggregate tables, count the archive's rows, and make the read-only role."""
    _create_tables()
    _create_views()
    _fill_tables()
    if op.get_bind().dialect.name == "postgresql":
        _create_reader_role()


def downgrade() -> None:
    """Drop the read-only role, the aggregate tables and the views."""
    if op.get_bind().dialect.name == "postgresql":
        _drop_reader_role()
    for view in VIEWS:
        op.execute(f"DROP VIEW {view}")
    for table in ("kind_counts", "dyad_counts", "event_dyads", "event_facts"):
        op.drop_table(table)
