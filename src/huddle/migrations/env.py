from alembic import context
from sqlalchemy import Connection

from huddle.config import get_settings
from huddle.db import get_engine
from huddle.migrate import modelled
from huddle.models import Base

config = context.config
target_metadata = Base.metadata


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=modelled,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    with get_engine(url).connect() as fresh:
        run(fresh)
        fresh.commit()


main()
