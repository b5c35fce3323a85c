"""The database goes away for a few seconds (a restart, a failover): pages and the API answer
503 "back in a moment", nothing is lost, and every e-mail is sent exactly once afterwards.

A TCP proxy between Django and PostgreSQL (tests.services.DatabaseProxy) plays the outage: it
drops every connection and refuses new ones, for this process and for a real worker alike.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from notifications.models import Email
from notifications.services import email_enqueue, email_sweep
from tests.services import DatabaseProxy, Worker

OUTAGE_SECONDS = 5


@pytest.fixture
def proxied(postgres, transactional_db):
    """Every new connection to the test database, here and in workers, goes through a proxy."""
    settings = connections.settings["default"]
    upstream = (settings.get("HOST") or "127.0.0.1", int(settings.get("PORT") or 5432))
    proxy = DatabaseProxy(upstream)
    connection.close()
    settings["HOST"], settings["PORT"] = "127.0.0.1", str(proxy.port)
    yield proxy
    proxy.close()
    connection.close()
    settings["HOST"], settings["PORT"] = upstream[0], str(upstream[1])


def test_pages_and_the_api_say_back_in_a_moment_and_then_work_again(proxied, alice, acme):
    browser = Client(raise_request_exception=False)
    browser.force_login(alice)
    caller = Client(raise_request_exception=False)
    caller.force_login(alice)
    assert browser.get(reverse("contracts:list")).status_code == 200

    proxied.cut()
    page = browser.get(reverse("contracts:list"))
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert "back in a moment" in page.content.decode()
    assert "Traceback" not in page.content.decode()
    answer = caller.get("/api/v1/systems/")
    assert answer.status_code == 503
    assert answer.json() == {"detail": "Briefly unavailable: try again in a minute."}
    assert browser.get("/healthz").status_code == 503

    proxied.restore()
    connection.close()  # the broken connection goes; the next request opens a new one
    assert browser.get(reverse("contracts:list")).status_code == 200


@pytest.mark.worker
def test_e_mails_sent_through_an_outage_go_exactly_once(proxied, smtp_server, alice):
    worker = Worker(smtp_port=smtp_server.port)  # its DATABASE_URL goes through the proxy
    worker.start()
    try:
        count = 20
        with transaction.atomic():
            for number in range(count):
                email_enqueue(
                    key=f"outage:{number}",
                    to=f"reader{number}@example.com",
                    template="access-granted",
                    context={"user": alice, "contracts_path": "/contracts/"},
                )
        smtp_server.inbox.wait_for(1, timeout=30)  # sending has begun
        proxied.cut()
        time.sleep(OUTAGE_SECONDS)
        proxied.restore()
        connection.close()
        deadline = time.monotonic() + 90
        while Email.objects.exclude(status="sent").exists() and time.monotonic() < deadline:
            email_sweep()  # what beat does every minute: re-queue what a failed task left
            time.sleep(2)
        assert Email.objects.filter(status="sent").count() == count
        messages = smtp_server.inbox.wait_for(count, timeout=5)
        ids = [message["Message-ID"] for message in messages]
        assert len(ids) == count == len(set(ids)), "an e-mail was lost or sent twice"
    finally:
        worker.stop()
