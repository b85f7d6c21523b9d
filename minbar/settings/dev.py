"""Settings for `minbar run` on one machine: the embedded default."""

from .base import *  # noqa: F403

DEBUG = False  # readers see the real 404/500 pages; tracebacks go to the log

try:
    from .local import *  # noqa: F403
except ImportError:
    pass
