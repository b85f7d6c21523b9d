"""The README's first command, end to end: demo content loaded, site served by granian."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

MINBAR = [sys.executable, "-m", "minbar.cli"]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def _wait_for(url, process, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"minbar run exited with {process.returncode}")
        try:
            return _get(url)
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    raise AssertionError(f"nothing answered at {url} within {seconds} s")


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("minbar-data")
    env = {
        **os.environ,
        "MINBAR_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "minbar.settings.dev",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.pop("CACHE_URL", None)
    demo = subprocess.run([*MINBAR, "demo"], env=env, capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stderr[-3000:]
    admin = subprocess.run([*MINBAR, "createadmin", "--if-missing"], env=env, capture_output=True, text=True)
    assert admin.returncode == 0, admin.stderr[-3000:]
    port = _free_port()
    process = subprocess.Popen(
        [*MINBAR, "run", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/healthz", process)
        yield {"base": base, "data_dir": Path(data_dir), "admin_output": admin.stdout, "demo_output": demo.stdout}
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_run_serves_the_demo_home_page(served_site):
    status, headers, html = _get(served_site["base"] + "/")
    assert status == 200
    assert 'lang="ar" dir="rtl"' in html
    assert "Set-Cookie" not in headers


def test_data_folder_holds_database_secret_and_static_files(served_site):
    data_dir = served_site["data_dir"]
    assert (data_dir / "minbar.sqlite3").exists()
    assert (data_dir / "secret_key").exists()
    assert (data_dir / "static" / "staticfiles.json").exists()


def test_admin_login_is_printed_and_works(served_site):
    assert "admin /" in served_site["admin_output"]
    status, _, html = _get(served_site["base"] + "/admin/login/")
    assert status == 200
    assert 'dir="rtl"' in html


def test_static_files_are_served_compressed_by_whitenoise(served_site):
    _, _, html = _get(served_site["base"] + "/")
    stylesheet = html.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    request = urllib.request.Request(served_site["base"] + stylesheet, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Encoding"] == "gzip"
        assert "max-age" in response.headers["Cache-Control"]


def test_help_lists_the_commands():
    result = subprocess.run([*MINBAR, "--help"], capture_output=True, text=True)
    for command in ("run", "demo", "worker", "createadmin"):
        assert command in result.stdout


def test_demo_pages_feeds_and_sitemaps_answer(served_site):
    base = served_site["base"]
    _, _, home = _get(base + "/")
    article_path = next(
        path for path in re.findall(r'href="(/[^"/]+/[^"/]+/)"', home) if not path.startswith(("/tag/", "/static/"))
    )
    status, _, article = _get(base + article_path)
    assert status == 200
    assert 'class="read-also"' in article and "og:title" in article
    for path, expected in [
        ("/en" + article_path, 'lang="en" dir="ltr"'),
        ("/ckb/", 'lang="ckb" dir="rtl"'),
        ("/feed/rss/", "<rss"),
        ("/feed/atom/", "<feed"),
        ("/sitemap.xml", "<sitemapindex"),
        ("/news-sitemap.xml", "<urlset"),
        ("/robots.txt", "Sitemap:"),
    ]:
        status, _, body = _get(base + path)
        assert status == 200, path
        assert expected in body, path
