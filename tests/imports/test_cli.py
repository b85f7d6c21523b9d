"""`minbar import-jsonl FILE` end to end, on a fresh data folder, in the default (Arabic) interface."""

import os
import subprocess
import sys

from django.utils import translation

from minbar.imports import messages

from .support import FOOTBALL, LIBRARY, sample_lines, write_jsonl

MINBAR = [sys.executable, "-m", "minbar.cli"]


def _environment(data_dir):
    environment = {**os.environ, "MINBAR_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "minbar.settings.dev"}
    for name in ("DATABASE_URL", "REDIS_URL", "CACHE_URL"):
        environment.pop(name, None)
    return environment


def _import(path, environment, *args):
    return subprocess.run(
        [*MINBAR, "import-jsonl", str(path), *args], env=environment, capture_output=True, text=True, timeout=300
    )


def arabic(message, **params):
    with translation.override("ar"):
        return message % params


def test_import_jsonl_command_loads_reports_and_is_safe_to_repeat(tmp_path):
    environment = _environment(tmp_path / "data")
    sample = tmp_path / "articles.jsonl"
    sample.write_bytes(sample_lines())

    first = _import(sample, environment)
    assert first.returncode == 1, first.stderr[-3000:]
    assert arabic(messages.SUMMARY, created=4, updated=0, unchanged=0, skipped=8) in first.stdout
    assert arabic(messages.SKIPPED_LINE, line=13, reason=arabic(messages.DUPLICATE, line=1)) in first.stdout
    assert arabic(messages.SOME_LINES_SKIPPED, count=8) in first.stderr
    assert "Traceback" not in first.stderr

    again = _import(sample, environment)
    assert arabic(messages.SUMMARY, created=0, updated=0, unchanged=4, skipped=8) in again.stdout

    clean = _import(write_jsonl(tmp_path / "clean.jsonl", [LIBRARY, FOOTBALL]), environment, "--dry-run")
    assert clean.returncode == 0, clean.stderr[-3000:]
    assert arabic(messages.DRY_RUN_SUMMARY, created=0, updated=0, unchanged=2, skipped=0) in clean.stdout

    # Nothing to read: its own exit status, a sentence, no traceback.
    result = _import(tmp_path / "absent.jsonl", environment)
    assert result.returncode == 2
    assert str(tmp_path / "absent.jsonl") in result.stderr
    assert "Traceback" not in result.stderr
