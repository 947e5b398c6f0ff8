#!/usr/bin/env python3
"""A reference consumer of the s4c API: keeps a local copy of every public object, in SQLite.

The code a partner (such as the ILO Global Care Policy Portal) starts from. Python's standard
library only. It

1. notes the head of the change feed (`/api/v1/changes/`), *then* crawls every collection the API
   root lists, page by page through the `next` links (cursor pages);
2. replays the change feed from the cursor noted in 1: what changed during the crawl is fetched
   again, so the copy is exact even if curators were editing meanwhile; later runs only follow
   the feed from where the previous one stopped (`upsert`: fetch the object's URL and store it;
   `delete`, a 404 or a 410: remove it);
3. verifies webhooks (`verify_s4c_webhook`, as in the README) so a receiver can call `sync()`
   as soon as a signed change arrives, instead of polling;
4. re-crawls when the portal was restored from a backup: the feed then answers 409
   `feed_epoch_changed` to the stored cursor (an earlier epoch's), and the copy is rebuilt as in 1
   from the new epoch's start (the 409's `next`), dropping what the new crawl does not list.

Usage:
    python examples/mirror.py https://south4care.example.org mirror.sqlite3 [--api-key s4c_…]

Every object is stored as the API's representation of its item URL (`/api/v1/<collection>/<id>/`),
which for a few collections (plans) is richer than the list's; see `_needs_items`.
"""

import argparse
import hashlib
import hmac
import json
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
from http import HTTPStatus


class FeedEpochChanged(Exception):
    """The change feed's 409: the portal was restored from a backup since the cursor was given."""

    def __init__(self, body: dict):
        super().__init__(body.get("detail", "feed_epoch_changed"))
        self.epoch = body["epoch"]
        self.next = body["next"]  # the new epoch's start


# Tries of one request before giving up (a throttled one waits as told between them).
ATTEMPTS = 5
NOT_COLLECTIONS = {"changes", "schema", "docs"}  # what the API root lists besides collections


