"""Comment blocks: what editors type, what it becomes, and the admin that takes it."""

import pytest
from django.core.exceptions import ValidationError

from minbar.moderation.blocks import blocked_domains, blocked_words, count_links, is_blocked_email, matching_value
from minbar.moderation.models import BlockRule

from .conftest import moderator, network_hash

BLOCKS = "/admin/snippets/moderation/blockrule/"


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("word", "  الأحمقُ ", "الاحمق"),
        ("word", "ربحٌ سريعـ", "ربح سريع"),
        ("link", "HTTPS://www.Spam.Example/offer?x=1", "spam.example"),
        ("link", "shop.spam.example", "shop.spam.example"),
        ("email", " Spammer@Example.ORG ", "spammer@example.org"),
        ("email", "@Spam.Example", "@spam.example"),
        ("ip_hash", "203.0.113.7", network_hash("203.0.113.7")),
        ("ip_hash", network_hash().upper(), network_hash()),
    ],
)
def test_a_blocked_value_is_kept_in_its_matching_form(kind, typed, stored):
    assert matching_value(kind, typed) == stored


def test_an_ipv6_address_blocks_its_whole_64():
    assert matching_value("ip_hash", "2001:db8:1:2::5") == matching_value("ip_hash", "2001:db8:1:2:ffff::1")
    assert matching_value("ip_hash", "2001:db8:1:2::5") != matching_value("ip_hash", "2001:db8:1:3::5")


@pytest.mark.parametrize(
    ("kind", "typed"),
    [("word", "ـ ـ"), ("word", "!!!"), ("link", "not a domain"), ("link", "localhost"), ("email", "nobody"),
     ("ip_hash", "999.1.1.1"), ("ip_hash", "abc"), ("other", "x")],
)
def test_a_value_that_could_never_match_is_refused(kind, typed):
    with pytest.raises(ValueError):
        matching_value(kind, typed)


def test_words_match_whole_words_in_any_spelling():
    words = [matching_value("word", "أحمق"), matching_value("word", "ربح سريع")]
    assert blocked_words("يا احمَقُ", words) == [words[0]]
    assert blocked_words("رِبحٌ سريعٌ مضمون", words) == [words[1]]
    assert blocked_words("والأحمق", words) == [words[0]]
    assert blocked_words("الربح السريع", words) == [words[1]]
    assert blocked_words("حمقى", words) == []
    assert blocked_words("ربح كبير وسريع", words) == []


def test_domains_match_with_or_without_scheme_and_with_subdomains_only():
    assert blocked_domains("see HTTP://A.B.Spam.Example/x", ["spam.example"]) == ["spam.example"]
    assert blocked_domains("mail me at x@spam.example", ["spam.example"]) == ["spam.example"]
    assert blocked_domains("https://notspam.example", ["spam.example"]) == []
    assert blocked_domains("https://spam.example.org", ["spam.example"]) == []


def test_links_are_counted_as_the_comment_page_links_them():
    assert count_links("https://a.example http://b.example/x www.c.example d.example") == 3


def test_an_email_block_on_a_domain_covers_its_subdomains():
    assert is_blocked_email("x@mail.spam.example", ["@spam.example"])
    assert not is_blocked_email("x@spam.example.org", ["@spam.example"])
    assert not is_blocked_email("", ["@spam.example"])


@pytest.mark.django_db
def test_model_validation_explains_a_bad_value_and_a_duplicate():
    BlockRule.objects.create(kind="email", value="spammer@example.org")
    with pytest.raises(ValidationError) as error:
        BlockRule(kind="email", value="SPAMMER@example.org").full_clean()
    assert "value" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        BlockRule(kind="link", value="no domain here").full_clean()
    assert "value" in error.value.message_dict


@pytest.mark.django_db
def test_an_editor_blocks_a_word_in_the_admin_and_it_is_stored_normalized(client, django_user_model):
    client.force_login(moderator(django_user_model, "editor", group="Editors"))
    assert BLOCKS in client.get("/admin/").content.decode()
    response = client.post(f"{BLOCKS}add/", {"kind": "word", "value": "الأحمقُ", "note": "شتيمة"})
    assert response.status_code == 302
    assert BlockRule.objects.get().value == "الاحمق"
    response = client.post(f"{BLOCKS}add/", {"kind": "link", "value": "هذا ليس نطاقاً"})
    assert response.status_code == 200 and BlockRule.objects.count() == 1
    listing = client.get(BLOCKS, {"q": "الاحمق"}).content.decode()
    assert "شتيمة" in listing


@pytest.mark.django_db
def test_a_user_without_the_permission_cannot_add_blocks(client, django_user_model):
    from django.contrib.auth.models import Permission

    writer = django_user_model.objects.create_user("writer", "writer@newsroom.example", "pw")
    writer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(writer)
    client.post(f"{BLOCKS}add/", {"kind": "word", "value": "كلمة"})
    assert not BlockRule.objects.exists()
