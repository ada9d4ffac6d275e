"""Alembic environment: migrations run on the connection ``store.migrate`` hands over (under the
ingest run lock), or, for ``alembic revision --autogenerate`` during development, on the URL in
``$CHAMPIONS_DB_URL``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from settings import database_url
from store.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(database_url(None))
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata,
                          render_as_batch=conn.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()


run()
