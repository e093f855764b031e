import os
from typing import Annotated

import typer

from huddle.cli import (
    data_commands,
    insight_commands,
    job_commands,
    launch_commands,
    plan_commands,
)
from huddle.cli.context import cli_actor, echo_json, reports_errors, state, unit_of_work
from huddle.config import database_url_from, get_settings

app = typer.Typer(
    help="Huddle: customer evidence in, ranked user problems out.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
users_app = typer.Typer(help="Manage users.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(token_app, name="token")
data_commands.register(app)
plan_commands.register(app)
insight_commands.register(app)
job_commands.register(app)
launch_commands.register(app)


@app.callback()
def main_options(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Database: a file path or a SQLAlchemy URL.", envvar="HUDDLE_DATABASE_URL"
        ),
    ] = None,
    acting_as: Annotated[
        str | None, typer.Option("--as", help="Act as this user (email); default: the first admin.")
    ] = None,
) -> None:
    state.database_url = database_url_from(db or get_settings().database_url)
    state.acting_as = acting_as
    # Everything the process creates later (the app, jobs) must see the same database.
    os.environ["HUDDLE_DATABASE_URL"] = state.database_url
    get_settings.cache_clear()


def _serve(host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    settings = get_settings()
    typer.echo(f"Huddle is at http://{host}:{port}  (Ctrl+C stops it)")
    if workers > 1 and state.database_url.startswith("sqlite"):
        typer.echo(
            "Note: several processes on one SQLite file take turns at SQLite's own lock; "
            "PostgreSQL is the database for several server processes (README)."
        )
    uvicorn.run(
        # Each process builds its app from the settings; HUDDLE_DATABASE_URL is set above.
        "huddle.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        # A stopping server gives the requests in hand this long, then closes them.
        timeout_graceful_shutdown=max(1, round(settings.shutdown_seconds)),
    )


@app.command()
@reports_errors
def init(
    admin_email: Annotated[str, typer.Option(envvar="HUDDLE_ADMIN_EMAIL")] = "admin@example.com",
    admin_name: Annotated[str, typer.Option(envvar="HUDDLE_ADMIN_NAME")] = "Admin",
    admin_password: Annotated[
        str | None,
        typer.Option(envvar="HUDDLE_ADMIN_PASSWORD", help="Generated and printed if not given."),
    ] = None,
) -> None:
    """Create or upgrade the schema by migrating, and the first admin if there is none."""
    from huddle.auth.repository import UserRepository
    from huddle.auth.schemas import UserCreate
    from huddle.auth.service import create_user
    from huddle.migrate import upgrade
    from huddle.models.enums import Role, Team

    upgrade(state.database_url)
    with unit_of_work() as session:
        if UserRepository(session).count():
            typer.echo("Schema is up to date; users already exist, so no admin was created.")
            return
        created = create_user(
            session,
            data=UserCreate(
                email=admin_email,
                name=admin_name,
                role=Role.admin,
                team=Team.product,
                password=admin_password,
            ),
        )
    typer.echo(f"Schema is up to date. Admin: {created.user.email}")
    if created.generated:
        typer.echo(f"Password (shown once): {created.password}")


@app.command()
@reports_errors
def demo(
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve after loading.")] = True,
    seed: Annotated[int, typer.Option(help="Seed of the generated workspace.")] = 7,
    reset: Annotated[
        bool,
        typer.Option(
            "--reset", help="Erase the database even if it holds data the demo did not create."
        ),
    ] = False,
) -> None:
    """(Re)create the demo workspace, print the logins, and serve it.

    Refuses a database holding anything the demo did not create (use --db to build the
    demo elsewhere, or --reset)."""
    from sqlalchemy.engine import make_url

    from huddle.db import gather_statistics
    from huddle.demo import generator, loader
    from huddle.jobs.runner import run_until_idle
    from huddle.migrate import upgrade

    upgrade(state.database_url)
    workspace = generator.generate(seed)
    with unit_of_work() as session:
        where = make_url(state.database_url).render_as_string(hide_password=True)
        summary = loader.load(session, workspace, reset=reset, where=where)
    typer.echo(
        f"Demo workspace for {summary.company}: {summary.accounts} accounts, {summary.feedback} "
        f"pieces of evidence, {summary.problems} problems, {summary.links} links."
    )
    done = run_until_idle(state.database_url)
    with unit_of_work() as session:
        loader.remember(session)
    # The demo's rows are minutes old when it is first served: PostgreSQL's planner would
    # still see the empty tables the migrations analysed (the inbox of a segment took 0.19 s
    # of nested loops over every account per item; 3 ms with statistics).
    gather_statistics(state.database_url)
    typer.echo(f"Background work done: {done} job(s) (embeddings, themes).")
    typer.echo(f"\nSign in with any of these (password: {summary.password}):")
    for email, role, team in summary.users:
        typer.echo(f"  {email:<34} {role:<12} {team}")
    if serve:
        typer.echo("")
        _serve(host, port)


@app.command()
@reports_errors
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Server processes on this port (PostgreSQL; README: running under load).",
        ),
    ] = 1,
) -> None:
    """Serve the web app and the API (migrate first with `huddle init`)."""
    from huddle.migrate import upgrade

    upgrade(state.database_url)
    _serve(host, port, workers)


