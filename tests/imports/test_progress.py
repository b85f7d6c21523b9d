"""The progress bar: drawn in place on a terminal, silent in logs and pipes unless asked."""

import io

import pytest
from django.utils import translation

from minbar.core.progress import ProgressBar

from .support import FOOTBALL, LIBRARY, run_import, write_jsonl


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_bar_shows_share_done_count_and_time_left():
    clock = FakeClock()
    stream = Terminal()
    with translation.override("en"):
        bar = ProgressBar(total=200, label="Importing", stream=stream, width=10, clock=clock)
        clock.now += 30
        bar.advance(50)
    assert stream.getvalue() == "\rImporting [##--------]  25% 50/200 1:30 left"


def test_the_bar_redraws_in_place_at_most_every_interval_and_ends_the_line():
    clock = FakeClock()
    stream = Terminal()
    bar = ProgressBar(total=4, stream=stream, width=4, min_interval=1.0, clock=clock)
    bar.advance()  # first step: drawn
    bar.advance()  # same instant: not drawn again
    clock.now += 2
    bar.advance(2)
    bar.finish()
    drawn = stream.getvalue()
    assert drawn.count("\r") == 3  # first step, after the pause, and the final state
    assert drawn.endswith("\r[####] 100% 4/4\n")


def test_without_a_total_it_counts():
    stream = Terminal()
    bar = ProgressBar(stream=stream, min_interval=0)
    bar.advance(7)
    assert stream.getvalue() == "\r7"


def test_nothing_is_drawn_when_the_stream_is_not_a_terminal():
    stream = io.StringIO()
    with ProgressBar(total=10, stream=stream) as bar:
        bar.advance(10)
    assert stream.getvalue() == ""


@pytest.mark.django_db
def test_the_import_draws_the_bar_on_stderr_only_when_asked(tmp_path):
    path = write_jsonl(tmp_path / "news.jsonl", [LIBRARY, FOOTBALL])
    _, _, quiet = run_import(path)
    assert quiet == ""
    _, out, drawn = run_import(path, "--progress")
    assert drawn.startswith("\rImporting [") and drawn.endswith("\n")
    assert drawn.rsplit("\r", 1)[-1].rstrip() == "Importing [" + "#" * 30 + "] 100% 2/2"
    assert "\r" not in out