def verify_s4c_webhook(secret: str, headers, body: bytes, max_age: int = 300) -> bool:
    """The README's check: `headers` maps header names to values, `body` is the raw body."""
    timestamp = headers.get("X-S4C-Timestamp", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > max_age:
        return False  # missing, or older than 5 minutes: a replay
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest(headers.get("X-S4C-Signature", ""), "sha256=" + expected.hexdigest())


class Mirror:
    def __init__(self, base_url: str, path: str, *, api_key: str | None = None, timeout=30):
        self.api = base_url.rstrip("/") + "/api/v1/"
        self.api_key = api_key
        self.timeout = timeout
        self.db = sqlite3.connect(path)
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS object (
                type TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (type, id)
            );
            CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS seen_event (id TEXT PRIMARY KEY);
            """
        )

    # --- HTTP -------------------------------------------------------------------------------

    def _get(self, url: str):
        """The decoded JSON of a 200, or None for a 404/410 (the object is not public)."""
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - the operator's portal URL, http(s)
        if self.api_key:
            request.add_header("Authorization", f"Api-Key {self.api_key}")
        for attempt in range(ATTEMPTS):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - the operator's portal URL, http(s)
                    return json.loads(response.read())
            except urllib.error.HTTPError as error:
                if error.code in (404, 410):
                    return None
                if error.code == HTTPStatus.CONFLICT:
                    body = _json_or_none(error.read())
                    if isinstance(body, dict) and body.get("code") == "feed_epoch_changed":
                        raise FeedEpochChanged(body) from None
                # Throttled: wait as told, then retry.
                if error.code == HTTPStatus.TOO_MANY_REQUESTS and attempt < ATTEMPTS - 1:
                    time.sleep(float(error.headers.get("Retry-After", "1")))
                    continue
                raise
        raise RuntimeError("unreachable")

    # --- the store --------------------------------------------------------------------------

    def _state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_state(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, value))

    def _store(self, kind: str, body: dict) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO object (type, id, body) VALUES (?, ?, ?)",
            (kind, str(body["id"]), json.dumps(body, sort_keys=True, ensure_ascii=False)),
        )

    def _remove(self, kind: str, identifier: str) -> None:
        self.db.execute("DELETE FROM object WHERE type = ? AND id = ?", (kind, identifier))

    def objects(self) -> dict[tuple[str, str], dict]:
        """Everything mirrored: (type, id) → representation."""
        rows = self.db.execute("SELECT type, id, body FROM object")
        return {(kind, identifier): json.loads(body) for kind, identifier, body in rows}

    # --- syncing ----------------------------------------------------------------------------

    def sync(self) -> int:
        """Crawl on the first run, then follow the change feed; returns the changes applied.

        After a restore of the portal (the feed's 409 to the stored cursor), re-crawl from the new
        epoch's start: the objects the restore changed or removed are then right again."""
        if self._state("cursor") is None:
            self._crawl_from("0")
        applied = 0
        for _ in range(ATTEMPTS):
            try:
                return applied + self.follow_changes()
            except FeedEpochChanged as changed:
                # Another restore during the re-crawl answers 409 again: re-crawl again.
                try:
                    applied += self._crawl_from(changed.next)
                except FeedEpochChanged:
                    continue
        raise RuntimeError("the change feed kept changing epochs: try again later")

    def _crawl_from(self, start: str) -> int:
        """A full copy: the feed's head from `start`, noted *before* the crawl (nothing changed
        during it is missed), then every collection; the objects the crawl does not list are
        dropped. The copy and the cursor are committed together. Returns the objects that were
        added, changed or dropped."""
        head = self._feed_head(start)
        before = self.objects()
        try:
            self.db.execute("DELETE FROM object")
            self.crawl()
            self._set_state("cursor", head)
        except BaseException:
            self.db.rollback()  # the previous copy and cursor stay, whole
            raise
        after = self.objects()
        self.db.commit()
        return sum(before.get(key) != after.get(key) for key in before.keys() | after.keys())

    def _feed_head(self, cursor: str = "0") -> str:
        while True:
            page = self._get(f"{self.api}changes/?since={cursor}")
            if not page["results"]:
                return page["next"]
            cursor = page["next"]

    def collections(self) -> dict[str, str]:
        """Collection name → URL, as the API root lists them."""
        root = self._get(self.api)
        return {name: url for name, url in root.items() if name not in NOT_COLLECTIONS}

    def crawl(self) -> None:
        """Every object of every collection, through the cursor pages."""
        for name, url in self.collections().items():
            kind = _kind(name)
            page = self._get(_with(url, page_size="200"))
            items_differ = None
            while page is not None:
                for item in page["results"]:
                    if items_differ is None:
                        items_differ = self._needs_items(item)
                    body = self._get(item["url"]) if items_differ else item
                    if body is not None:
                        self._store(kind, body)
                page = self._get(page["next"]) if page["next"] else None

    def _needs_items(self, listed: dict) -> bool:
        """Whether this collection's item URLs say more than its list (a plan's structure)."""
        return self._get(listed["url"]) != listed

    def follow_changes(self) -> int:
        """Applies the change feed from the stored cursor; the cursor moves with each page."""
        cursor, applied = self._state("cursor"), 0
        urls = self.collections()
        while True:
            page = self._get(f"{self.api}changes/?since={cursor}")
            for change in page["results"]:
                kind, identifier = change["type"], change["id"]
                item_url = f"{urls[_collection(kind)]}{urllib.parse.quote(identifier)}/"
                body = self._get(item_url) if change["action"] == "upsert" else None
                if body is None:  # deleted, or withdrawn again since (404/410)
                    self._remove(kind, identifier)
                else:
                    self._store(kind, body)
                applied += 1
            self._set_state("cursor", page["next"])
            self.db.commit()  # the objects and the cursor together: a crash resumes cleanly
            if not page["results"]:
                return applied
            cursor = page["next"]

    def receive_webhook(self, secret: str, headers, body: bytes) -> bool:
        """A webhook receiver's work: verify, ignore a repeated event, then sync from the cursor
        (the change itself, and any missed before it). Returns False for a forged request."""
        if not verify_s4c_webhook(secret, headers, body):
            return False
        event = headers.get("X-S4C-Event-Id", "")
        if self.db.execute("SELECT 1 FROM seen_event WHERE id = ?", (event,)).fetchone():
            return True  # a retry of an event already handled
        self.sync()
        self.db.execute("INSERT INTO seen_event (id) VALUES (?)", (event,))
        self.db.commit()
        return True


def _json_or_none(raw: bytes):
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _kind(collection: str) -> str:
    return collection[:-1]  # "resources" → "resource", the change feed's `type`


def _collection(kind: str) -> str:
    return f"{kind}s"


def _with(url: str, **params) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query) + list(params.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="e.g. https://south4care.example.org")
    parser.add_argument("database", help="the SQLite file of the copy")
    parser.add_argument("--api-key", help="a partner's key (higher rate limit)")
    arguments = parser.parse_args()
    mirror = Mirror(arguments.base_url, arguments.database, api_key=arguments.api_key)
    applied = mirror.sync()
    print(f"{len(mirror.objects())} objects; {applied} change(s) applied")


if __name__ == "__main__":
    main()
