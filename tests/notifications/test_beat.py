"""Beat's schedule holds the monthly renewal e-mail (hourly, UTC) and the letter sweep."""

from datetime import UTC, datetime, timedelta

from celery.schedules import crontab

from partnerxpress.celery import app


def entry(task: str) -> dict:
    [found] = [e for e in app.conf.beat_schedule.values() if e["task"] == task]
    return found


def test_the_renewal_e_mail_job_fires_every_hour_on_the_hour_in_utc():
    schedule = entry("renewals.tasks.digest_schedule_task")["schedule"]
    assert isinstance(schedule, crontab)
    assert app.conf.timezone == "UTC"
    assert schedule.minute == {0} and schedule.hour == set(range(24))
    assert schedule.day_of_month == set(range(1, 32))  # the task decides what is due, not beat
    last_run = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
    assert schedule.remaining_estimate(last_run) <= timedelta(hours=1)


def test_the_letter_and_e_mail_sweeps_are_scheduled():
    assert entry("contracts.tasks.letter_sweep_task")["schedule"] <= 600
    assert entry("notifications.tasks.email_sweep_task")["schedule"] <= 600


def test_every_scheduled_task_exists():
    app.loader.import_default_modules()
    for name, scheduled in app.conf.beat_schedule.items():
        assert scheduled["task"] in app.tasks, name


def test_with_the_redis_broker_unacknowledged_tasks_outlast_the_longest_retry_wait():
    from notifications.tasks import email_send_task

    options = app.conf.broker_transport_options or {}
    if app.conf.broker_url.startswith("redis"):
        longest_countdown = 600  # email_send_task backs off up to 10 minutes
        assert options["visibility_timeout"] > longest_countdown
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert email_send_task.max_retries >= 8
