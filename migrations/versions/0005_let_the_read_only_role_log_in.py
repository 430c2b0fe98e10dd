"""Let the read-only PostgreSQL role log in, so `bilateral sql` connects as it instead of switching to it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 22:20:00

A superuser session that only `SET ROLE`s to the read-only role can leave it again from inside a query
(`set_config('role', ...)`, `RESET ROLE`, `SET SESSION AUTHORIZATION`) and read server files; a session that
logged in as the role cannot. The role stays NOSUPERUSER and holds SELECT only. Nothing happens on SQLite or
when the migrating user may not alter roles (`bilateral sql` then explains how to point BILATERAL_SQL_URL at a
read-only login).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

READER_ROLE_SQL = "'bilateral_ro_' || substr(md5(current_database() || '/' || current_schema()), 1, 16)"

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _set_login(option: str, *, own_only: bool = False) -> None:
    """Give this archive's read-only roles LOGIN or NOLOGIN, when the migrating user may alter roles.

    With `own_only`, only the role named for this database and schema is altered: a database copied from
    another one (CREATE DATABASE ... TEMPLATE) shares its source's role, and taking the login away from that
    role would break every other copy.
    """
    own = f"AND r.rolname = {READER_ROLE_SQL}" if own_only else ""
    op.execute(
        rf"""
DO $$
DECLARE
    reader text;
    may_alter boolean;
BEGIN
    SELECT rolsuper OR rolcreaterole INTO may_alter FROM pg_roles WHERE rolname = current_user;
    IF NOT may_alter THEN
        RETURN;
    END IF;
    FOR reader IN
        SELECT r.rolname FROM pg_roles r
        WHERE r.rolname LIKE 'bilateral\_ro\_%' AND NOT r.rolsuper
          AND has_table_privilege(r.oid, format('%I.%I', current_schema(), 'meetings'), 'SELECT')
          {own}
    LOOP
        EXECUTE format('ALTER ROLE %I {option}', reader);
    END LOOP;
END
$$
"""
    )


def upgrade() -> None:
    """Let the read-only role log in (PostgreSQL)."""
    if op.get_bind().dialect.name == "postgresql":
        _set_login("LOGIN")


def downgrade() -> None:
    """Take the login away again (PostgreSQL)."""
    if op.get_bind().dialect.name == "postgresql":
        _set_login("NOLOGIN", own_only=True)
