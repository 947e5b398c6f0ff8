#!/usr/bin/env python3
"""Fault drill: the portal in production mode under a steady load, through four faults.

    .venv/bin/python benchmarks/fault_drill.py [--rate 20] [--port 8093]

It starts everything it needs on loopback and private ports, and stops it all at the end:
a PostgreSQL cluster of its own (initdb in a temporary directory, port 55432; run as the
`postgres` user when started as root), a Redis of its own (port 56379), gunicorn (3 sync workers)
and a Celery worker, in production mode (DEBUG off, page cache on, `X-Forwarded-Proto: https` as
the front server sends). It never touches the machine's shared PostgreSQL or Redis.

A bounded load (`--rate` requests per second, 20 by default, from 8 client threads; tokens not
taken are dropped, so an outage does not pile requests up) mixes hub searches that the page cache
cannot answer, the home page, API lists, the change feed and application submissions (each a GET
of the form for its CSRF token, then a POST with a unique address). Phases, about 2.5 minutes:

- baseline;
- Redis outage: the drill's Redis is stopped for 15 s, then started again (empty);
- PostgreSQL restart: `pg_ctl restart -m fast` of the drill's cluster;
- worker kill: the Celery worker's process group gets SIGKILL; a new worker starts 5 s later;
- backup/restore: `manage.py backup`, then `manage.py restore` of that archive, under load.

It prints, per phase, the requests, the errors (5xx and timeouts) and the submissions: accepted,
refused, and lost (accepted, yet missing at the end). Submissions made after the backup was taken
and before the restore finished are reverted by the restore by design: they are counted apart.
Then the acknowledgement e-mails recorded for accepted applications, and what the restore said.
"""

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import queue
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_PORT, REDIS_PORT = 55432, 56379
COHORT = "fault-drill"
WORDS = ["care", "economy", "workers", "policy", "social", "solidarity", "rights", "leave",
         "الرعاية", "العمل", "سياسات", "التضامني"]  # fmt: skip


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        sys.exit("PostgreSQL's initdb was not found under /usr/lib/postgresql.")
    return found[-1].parent


