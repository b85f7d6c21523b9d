"""A one-line progress bar for long commands (importers), drawn on a terminal.

It redraws itself in place with a carriage return, at most every
`min_interval` seconds, so that writing it costs nothing next to the work.
When the stream is not a terminal (a log file, a pipe, a test) it stays
silent unless asked to draw: carriage returns make a mess of logs.
"""

import sys
import time

from django.core.management.base import OutputWrapper
from django.utils.translation import gettext as _


def _clock_text(seconds):
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


class ProgressBar:
    """`label [#####-----]  45% 4521/10161 0:42 left`, or a running count when the total is unknown.

    Use as a context manager, or call `finish()` to end the line.
    """

    FILLED = "#"
    EMPTY = "-"

    def __init__(self, total=None, label="", stream=None, enabled=None, width=30, min_interval=0.1, clock=None):
        self.total = total or None
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self._is_terminal(self.stream) if enabled is None else enabled
        self.width = width
        self.min_interval = min_interval
        self.clock = clock or time.monotonic
        self.done = 0
        self.started = self.clock()
        self._last_drawn = None
        self._line_length = 0
        self._is_finished = False

    @staticmethod
    def _is_terminal(stream):
        try:
            return stream.isatty()
        except (AttributeError, ValueError):  # closed or not a real file
            return False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.finish()

    def advance(self, steps=1):
        self.done += steps
        now = self.clock()
        if self._last_drawn is None or now - self._last_drawn >= self.min_interval:
            self._draw(now)

    def finish(self):
        if not self.enabled or self._is_finished:
            return
        self._draw(self.clock())
        self._write("\n")
        self._is_finished = True

    def text(self, now=None):
        """The line as it would be drawn now."""
        now = self.clock() if now is None else now
        parts = [self.label] if self.label else []
        if self.total:
            fraction = min(1.0, self.done / self.total)
            filled = int(fraction * self.width)
            parts.append(f"[{self.FILLED * filled}{self.EMPTY * (self.width - filled)}]")
            parts.append(f"{int(fraction * 100):3d}%")
            parts.append(f"{self.done}/{self.total}")
            elapsed = now - self.started
            if 0 < self.done < self.total and elapsed > 0:
                remaining = elapsed * (self.total - self.done) / self.done
                parts.append(_("%(time)s left") % {"time": _clock_text(remaining)})
        else:
            parts.append(str(self.done))
        return " ".join(parts)

    def _draw(self, now):
        if not self.enabled or self._is_finished:
            return
        line = self.text(now)
        # Pad over the rest of a longer previous line.
        padding = " " * max(0, self._line_length - len(line))
        self._write(f"\r{line}{padding}")
        self._line_length = len(line)
        self._last_drawn = now

    def _write(self, text):
        if isinstance(self.stream, OutputWrapper):
            # A command's stderr: no line ending added, no error colour.
            self.stream.write(text, style_func=lambda plain: plain, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()
