"""`huddle worker` works the background queue; `huddle jobs` shows it and retries a failure."""

import signal
from types import FrameType
from typing import Annotated

import typer

from huddle.cli.context import echo_json, reports_errors, state, unit_of_work
from huddle.kit.text import truncate
from huddle.kit.time import utcnow

jobs_app = typer.Typer(
    help="The background queue: what waits, what runs, what failed, and the schedules.",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    app.command()(worker)
    app.add_typer(jobs_app, name="jobs")


@reports_errors
def worker(
    once: Annotated[
        bool, typer.Option(help="Queue what the schedules say is due, run what is queued, stop.")
    ] = False,
) -> None:
    """Work the background queue (as many workers as you like, on any machine that reaches
    the database; the server also works it in-process unless HUDDLE_RUN_JOBS_INLINE=false)."""
    from huddle.jobs.runner import Worker

    runner = Worker.from_settings(state.database_url)
    if once:
        typer.echo(f"{runner.run_until_idle(schedules=True)} job(s) done")
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        runner.stopping.set()
        # A second signal stops at once; the job in hand runs again when its lease expires.
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    typer.echo("Working the queue (Ctrl+C or SIGTERM stops after the job in hand)…")
    runner.work()
    typer.echo("Stopped.")


@jobs_app.callback()
@reports_errors
def status(
    context: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """How many jobs wait, run, are done and failed, per task; the schedules; recent failures."""
    if context.invoked_subcommand is not None:
        return
    from huddle.jobs.runner import load_tasks
    from huddle.jobs.service import queue_status

    load_tasks()
    with unit_of_work() as session:
        report = queue_status(session, now=utcnow())
    if as_json:
        echo_json(report.model_dump(mode="json"))
        return
    typer.echo(f"{'task':<32} {'queued':>7} {'running':>8} {'done':>7} {'failed':>7}")
    for row in report.tasks:
        typer.echo(f"{row.task:<32} {row.queued:>7} {row.running:>8} {row.done:>7} {row.failed:>7}")
    if not report.tasks:
        typer.echo("(no jobs)")
    typer.echo(
        f"{report.waiting_to_retry} queued to retry after a failure; {report.expired_leases} "
        "running on an expired lease (their worker stopped; the next worker takes them over)"
    )
    typer.echo(f"\n{'schedule':<32} {'every':>7}  {'next run (UTC)':<19}  last queued (UTC)")
    for item in report.schedules:
        every = _period(item.every_seconds) if item.every_seconds else "(gone)"
        last = f"{item.last_enqueued_at:%Y-%m-%d %H:%M:%S}" if item.last_enqueued_at else "never"
        typer.echo(f"{item.name:<32} {every:>7}  {item.next_run_at:%Y-%m-%d %H:%M:%S}  {last}")
    if not report.schedules:
        typer.echo("(none stored yet: a worker stores them when it starts)")
    if report.failed:
        typer.echo("\nfailed, latest first (`huddle jobs retry ID` queues one again):")
    for job in report.failed:
        reason = job.error.strip().splitlines()[-1] if job.error.strip() else "no error stored"
        typer.echo(f"  #{job.id} {job.task}, {job.attempts} attempt(s): {truncate(reason, 100)}")


@jobs_app.command("retry")
@reports_errors
def retry(job_id: Annotated[int, typer.Argument(help="The id of a failed job.")]) -> None:
    """Queue a failed job again, with all its attempts."""
    from huddle.jobs.service import retry_job

    with unit_of_work() as session:
        retry_job(session, job_id=job_id, now=utcnow())
    typer.echo(f"Job {job_id} is queued again.")


def _period(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"