@users_app.command("create")
@reports_errors
def users_create(
    email: Annotated[str, typer.Option()],
    name: Annotated[str, typer.Option()],
    role: Annotated[str, typer.Option(help="admin, pm, contributor or viewer")] = "contributor",
    team: Annotated[
        str,
        typer.Option(help="product, sales, support, engineering, marketing, finance, leadership"),
    ] = "product",
    password: Annotated[
        str | None, typer.Option(help="Generated and printed if not given.")
    ] = None,
) -> None:
    """Add a user."""
    from pydantic import ValidationError

    from huddle.auth.schemas import UserCreate
    from huddle.auth.service import create_user

    try:
        data = UserCreate(email=email, name=name, role=role, team=team, password=password)
    except ValidationError as error:
        first = error.errors()[0]
        raise typer.BadParameter(f"{first['loc'][0]}: {first['msg']}") from None
    with unit_of_work() as session:
        created = create_user(session, data=data, actor=cli_actor(session))
    typer.echo(f"Created {created.user.email} ({created.user.role}, {created.user.team})")
    if created.generated:
        typer.echo(f"Password (shown once): {created.password}")


@users_app.command("list")
@reports_errors
def users_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List users."""
    from huddle.auth.repository import UserRepository

    with unit_of_work() as session:
        rows = [
            {
                "id": u.id,
                "email": u.email,
                "name": u.name,
                "role": u.role,
                "team": u.team,
                "active": u.is_active,
            }
            for u in UserRepository(session).all()
        ]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        typer.echo(
            f"{row['id']:>4}  {row['email']:<34} {row['role']:<12} {row['team']:<12} {'' if row['active'] else 'inactive'}"
        )


@token_app.command("create")
@reports_errors
def token_create(
    email: Annotated[str, typer.Option(help="The user the token acts as.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "cli",
    scope: Annotated[str, typer.Option(help="full, or ingest (may only add evidence)")] = "full",
) -> None:
    """Issue an API token; it is printed once and stored only as a hash."""
    from huddle.auth.repository import UserRepository
    from huddle.auth.service import issue_token
    from huddle.errors import Invalid, NotFound
    from huddle.models.enums import TokenScope

    if scope not in {s.value for s in TokenScope}:
        raise Invalid(f"unknown scope {scope!r}: use full or ingest")
    with unit_of_work() as session:
        user = UserRepository(session).by_email(email)
        if user is None:
            raise NotFound(f"no user {email}")
        _, secret = issue_token(session, user=user, name=name, scope=TokenScope(scope), actor=None)
    typer.echo(secret)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
