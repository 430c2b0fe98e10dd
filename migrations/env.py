"""Alembic environment: migrate the archive named by --db / $BILATERAL_DATABASE_URL / the default.

`bilateral` passes an open connection in ``config.attributes["connection"]``. The `alembic` command line
takes the URL from ``-x db=URL``, else ``sqlalchemy.url``, else the same place as the CLI
($BILATERAL_DATABASE_URL, else sqlite:///bilateral.db).
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from bilateral.store.engine import database_url, make_engine
from bilateral.store.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("connection") is None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
target_metadata = Base.metadata


def _url() -> str:
    """Return the URL to migrate when alembic is run from the command line."""
    x_db = context.get_x_argument(as_dictionary=True).get("db")
    return database_url(x_db or config.get_main_option("sqlalchemy.url"))


def _run(connection: Connection) -> None:
    """Run the migrations on one connection."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """Emit the migrations as SQL without a database."""
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=_url().startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run the migrations on the connection bilateral gave, else on a new one."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
