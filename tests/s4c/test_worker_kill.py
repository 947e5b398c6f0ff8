"""A worker killed in the middle of a task: the task runs again and its effect happens once.

Real processes: a Celery worker (prefork pool) started as a subprocess on the test database and
the test Redis, sending real e-mail over SMTP to a small SMTP server on loopback run here. The
SMTP server holds the first message (it never answers its DATA command), so the worker waits
inside the transaction that records the send; the test SIGKILLs the process running it, and the
e-mail must then arrive exactly once. The production code knows nothing of this.
"""

import contextlib
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.models import OutboxTask
from learning.models import Application, Cohort, SentEmail
from s4c.celery import app
from tests.learning.conftest import make_application

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(180),
]

VISIBILITY_TIMEOUT = 4  # seconds before a message of a vanished worker is handed out again
# Seconds a webhook attempt holds its delivery: longer than a killed task takes to come back on a
# loaded machine; the test ends the lease itself (as time would) instead of waiting for it.
WEBHOOK_LEASE = 60


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's backend: EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self._reply("220 localhost test SMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 localhost")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self._reply("250 OK")
            elif verb == "DATA" and self.server.hold_this_one():
                # The sender waits for our answer inside its transaction, until it is killed.
                self.server.held.set()
                while self.rfile.readline():
                    pass
                return
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.server.messages.append((recipients, b"".join(data).decode()))
                self._reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")


class _SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.messages: list[tuple[list[str], str]] = []
        self.held = threading.Event()  # the first message is being held
        self._lock = threading.Lock()

    def hold_this_one(self) -> bool:
        """True for the first message only: later ones (the task run again) are delivered."""
        with self._lock:
            first = not self.held.is_set()
            self.held.set()
            return first


@pytest.fixture
def smtp_server():
    server = _SMTPServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _database_url() -> str:
    db = connection.settings_dict  # NAME is pytest-django's test database here
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(condition, *, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"timed out after {timeout}s waiting for {what}\n--- worker log ---\n{tail}")


@pytest.fixture
def workers(transactional_db, smtp_server, tmp_path):
    """Starts real Celery workers as subprocesses (each in its own process group); the finalizer
    ends every one of them, gently then by force, so a failing test leaves nothing running."""
    queue = f"s4c-kill-test-{uuid.uuid4().hex[:8]}"  # a message left behind by a failed run
    started: list[subprocess.Popen] = []  # can never reach a later run's workers
    env = {
        **os.environ,
        "S4C_TESTING": "1",
        "DEBUG": "true",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CONN_MAX_AGE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.server_address[1]),
        "EMAIL_USE_TLS": "false",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "WEBHOOK_LEASE_SECONDS": str(WEBHOOK_LEASE),
        "WEBHOOK_ALLOW_HTTP": "true",
        "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true",  # the receiver is on 127.0.0.1
        # A held POST waits for the kill, not for the read time-out.
        "WEBHOOK_READ_TIMEOUT": "120",
    }

    def start(name: str) -> tuple[subprocess.Popen, Path]:
        log = tmp_path / f"{name}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "s4c",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                f"--hostname={name}@%h",
                f"--queues={queue}",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(process)
        return process, log

    def stop(process: subprocess.Popen, *, sig=signal.SIGTERM, timeout: float = 15) -> None:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        # The pool's children share the group: make sure none survives its parent.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    yield type(
        "Workers",
        (),
        {
            "queue": queue,
            "start": staticmethod(start),
            "stop": staticmethod(stop),
        },
    )
    for process in started:
        stop(process, timeout=5)
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(queue)


def _application_waiting_for_acknowledgement() -> tuple[Application, OutboxTask]:
    cohort = Cohort.objects.create(slug="kill-test", name_en="Kill test cohort", year=2027)
    application = make_application(cohort, "killed@example.org", name="Nadia Salem")
    row = OutboxTask.objects.create(
        task_name="learning.send_acknowledgement", kwargs={"application_id": application.pk}
    )
    return application, row


def _send(row: OutboxTask, queue: str, *, task_id: str | None = None):
    # As core.outbox.send does, with the message id derived from the row; on this test's queue.
    return app.send_task(
        row.task_name, kwargs=row.kwargs, task_id=task_id or f"outbox-{row.pk}", queue=queue
    )


def _pool_process(held: threading.Event, worker: subprocess.Popen, log: Path) -> int:
    """Once a test server holds the task's request (the SMTP server, a webhook receiver): the
    worker's pool process, its one child (concurrency 1)."""
    _wait_for(held.is_set, timeout=60, what="the task to start sending", log=log)
    children = set()
    for task in Path(f"/proc/{worker.pid}/task").iterdir():
        children |= {int(pid) for pid in (task / "children").read_text().split()}
    [child] = children
    return child


