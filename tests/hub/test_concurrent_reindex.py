"""Themes renamed and deleted while curators edit the resources that carry them (real PostgreSQL,
several writers on their own connections): no deadlock, no duplicate key, and afterwards every
published resource has exactly its search document, with what it now says."""

import threading
import time

import pytest
from django.db import IntegrityError, connection, connections

from core.permissions import SYSTEM
from hub import services
from hub.models import Resource, Theme

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 3
SECONDS = 6


def _documents_match_resources() -> tuple[list, list]:
    from importlib import import_module

    sql = import_module("hub.migrations.0003_search_document")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {sql.SYNC_COLUMNS} FROM hub_resource r WHERE {sql.PUBLIC} "
            f"EXCEPT ALL SELECT {sql.DOCUMENT_COLUMNS} FROM hub_search_document"
        )
        missing = cursor.fetchall()
        cursor.execute(
            f"SELECT {sql.DOCUMENT_COLUMNS} FROM hub_search_document EXCEPT ALL "
            f"SELECT {sql.SYNC_COLUMNS} FROM hub_resource r WHERE {sql.PUBLIC}"
        )
        extra = cursor.fetchall()
    return missing, extra


def test_renames_and_deletes_of_themes_never_deadlock_with_edits(make_resource, admin_user):
    themes = [
        Theme.objects.create(slug=f"t{n}", name_en=f"Theme {n}", name_ar=f"موضوع {n}")
        for n in range(4)
    ]
    resources = [
        make_resource(
            f"Care report {n}", f"تقرير الرعاية {n}", themes=themes[n % 2 :: 2] + themes[:1]
        )
        for n in range(40)
    ]
    errors: list[BaseException] = []
    counts = {"renames": 0, "deletes": 0, "edits": 0, "refused": 0}
    deadline = time.monotonic() + SECONDS

    def guarded(work):
        def run():
            passes = 0
            try:
                # At least one whole pass each, however slow the machine: then until the deadline.
                while not errors and (not passes or time.monotonic() < deadline):
                    try:
                        work()
                        passes += 1
                    except IntegrityError as error:
                        # An edit that links a theme another writer just deleted is refused: the
                        # curator's form says so. Anything else (a duplicate document) is a bug.
                        if "hub_theme" not in str(error):
                            raise
                        counts["refused"] += 1
            except BaseException as error:  # noqa: BLE001 - the test reports every failure
                errors.append(error)
            finally:
                connections.close_all()

        return run

    def rename():
        for theme in Theme.objects.order_by("?")[:2]:
            theme.name_en = f"{theme.name_en.split(' #')[0]} #{counts['renames']}"
            services.theme_save(theme=theme, actor=admin_user)
            services.theme_reindex(theme_id=theme.pk, actor=SYSTEM, batch_size=7)
            counts["renames"] += 1

    def delete_and_recreate():
        theme = Theme.objects.order_by("?").first()
        if theme is None:
            return
        carriers = list(theme.resources.values_list("pk", flat=True))
        services.theme_delete(theme=theme, actor=admin_user)
        services.reindex_resources(ids=carriers, actor=SYSTEM, batch_size=7)
        fresh = Theme.objects.create(
            slug=f"{theme.slug}-{counts['deletes']}", name_en=theme.name_en, name_ar=theme.name_ar
        )
        for resource in Resource.objects.filter(pk__in=carriers[::2]):
            services.resource_save(
                resource=resource, actor=admin_user, themes=[*resource.themes.all(), fresh]
            )
        counts["deletes"] += 1

    def edit(offset):
        def work():
            for resource in Resource.objects.filter(
                pk__in=[r.pk for r in resources[offset::WRITERS]]
            ):
                resource.title_en = f"{resource.title_en.split(' (')[0]} ({counts['edits']})"
                services.resource_save(
                    resource=resource, actor=admin_user, themes=Theme.objects.order_by("?")[:2]
                )
                counts["edits"] += 1

        return work

    threads = [
        threading.Thread(target=guarded(rename)),
        threading.Thread(target=guarded(delete_and_recreate)),
    ]
    threads += [threading.Thread(target=guarded(edit(n))) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS + 60)
    assert not errors, errors
    assert counts["renames"]
    assert counts["deletes"]
    assert counts["edits"] >= len(resources)
    assert _documents_match_resources() == ([], [])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT resource_id) FROM hub_search_document")
        total, distinct = cursor.fetchone()
    assert total == distinct == Resource.objects.published().count()