def _as_postgres(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Record:
    phase: str
    kind: str
    status: int  # 0: timeout or connection error
    started: float
    ended: float
    email: str = ""


class Stack:
    """The services of the drill, each started and stopped by it."""

    def __init__(self, scratch: Path, port: int):
        self.scratch, self.port = scratch, port
        self.pg = _pg_bin()
        self.data = scratch / "pgdata"
        self.procs: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"https://127.0.0.1:{port}",
            "SECURE_SSL_REDIRECT": "false",
            "S4C_ENV_FILE": "/dev/null",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/s4c_drill",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # Every client of the drill comes from 127.0.0.1: the per-address limit would refuse
            # all but the first five submissions of the hour (and the API its 121st read a minute).
            "APPLICATION_RATE_LIMIT": "1000000",
            "API_ANON_RATE": "100000/minute",
            # The worker kill's unacknowledged task comes back within the drill, not after
            # production's 15 minutes; the tasks' limits stay below it, as check --deploy asks.
            "CELERY_VISIBILITY_TIMEOUT": "30",
            "TASK_TIME_LIMIT": "25",
            "TASK_SOFT_TIME_LIMIT": "20",
            "TASK_LONG_TIME_LIMIT": "25",
            "TASK_LONG_SOFT_TIME_LIMIT": "20",
            "LOG_LEVEL": "WARNING",
            "REQUEST_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("S4C_TESTING", None)

    def _log(self, name: str):
        return open(self.scratch / f"{name}.log", "ab")  # kept open by the process it is given to

    # PostgreSQL: a private cluster
    def postgres_init(self) -> None:
        self.data.mkdir()
        (self.scratch / "sock").mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
            shutil.chown(self.scratch / "sock", "postgres")
            os.chmod(self.scratch, 0o755)
        # fmt: off
        subprocess.run(
            _as_postgres([str(self.pg / "initdb"), "-D", str(self.data), "-U", "postgres",
                          "-A", "trust", "-E", "UTF8", "--no-sync"]),
            check=True, stdout=subprocess.DEVNULL,
        )
        # fmt: on
        self.postgres("start")
        subprocess.run(
            [str(self.pg / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres",
             "s4c_drill"], check=True,
        )  # fmt: skip

    def postgres(self, action: str) -> None:
        options = f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -k {self.scratch / 'sock'}"
        command = [str(self.pg / "pg_ctl"), "-D", str(self.data), "-w", "-l",
                   str(self.data / "server.log"), "-o", options, action]  # fmt: skip
        if action in {"restart", "stop"}:
            command += ["-m", "fast"]
        subprocess.run(_as_postgres(command), check=True, stdout=subprocess.DEVNULL)

    # Redis: a private instance, no persistence (an outage empties it, as a crash would)
    def redis_start(self) -> None:
        self.procs["redis"] = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.scratch)],
            stdout=self._log("redis"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        for _ in range(50):
            if subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"],
                              capture_output=True, check=False).stdout.strip() == b"PONG":  # fmt: skip
                return
            time.sleep(0.1)
        raise RuntimeError("the drill's Redis did not start")

    def redis_stop(self) -> None:
        self._stop("redis")

    def manage(self, *args: str, check=True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=self.env,
            capture_output=True, text=True, check=check,
        )  # fmt: skip

    def gunicorn_start(self) -> None:
        self.procs["gunicorn"] = subprocess.Popen(
            [str(BIN / "gunicorn"), "s4c.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "3", "--timeout", "30", "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=self._log("gunicorn"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def worker_start(self) -> None:
        self.procs["worker"] = subprocess.Popen(
            [str(BIN / "celery"), "-A", "s4c", "worker", "--loglevel=info", "--concurrency=2"],
            cwd=ROOT, env=self.env, stdout=self._log("worker"), stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the kill takes the pool too
        )  # fmt: skip

    def worker_kill(self) -> None:
        process = self.procs.pop("worker")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def _stop(self, name: str) -> None:
        process = self.procs.pop(name, None)
        if process is None or process.poll() is not None:
            return
        if name == "worker":
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop_all(self) -> None:
        for name in ("gunicorn", "worker", "redis"):
            self._stop(name)
        if (self.data / "postmaster.pid").exists():
            self.postgres("stop")


class Load:
    """A bounded load: `rate` tokens a second shared by 8 threads; tokens nobody takes are dropped."""

    def __init__(self, port: int, rate: float):
        self.port, self.rate = port, rate
        self.tokens: queue.Queue = queue.Queue(maxsize=max(1, int(rate)))
        self.stop = threading.Event()
        self.phase = "setup"
        self.records: list[Record] = []
        self.lock = threading.Lock()

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            base = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
            connection.request(method, path, body=body, headers={**base, **(headers or {})})
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def _record(self, kind, started, status, email=""):
        with self.lock:
            self.records.append(Record(self.phase, kind, status, started, time.time(), email))

    def _submit(self) -> None:
        phase_started = time.time()
        form = f"/en/learning/{COHORT}/apply/"
        try:
            status, headers, body = self.request("GET", form)
        except OSError:
            self._record("form", phase_started, 0)
            return
        self._record("form", phase_started, status)
        cookie = next(
            (v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and "csrftoken" in v),
            None,
        )
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not cookie or not token:
            self._record("submit", time.time(), status or 0)  # cannot even try: refused
            return
        email = f"drill-{uuid.uuid4().hex[:12]}@example.org"
        fields = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "name": "Drill Participant",
            "email": email,
            "country": "JO",
            "organisation": "Ministry of Labour",
            "constituency": "government",
            "working_languages": "Arabic, English",
            "motivation": "A submission made by the fault drill, to check that none is lost.",
            "website": "",
        }
        started = time.time()
        try:
            status, headers, _ = self.request(
                "POST",
                form,
                body=urlencode(fields),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie,
                    "Origin": f"https://127.0.0.1:{self.port}",
                    "Referer": f"https://127.0.0.1:{self.port}{form}",
                },
            )
        except OSError:
            status = 0
        self._record("submit", started, status, email)

    def _one(self) -> None:
        roll = random.random()
        if roll < 0.15:
            self._submit()
            return
        if roll < 0.55:
            path = f"/en/hub/?q={random.choice(['care', 'economy', 'policy'])}&n={random.random()}"
        elif roll < 0.65:
            path = "/ar/hub/?q=" + "%20".join(quote(random.choice(WORDS)) for _ in range(2))
        elif roll < 0.8:
            path = random.choice(["/en/", "/ar/", "/en/learning/", "/en/action-plan/"])
        elif roll < 0.92:
            path = "/api/v1/resources/?page_size=20"
        else:
            path = "/api/v1/changes/"
        started = time.time()
        try:
            status = self.request("GET", path)[0]
        except OSError:
            status = 0
        self._record("page", started, status)

    def _client(self) -> None:
        while not self.stop.is_set():
            try:
                self.tokens.get(timeout=0.5)
            except queue.Empty:
                continue
            self._one()

    def _ticker(self) -> None:
        interval = 1 / self.rate
        next_tick = time.time()
        while not self.stop.is_set():
            # The clients all busy (an outage) drop the tick: the load stays bounded.
            with contextlib.suppress(queue.Full):
                self.tokens.put_nowait(1)
            next_tick += interval
            time.sleep(max(0.0, next_tick - time.time()))

    def start(self) -> None:
        self.threads = [threading.Thread(target=self._client, daemon=True) for _ in range(8)]
        self.threads.append(threading.Thread(target=self._ticker, daemon=True))
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=15)