def test_a_pool_process_killed_mid_task_runs_it_again_and_mails_once(workers, smtp_server):
    application, row = _application_waiting_for_acknowledgement()
    worker, log = workers.start("killpool")
    result = _send(row, workers.queue)
    child = _pool_process(smtp_server.held, worker, log)
    assert child != worker.pid  # the pool process, not the worker's main process
    # Mid-task: the marker row is not committed and nothing reached the mail server.
    assert (SentEmail.objects.count(), smtp_server.messages) == (0, [])

    os.kill(child, signal.SIGKILL)
    killed_at = time.monotonic()

    # The main process sees its child die and puts the message back (acks late, reject on
    # worker lost); a fresh pool process runs it again, to completion.
    assert result.get(timeout=60) is True
    assert worker.poll() is None  # the worker itself survived
    assert time.monotonic() - killed_at < 60
    [(recipients, message)] = smtp_server.messages
    assert recipients == ["killed@example.org"]
    assert "Subject: We received your application to Kill test cohort" in message
    assert list(SentEmail.objects.values_list("key", "recipient")) == [
        (f"acknowledgement:{application.pk}", "killed@example.org")
    ]
    application.refresh_from_db()
    assert application.acknowledged_at is not None
    assert "WorkerLostError" in log.read_text(errors="replace")


def test_a_worker_killed_whole_mid_task_leaves_it_to_the_next_worker(workers, smtp_server):
    _application, row = _application_waiting_for_acknowledgement()
    first, first_log = workers.start("killall")
    result = _send(row, workers.queue)
    child = _pool_process(smtp_server.held, first, first_log)
    delivered_at = time.monotonic()
    # The machine dies: main process and pool process at once, nothing acknowledged or requeued.
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    _wait_for(lambda: not Path(f"/proc/{child}").exists(), timeout=10, what="the child to die")
    assert (SentEmail.objects.count(), smtp_server.messages) == (0, [])

    # Start a worker again once the unacknowledged message is due to be handed out again.
    time.sleep(max(0.0, delivered_at + VISIBILITY_TIMEOUT + 0.5 - time.monotonic()))
    second, _second_log = workers.start("restarted")
    assert result.get(timeout=60) is True
    [(recipients, _message)] = smtp_server.messages
    assert recipients == ["killed@example.org"]

    # The relay sends the same row again (a race): the task runs, and sends nothing more.
    duplicate = _send(row, workers.queue, task_id=f"outbox-{row.pk}-again")
    assert duplicate.get(timeout=30) is False
    assert len(smtp_server.messages) == 1
    assert SentEmail.objects.count() == 1
    assert second.poll() is None


def test_a_worker_killed_mid_webhook_delivery_leaves_it_to_the_sweep_and_delivers_once(
    workers, monkeypatch
):
    """The pool process is killed mid-attempt: it claimed the delivery and sent its POST, which
    the partner's server holds unanswered (as a server that hangs before handling it would), then
    drops. The message comes back at once but the lease holds the delivery; once the lease is
    over the sweep hands it out again, and the partner handles the event once, with the same
    event id (its key for duplicates)."""
    import core.outbox
    from partners.models import WebhookAttempt, WebhookDelivery
    from partners.webhooks import TASK, retry_due
    from tests.api.test_webhooks import Receiver, _endpoint, _publish

    receiver = Receiver([200], hold_first=True)
    try:
        _endpoint(receiver)
        # The first attempt is sent below on this test's queue, not by the outbox to the default one.
        monkeypatch.setattr(core.outbox, "send", lambda *, row_id: False)
        _publish()
        delivery = WebhookDelivery.objects.get()

        worker, log = workers.start("killpost")
        first = app.send_task(TASK, kwargs={"delivery_id": delivery.pk}, queue=workers.queue)
        child = _pool_process(receiver.held, worker, log)
        delivery.refresh_from_db()
        assert delivery.attempts == 1  # claimed: the lease runs

        os.kill(child, signal.SIGKILL)
        receiver.release.set()  # the held request is dropped, never handled
        # Given back by the worker's main process and run again: the lease says not yet.
        assert first.get(timeout=60) == "not due"
        assert receiver.requests == []

        # The lease over, the beat's sweep (s4c.retry_webhooks) sends it again, here on this
        # test's queue.
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        sent = []
        original = app.send_task
        monkeypatch.setattr(
            app,
            "send_task",
            lambda name, **options: (
                sent.append(original(name, **{**options, "queue": workers.queue})) or sent[-1]
            ),
        )
        assert retry_due(grace=timedelta(0)) == 1
        assert sent[0].get(timeout=60) == "delivered"

        [dropped] = receiver.dropped
        [request] = receiver.requests
        assert request["headers"]["X-S4C-Attempt"] == "2"
        assert request["headers"]["X-S4C-Event-Id"] == dropped["headers"]["X-S4C-Event-Id"]
        delivery.refresh_from_db()
        assert delivery.status == WebhookDelivery.Status.DELIVERED
        assert WebhookAttempt.objects.filter(delivery=delivery).count() == 1
        # A late duplicate message (a second sweep, a redelivery) posts nothing more.
        again = original(TASK, kwargs={"delivery_id": delivery.pk}, queue=workers.queue)
        assert again.get(timeout=30) == "not due"
        assert len(receiver.requests) == 1
        assert worker.poll() is None
    finally:
        receiver.stop()
