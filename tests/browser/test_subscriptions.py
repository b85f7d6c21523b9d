"""A reader subscribes in Chromium, confirms from the e-mail a real SMTP server caught, and unsubscribes in one click."""

import contextlib
import re
import secrets
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.subscriptions.conftest import publish_comment
from tests.subscriptions.smtp import django_mail_through_smtp, parts_of

from .support import describe_violations, run_axe

pytestmark = pytest.mark.browser


@pytest.fixture
def smtp(settings):
    settings.MINBAR_READER_HASH_KEY = secrets.token_hex(16)  # fresh rate-limit windows
    settings.MINBAR_PAGE_CACHE_SECONDS = 0
    with django_mail_through_smtp(settings) as catcher:
        yield catcher


def path_in(text, fragment):
    url = next(url for url in re.findall(r"https?://\S+", text) if fragment in url)
    return urlsplit(url).path


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_subscribe_confirm_notify_unsubscribe(series_site, new_page, smtp, axe_source, javascript):
    from minbar.subscriptions.models import Subscription

    site = series_site
    page = new_page(java_script_enabled=javascript)
    page.goto(site.url(site.part_one, "ar"))

    form = page.locator("form.subscribe-form")
    form.locator("input[name=notify][value=comments]").check()
    form.locator("#subscribe-email").fill("huda@example.org")
    form.locator("button[type=submit]").click()
    expect(page.locator("main [role=status]")).to_be_visible()

    [confirmation] = smtp.wait_for(1)
    text, _html = parts_of(confirmation["message"])
    page.goto(site.base_url + path_in(text, "/confirm/"))
    if javascript:
        violations = run_axe(page, axe_source)
        assert not violations, describe_violations(violations)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=status]")).to_be_visible()
    assert Subscription.objects.get().is_confirmed

    publish_comment(site.part_one, name="سامر", email="samer@example.org", body="تعليق جديد يصل إلى المشتركين.", capture=lambda **_: contextlib.nullcontext())

    notification = smtp.wait_for(2)[1]["message"]
    assert notification["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, _html = parts_of(notification)
    assert "تعليق جديد يصل إلى المشتركين." in text

    page.goto(site.base_url + path_in(text, "/unsubscribe/"))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=status]")).to_be_visible()
    assert not Subscription.objects.exists()


def test_my_data_page_lists_and_deletes_everything(series_site, new_page, smtp, axe_source):
    from minbar.comments.models import Comment

    site = series_site
    publish_comment(site.part_one, name="هدى", email="huda@example.org", body="تعليق سأحذفه لاحقاً.", capture=lambda **_: contextlib.nullcontext())
    page = new_page()
    page.goto(site.base_url + "/subscriptions/mine/")
    page.locator("#mine-email").fill("huda@example.org")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=status]")).to_be_visible()

    [access] = smtp.wait_for(1)
    text, _html = parts_of(access["message"])
    page.goto(site.base_url + path_in(text, "/subscriptions/mine/"))
    expect(page.locator("main")).to_contain_text("تعليق سأحذفه لاحقاً.")
    violations = run_axe(page, axe_source)
    assert not violations, describe_violations(violations)

    page.locator("form.mine-all button").click()
    expect(page.locator("main [role=status]")).to_be_visible()
    assert not Comment.objects.exists()
