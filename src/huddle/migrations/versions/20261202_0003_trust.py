"""trust: ids never reused, idempotency namespaces, undo records, job leases and schedules

On SQLite every existing table is rebuilt AUTOINCREMENT, so that the id of a deleted row is
never handed out again (huddle.migrate runs this with foreign keys off, or dropping the old
tables would cascade).

Revision ID: 20261202_0003
Revises: 20261123_0002
Create Date: 2026-12-02 04:59:04.223606
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huddle.models.base

revision: str = "20261202_0003"
down_revision: str | None = "20261123_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


EXISTING_TABLES = (
    "users",
    "import_runs",
    "accounts",
    "contacts",
    "problems",
    "feedback",
    "feedback_links",
    "activity",
    "jobs",
    "api_tokens",
    "login_sessions",
    "login_attempts",
    "theme_runs",
    "themes",
    "theme_members",
    "theme_rejections",
)


def _never_reuse_ids() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL sequences never go back
    for table in EXISTING_TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def upgrade() -> None:
    op.create_table(
        "account_keys",
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_keys_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_runs.id"],
            name=op.f("fk_account_keys_import_id_import_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_keys")),
        sa.UniqueConstraint("external_id", name=op.f("uq_account_keys_external_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("account_keys", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_keys_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_account_keys_import_id"), ["import_id"], unique=False)
    op.create_table(
        "job_schedules",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("next_run_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_enqueued_at", huddle.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_schedules")),
    )
    op.create_table(
        "problem_merges",
        sa.Column(
            "source_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "target_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("merged_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_problem_merges")),
    )
    with op.batch_alter_table("problem_merges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_problem_merges_target_id"), ["target_id"], unique=False
        )

    op.create_table(
        "workspace_meta",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_workspace_meta")),
    )
    op.create_table(
        "import_changes",
        sa.Column(
            "import_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("row_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_runs.id"],
            name=op.f("fk_import_changes_import_id_import_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_changes")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("import_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_import_changes_import_id"), ["import_id"], unique=False
        )
        batch_op.create_index("ix_import_changes_row", ["table_name", "row_id"], unique=False)

    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("namespace", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("channel", sa.String(length=20), server_default="import", nullable=False)
        )
        batch_op.add_column(sa.Column("account_ref", sa.String(length=200), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_feedback_origin_external_id"), type_="unique")
        batch_op.create_unique_constraint(
            "uq_feedback_namespace_origin_external_id", ["namespace", "origin", "external_id"]
        )

    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column(
                "lease_expires_at", huddle.models.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("unique_key", sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_jobs_unique_key"), ["unique_key"])

    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_login_attempts_ip_at", ["ip", "at"], unique=False)

    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("curated_at", huddle.models.base.UTCDateTime(timezone=True), nullable=True)
        )

    # ### end Alembic commands ###
    # Last: a later batch rebuild of a table would drop its AUTOINCREMENT again.
    _never_reuse_ids()


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table("themes", schema=None) as batch_op:
        batch_op.drop_column("curated_at")

    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempts_ip_at")

    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_jobs_unique_key"), type_="unique")
        batch_op.drop_column("unique_key")
        batch_op.drop_column("lease_expires_at")
        batch_op.drop_column("claim_token")

    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_column("account_ref")
        batch_op.drop_constraint("uq_feedback_namespace_origin_external_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_feedback_origin_external_id"), ["origin", "external_id"]
        )
        batch_op.drop_column("channel")
        batch_op.drop_column("namespace")

    with op.batch_alter_table("import_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_import_changes_row")
        batch_op.drop_index(batch_op.f("ix_import_changes_import_id"))

    op.drop_table("import_changes")
    op.drop_table("workspace_meta")
    with op.batch_alter_table("problem_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_problem_merges_target_id"))

    op.drop_table("problem_merges")
    op.drop_table("job_schedules")
    op.drop_table("account_keys")
    # ### end Alembic commands ###
