"""A damaged, foreign or too new archive is refused with a clear message and exit status 2, and the site is left as it was."""

import io
import json
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from minbar.backups import archive, restoring
from tests.factories import make_article, make_image, make_section

from .conftest import fingerprint


@pytest.fixture
def sound_archive(site, archives):
    make_article(make_section(), title="مقال يبقى كما هو", cover_image=make_image())
    call_command("backup", output=archives, stdout=io.StringIO())
    (path,) = archives.glob("minbar-backup-*.tar")
    return path


def rewritten(source, destination, change):
    """Copy the tar `source` to `destination`, passing each member's (info, bytes) through `change`."""
    with tarfile.open(source) as old, tarfile.open(destination, "w", format=tarfile.PAX_FORMAT) as new:
        for info in old.getmembers():
            info, data = change(info, old.extractfile(info).read())
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return destination


def flip_a_byte_of_the_image(info, data):
    if info.name.startswith("media/"):
        data = data[:-1] + bytes([data[-1] ^ 0xFF])
    return info, data


def newer_format(info, data):
    if info.name == "manifest.json":
        manifest = json.loads(data)
        manifest["format_version"] = archive.FORMAT_VERSION + 1
        data = json.dumps(manifest).encode()
    return info, data


def unknown_migration(info, data):
    if info.name == "manifest.json":
        manifest = json.loads(data)
        manifest["migrations"]["newsroom"] = "9999_from_the_future"
        data = json.dumps(manifest).encode()
    return info, data


def foreign_tar(folder):
    path = folder / "photos.tar"
    with tarfile.open(path, "w") as tar:
        info = tarfile.TarInfo("photos/market.jpg")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"\xff\xd8\xff\xe0"))
    return path


def not_a_tar(source, folder):
    path = folder / "notes.tar"
    path.write_text("ملاحظات وليست أرشيفاً\n" * 100)
    return path


def cut(source, destination, length):
    destination.write_bytes(source.read_bytes()[:length])
    return destination


def manifest_data_offset(path):
    with tarfile.open(path) as tar:
        return tar.getmember("manifest.json").offset_data


DAMAGES = {
    "cut in the middle": (
        lambda source, folder: cut(source, folder / "cut.tar", source.stat().st_size // 2),
        archive.CUT_SHORT,
        {},
    ),
    "cut inside the manifest": (
        lambda source, folder: cut(source, folder / "cut.tar", manifest_data_offset(source) + 20),
        archive.CUT_SHORT,
        {},
    ),
    "a file that does not match its checksum": (
        lambda source, folder: rewritten(source, folder / "flipped.tar", flip_a_byte_of_the_image),
        archive.CHECKSUM_MISMATCH,
        {},
    ),
    "a tar archive of something else": (
        lambda source, folder: foreign_tar(folder),
        archive.NO_MANIFEST,
        {},
    ),
    "not a tar archive": (
        not_a_tar,
        archive.NOT_A_TAR,
        {},
    ),
    "a manifest from a newer format": (
        lambda source, folder: rewritten(source, folder / "newer.tar", newer_format),
        archive.NEWER_FORMAT,
        {"found": archive.FORMAT_VERSION + 1, "supported": archive.FORMAT_VERSION},
    ),
    "a database from a newer Minbar": (
        lambda source, folder: rewritten(source, folder / "future.tar", unknown_migration),
        restoring.UNKNOWN_MIGRATION,
        {"migration": "9999_from_the_future", "app": "newsroom"},
    ),
}


def expected_parts(message, path, values):
    """The message's text around the member's name, which the test does not know in full (a generated file name)."""
    return str(message % {"path": path, "member": "\x00", **values}).split("\x00")


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_bad_archive_is_refused_even_with_force_and_nothing_changes(damage, site, sound_archive, archives):
    make_damaged, message, values = DAMAGES[damage]
    damaged = make_damaged(sound_archive, archives)
    before = fingerprint(site.data_dir)

    with translation.override("en"), pytest.raises(CommandError) as refusal:
        call_command("restore", str(damaged), force=True, stdout=io.StringIO(), stderr=io.StringIO())

    assert refusal.value.returncode == 2
    with translation.override("en"):
        for part in expected_parts(message, damaged, values):
            assert part in str(refusal.value)
        assert str(archive.NOTHING_CHANGED) in str(refusal.value)
    assert fingerprint(site.data_dir) == before


def test_the_minbar_command_ends_with_status_2_and_says_why_in_the_site_language(site, sound_archive, archives):
    damaged = rewritten(sound_archive, archives / "flipped.tar", flip_a_byte_of_the_image)
    before = fingerprint(site.data_dir)

    refused = site.minbar("restore", "--force", damaged)

    assert refused.returncode == 2
    with translation.override("ar"):
        for part in expected_parts(archive.CHECKSUM_MISMATCH, damaged, {}):
            assert part in refused.stderr
        assert "media/original_images/cover-" in refused.stderr
        assert str(archive.NOTHING_CHANGED) in refused.stderr
    assert fingerprint(site.data_dir) == before