def _wait_http(port: int, path="/healthz", timeout=60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
            connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the portal did not answer {path} in {timeout} s")


SETUP = f"""
import datetime as dt
from django.utils import timezone
from learning.models import Cohort
Cohort.objects.update_or_create(slug="{COHORT}", defaults=dict(
    name_en="Fault drill cohort", name_ar="Fault drill cohort", year=2030,
    status=Cohort.Status.OPEN, applications_open_at=timezone.now() - dt.timedelta(days=1),
    applications_close_at=timezone.now() + dt.timedelta(days=30)))
"""

CHECK = """
import json
from core.models import OutboxTask
from learning.models import Application, SentEmail
from partners.models import ChangeEvent, FeedEpoch
emails = json.load(open("{path}"))
present = set(Application.objects.filter(email__in=emails).values_list("email", flat=True))
acknowledged = set(SentEmail.objects.filter(application__email__in=emails)
                   .values_list("application__email", flat=True))
# What the database says of each application still without its e-mail: when it was submitted,
# and its acknowledgement task's outbox row (times as Unix seconds, to compare with the phases).
def stamp(value):
    return value.timestamp() if value else None
waiting = {{}}
for application in Application.objects.filter(email__in=present - acknowledged):
    rows = OutboxTask.objects.filter(task_name="learning.send_acknowledgement",
                                     kwargs__application_id=application.pk)
    waiting[application.email] = {{
        "submitted_at": stamp(application.submitted_at),
        "acknowledged_at": stamp(application.acknowledged_at),
        "outbox": [{{"pk": r.pk, "created_at": stamp(r.created_at), "sent_at": stamp(r.sent_at),
                     "completed_at": stamp(r.completed_at), "attempts": r.attempts,
                     "last_error": r.last_error}} for r in rows]}}
print("DRILL-RESULT", json.dumps({{"present": sorted(present), "acknowledged": sorted(acknowledged),
                  "waiting": waiting, "epoch": FeedEpoch.current(),
                  "max_event": ChangeEvent.objects.order_by("-id").values_list("id", flat=True)
                  .first()}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second (20)")
    parser.add_argument("--port", type=int, default=8093)
    options = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="s4c-drill-"))
    stack = Stack(scratch, options.port)
    load = Load(options.port, options.rate)
    marks: dict[str, float] = {}
    notes: dict[str, str] = {}
    try:
        print(f"setting up in {scratch} …", flush=True)
        stack.postgres_init()
        stack.redis_start()
        stack.manage("migrate", "--noinput", "-v0")
        stack.manage("load_south4care")
        stack.manage("collectstatic", "--noinput", "-v0")
        stack.manage("shell", "-c", SETUP)
        stack.gunicorn_start()
        stack.worker_start()
        _wait_http(options.port)
        _wait_http(options.port, f"/en/learning/{COHORT}/apply/")
        load.start()

        def phase(name: str, seconds: float, events: list) -> None:
            load.phase = name
            started = time.time()
            for at, action in events:
                time.sleep(max(0.0, started + at - time.time()))
                action()
            time.sleep(max(0.0, started + seconds - time.time()))

        def stamp(name):
            return lambda: marks.__setitem__(name, time.time())

        phase("baseline", 20, [])
        phase("redis outage", 30, [(3, stack.redis_stop), (18, stack.redis_start)])
        phase("postgres restart", 20, [(3, lambda: stack.postgres("restart"))])
        phase("worker kill", 20, [(3, stack.worker_kill), (8, stack.worker_start)])

        archive = scratch / "drill-backup.tar.gz"

        def feed_cursor():
            status, _, body = load.request("GET", "/api/v1/changes/")
            notes["cursor_before"] = json.loads(body)["next"] if status == 200 else ""

        def backup():
            marks["backup_started"] = time.time()
            result = stack.manage("backup", "--output", str(archive))
            marks["backup_ended"] = time.time()
            notes["backup"] = result.stdout.strip()
            notes["archive_mode"] = oct(archive.stat().st_mode & 0o777)

        def restore():
            marks["restore_started"] = time.time()
            result = stack.manage("restore", str(archive), "--noinput", check=False)
            marks["restore_ended"] = time.time()
            notes["restore"] = (result.stdout + result.stderr).strip()

        def old_cursor():
            status, _, _ = load.request("GET", f"/api/v1/changes/?since={notes['cursor_before']}")
            notes["old_cursor_status"] = str(status)

        phase(
            "backup/restore",
            35,
            [(1, feed_cursor), (3, backup), (10, restore), (11, old_cursor), (12, stamp("after"))],
        )
        load.phase = "drain"
        load.finish()

        # What was lost: accepted submissions missing from the database once every queue drained.
        stack.manage("relay_outbox")
        accepted = [r for r in load.records if r.kind == "submit" and r.status == 302]
        emails_file = scratch / "emails.json"
        emails_file.write_text(json.dumps([r.email for r in accepted]))
        state = {}
        for _ in range(20):  # the worker sends the acknowledgements; give it up to ~60 s
            check = CHECK.format(path=emails_file)
            output = stack.manage("shell", "-c", check).stdout
            line = next(x for x in output.splitlines() if x.startswith("DRILL-RESULT "))
            state = json.loads(line.removeprefix("DRILL-RESULT "))
            if len(state["acknowledged"]) >= len(state["present"]):
                break
            time.sleep(3)
        present, acknowledged = set(state["present"]), set(state["acknowledged"])
        report(load, marks, notes, accepted, present, acknowledged, state)
        task_runs(scratch / "worker.log", state, marks)
        server_errors(scratch / "gunicorn.log")
    finally:
        load.stop.set()
        stack.stop_all()
        shutil.rmtree(scratch, ignore_errors=True)


def report(load, marks, notes, accepted, present, acknowledged, state) -> None:
    restored = "Restored " in notes.get("restore", "")

    def in_restore_window(record: Record) -> bool:
        # Made after the backup's snapshot and finished before the restore was over: the
        # restore takes the data back to before it, by design.
        return (
            restored
            and record.ended > marks["backup_started"]
            and record.started < marks["restore_ended"]
        )

    def reverted_by_design(record: Record) -> bool:
        return in_restore_window(record) and record.email not in present

    phases = ["baseline", "redis outage", "postgres restart", "worker kill", "backup/restore"]
    print()
    print(f"{'phase':18} {'requests':>8} {'errors':>6} {'4xx':>5} {'submitted':>9} "
          f"{'accepted':>8} {'refused':>7} {'lost':>4} {'reverted':>8}")  # fmt: skip
    totals = {"lost": 0}
    for name in phases:
        rows = [r for r in load.records if r.phase == name]
        errors = sum(1 for r in rows if r.status == 0 or r.status >= 500)
        client = sum(1 for r in rows if 400 <= r.status < 500)
        submits = [r for r in rows if r.kind == "submit"]
        ok = [r for r in submits if r.status == 302]
        reverted = [r for r in ok if reverted_by_design(r)]
        lost = [r for r in ok if r.email not in present and not in_restore_window(r)]
        totals["lost"] += len(lost)
        print(f"{name:18} {len(rows):8} {errors:6} {client:5} {len(submits):9} {len(ok):8} "
              f"{len(submits) - len(ok):7} {len(lost):4} {len(reverted):8}")  # fmt: skip
    statuses: dict[str, dict[int, int]] = {}
    for r in load.records:
        if r.phase in phases and (r.status == 0 or r.status >= 400):
            counts = statuses.setdefault(r.phase, {})
            counts[r.status] = counts.get(r.status, 0) + 1
    print("\nfailed answers by phase and status (0 = timeout or refused connection):")
    for name, counts in statuses.items():
        print(f"  {name}: {dict(sorted(counts.items()))}")
    kept = [r for r in accepted if r.email in present]
    unacknowledged = [r for r in kept if r.email not in acknowledged]
    by_phase = {}
    for r in unacknowledged:
        by_phase[r.phase] = by_phase.get(r.phase, 0) + 1
    print(f"\naccepted submissions kept: {len(kept)}; without their acknowledgement e-mail "
          f"recorded as sent: {len(unacknowledged)} {by_phase or ''}")  # fmt: skip
    zero = marks.get("backup_started")
    if unacknowledged and zero:
        print("  each of them, in seconds from the backup's start (restore ended at "
              f"{marks['restore_ended'] - zero:+.1f}):")  # fmt: skip

        def at(value):
            return "-" if value is None else f"{value - zero:+.1f}"

        for r in unacknowledged:
            row = state.get("waiting", {}).get(r.email, {})
            outbox = (
                "; ".join(
                    f"outbox created {at(o['created_at'])} relayed {at(o['sent_at'])} "
                    f"completed {at(o['completed_at'])} attempts {o['attempts']} {o['last_error']}"
                    for o in row.get("outbox", [])
                )
                or "no outbox row"
            )
            print(f"  {r.phase}: submitted {at(row.get('submitted_at'))}, "
                  f"acknowledged_at {at(row.get('acknowledged_at'))}; {outbox}")  # fmt: skip
    for key in ("backup_started", "restore_started"):
        if key in marks:
            end = marks[key.replace("started", "ended")]
            print(f"{key.split('_')[0]} took {end - marks[key]:.1f} s")
    print(f"archive mode: {notes.get('archive_mode')}")
    print(f"old cursor after the restore answered: {notes.get('old_cursor_status')}")
    print(f"feed epoch at the end: {state.get('epoch')}, highest event id {state.get('max_event')}")
    print("restore said:\n  " + notes.get("restore", "").replace("\n", "\n  "))
    print(f"\nLOST: {totals['lost']}")


def task_runs(log: Path, state: dict, marks: dict) -> None:
    """What the workers' log (level INFO) says of the tasks of the applications still without
    their e-mail: received, succeeded or failed, when (seconds from the backup's start)."""
    rows = [o["pk"] for w in state.get("waiting", {}).values() for o in w.get("outbox", [])]
    if not rows or not log.exists():
        return
    zero = marks.get("backup_started", 0)
    window = marks.get("restore_ended", zero) - zero
    lines = log.read_text(errors="replace").splitlines()
    for pk in rows:
        print(f"  worker log of task outbox-{pk}:")
        sent_in_window = False
        for line in lines:
            if f"[outbox-{pk}]" not in line:
                continue
            stamp = re.match(r"\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+)", line)
            when = None
            if stamp:
                # The worker writes the machine's local time (UTC here).
                moment = dt.datetime.strptime(stamp.group(1) + "+0000", "%Y-%m-%d %H:%M:%S,%f%z")
                when = moment.timestamp() - zero
            if when is not None and 0 <= when <= window and "succeeded" in line:
                sent_in_window = True
            shown = "" if when is None else f"{when:+.1f} "
            print(f"    {shown}{line.split('] ', 1)[-1][:160]}")
        if sent_in_window:
            # The e-mail went out; the backup's snapshot was taken before its record committed,
            # and the restore took the record back. The outbox's redelivery (beat, after
            # OUTBOX_REDELIVER_MINUTES; no beat in the drill) sends it again: twice, never none.
            print("    → sent between the backup's snapshot and the restore: its record was taken "
                  "back by the restore, by design; the outbox sends it again later")  # fmt: skip


def server_errors(log: Path) -> None:
    """The exceptions behind the 500s, from gunicorn's log (its directory is removed at the end)."""
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    causes: dict[str, int] = {}
    for number, line in enumerate(lines):
        if "Internal Server Error" in line:
            # The traceback's last line names the exception.
            tail = next(
                (
                    x
                    for x in lines[number + 1 : number + 200]
                    if re.match(r"^[\w.]+(Error|Exception)", x)
                ),
                "?",
            )
            causes[tail[:160]] = causes.get(tail[:160], 0) + 1
    print("500s by exception: " + (json.dumps(causes, ensure_ascii=False) if causes else "none"))


if __name__ == "__main__":
    main()
