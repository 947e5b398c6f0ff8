import io
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from s4c.backup import _dump_data
from s4c.models import SiteText

pytestmark = pytest.mark.django_db(transaction=True)


def _media_snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_backup_and_restore_round_trip_the_whole_data_set_and_media(settings, tmp_path):
    call_command("load_south4care", stdout=io.StringIO())
    text = SiteText.objects.get(key="partners")
    text.title_en = "Our partners"
    text.save()  # a history row and a stale Arabic translation, both must survive
    media = Path(settings.MEDIA_ROOT)
    (media / "organisations").mkdir(parents=True)
    (media / "organisations" / "ilo-logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (media / "resources").mkdir()
    (media / "resources" / "report.pdf").write_bytes(b"%PDF-1.7 a report")
    before_data, before_media = _dump_data(), _media_snapshot(media)

    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())

    SiteText.objects.all().delete()
    Group.objects.create(name="Intruders")
    (media / "resources" / "report.pdf").unlink()
    (media / "stray.txt").write_text("not in the backup")

    call_command("restore", archive, interactive=False, stdout=io.StringIO())

    after_data = _dump_data()
    if after_data != before_data:  # show the first differing line, not megabytes of XML
        diff = next(
            (b, a)
            for b, a in zip(before_data.splitlines(), after_data.splitlines(), strict=False)
            if b != a
        )
        raise AssertionError(diff)
    assert _media_snapshot(media) == before_media
    assert SiteText.objects.get(key="partners").stale_languages() == ["ar"]


def test_restore_refuses_an_archive_with_path_traversal(tmp_path):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        payload = b"owned"
        info = tarfile.TarInfo("media/../../etc/evil")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    with pytest.raises(CommandError, match="unexpected entry"):
        call_command("restore", archive, interactive=False, stdout=io.StringIO())


def test_restore_refuses_a_file_that_is_not_an_archive(tmp_path):
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_text("hello")
    with pytest.raises(CommandError, match="not a readable backup"):
        call_command("restore", bogus, interactive=False, stdout=io.StringIO())
