from huddle.migrate import pending_differences


def test_models_and_migrations_agree(database_url: str) -> None:
    """The `alembic check` of CI: a model change without its migration fails here."""
    assert pending_differences(database_url) == []
