from huddle.migrate import pending_differences


def test_models_and_migrations_agree(database_url: str) -> None:
    """The `alembic check` of CI: a model change without its migration fails here."""
    assert pending_differences(database_url) == []


def test_a_deleted_rows_id_is_never_handed_out_again(database_url: str) -> None:
    """An old link to a deleted problem, suggestion or item must never open another one
    (SQLite reuses the largest rowid unless the table is AUTOINCREMENT)."""
    from sqlalchemy import delete, insert, select

    from huddle.db import session_scope
    from huddle.kit.time import utcnow
    from huddle.models import Base, Feedback, Problem, Theme

    rows = {
        Problem: {"title": "p", "description": "", "status": "new", "updated_at": utcnow()},
        Theme: {"label": "t", "terms": [], "status": "open", "rejected_members": [], "details": {}},
        Feedback: {
            "text": "f",
            "source": "call",
            "origin": "x",
            "occurred_at": utcnow(),
            "tags": [],
        },
    }
    with session_scope(database_url) as session:
        for model, values in rows.items():
            values = {**values, "created_at": utcnow()}
            session.execute(insert(model).values(**values))
            first = session.scalar(select(model.id).order_by(model.id.desc()).limit(1))
            session.execute(delete(model).where(model.id == first))
            session.execute(insert(model).values(**values))
            second = session.scalar(select(model.id).order_by(model.id.desc()).limit(1))
            assert second is not None and first is not None and second > first, model
    assert Base.metadata.tables["problems"].kwargs["sqlite_autoincrement"]
