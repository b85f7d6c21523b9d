"""One production site (private PostgreSQL, Redis, SMTP, granian, worker) shared by the production tests.

Started once per test session, when the first production test asks for it
(about half a minute: migrations and collectstatic), and stopped at the end.
Tests that stop a server start it again before they finish.
"""

import os

import pytest

from . import servers


@pytest.fixture(scope="session")
def production():
    with servers.production() as running:
        yield running
        if os.environ.get("MINBAR_KEEP_PRODUCTION_LOGS"):
            print(f"\nproduction test logs kept in {running.workdir}")
