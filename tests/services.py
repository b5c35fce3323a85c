"""Real outside services for tests: an SMTP server and an S3-compatible server on loopback, and a
Celery worker process."""

from __future__ import annotations

import contextlib
import email
import os
import runpy
import socket
import subprocess
import sys
import threading
import time
import uuid
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """What reached the SMTP server, parsed; `refuse` makes it answer 451 to every message."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse = False
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            return "451 4.3.0 Try again later"
        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [message for message in self.messages if address in message["To"]]

    def wait_for(self, count: int, timeout: float = 30) -> list[Message]:
        """Wait until at least `count` messages arrived (then a moment more for strays)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        return list(self.messages)


class SMTPServerOnLoopback:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    @property
    def settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
        }


class S3ServerOnLoopback:
    """moto's S3-compatible server on a free loopback port: a real HTTP server, as MinIO would be.

    Each `bucket()` is new and empty (moto keeps its buckets for the life of this process).
    """

    CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def bucket(self) -> Bucket:
        name = f"px-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return Bucket(self, name)


class Bucket:
    """One bucket of the S3 server, and the variables a deployment would set to use it."""

    def __init__(self, server: S3ServerOnLoopback, name: str) -> None:
        self.server = server
        self.name = name
        self.environment = {
            "AWS_STORAGE_BUCKET_NAME": name,
            "AWS_S3_ENDPOINT_URL": server.endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            **S3ServerOnLoopback.CREDENTIALS,
        }

    def use(self, settings, **more: str) -> None:
        """Point this process's storages at the bucket, as the settings read the variables."""
        settings.STORAGES = settings_read_with({**self.environment, **more})["STORAGES"]

    def object_keys(self) -> list[str]:
        listed = self.server.client().list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.server.client().get_object(Bucket=self.name, Key=key)["Body"].read()


def settings_read_with(environment: dict[str, str]) -> dict:
    """The settings module run afresh with these variables set, as a deployed process reads it."""
    saved = dict(os.environ)
    os.environ.update(environment)
    try:
        return runpy.run_path(str(BASE_DIR / "partnerxpress" / "settings.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_database_url() -> str:
    """DATABASE_URL of the test database this process uses, for a worker to share it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Worker:
    """A real `celery worker` process on the test database and the test broker."""

    def __init__(
        self, smtp_port: int | None, concurrency: int = 2, environment: dict | None = None
    ) -> None:
        self.smtp_port = smtp_port
        self.concurrency = concurrency
        self.environment = environment or {}  # more variables (a bucket, its own MEDIA_ROOT)
        self.process: subprocess.Popen | None = None
        self.log_path = BASE_DIR / "var" / "test-worker.log"

    def env(self) -> dict:
        env = {**os.environ, "DATABASE_URL": test_database_url(), "DJANGO_DEBUG": "true"}
        if self.smtp_port:
            env.update(
                EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(self.smtp_port), EMAIL_USE_TLS="false"
            )
        env["MEDIA_ROOT"] = str(settings.MEDIA_ROOT)
        return {**env, **self.environment}

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "partnerxpress",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={self.concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--pool=prefork",
            ],
            cwd=BASE_DIR,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited; see {self.log_path}")
            if b"ready." in self.log_path.read_bytes()[-20000:]:
                return
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready after 60 s; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and children), as a crash would."""
        if self.process and self.process.poll() is None:
            subprocess.run(["pkill", "-KILL", "-P", str(self.process.pid)], check=False)
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class DatabaseProxy:
    """A TCP proxy in front of PostgreSQL that can be cut, to play a database outage: `cut()`
    drops every connection and refuses new ones until `restore()`."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self.open = True
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            if not self.open:
                client.close()
                continue
            server = socket.create_connection(self.upstream)
            with self._lock:
                self._pairs.append((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.open = False
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for end in pair:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def restore(self) -> None:
        self.open = True

    def close(self) -> None:
        self.cut()
        self._listener.close()
