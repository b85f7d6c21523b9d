"""A WordPress post's HTML becomes the article body an editor would have written in Minbar."""

import html
import re
from pathlib import Path

import pytest
from django.utils import translation
from lxml import etree
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from minbar.newsroom.models import RICH_TEXT_FEATURES
from minbar.passages.richtext import marked_passages
from minbar.wordpress.content import ImageRef, convert, passage_key


@pytest.fixture(autouse=True)
def english_messages():
    """Warnings are compared with their English text; the site's default language is Arabic."""
    with translation.override("en"):
        yield

try:
    from .support import WXR_DIR
except ImportError:  # pragma: no cover - support.py not there yet
    WXR_DIR = Path(__file__).resolve().parents[3] / "shared/data/wxr/wordpress-importer"

PHPUNIT_DATA = WXR_DIR / "phpunit-data"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')


def without_keys(body):
    return _BLOCK_KEY.sub("", body)


def text_of(body):
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def messages(converted):
    return [str(message) % params for message, params in converted.warnings]


class FakeMedia:
    """The media part's resolver: attachment 7 is image 70, files under uploads/2024/ are image 80."""

    def __init__(self):
        self.asked = []

    def __call__(self, attachment_id, url):
        self.asked.append((attachment_id, url))
        if attachment_id == 7:
            return ImageRef(70, "صورة المكتبة")
        if "/wp-content/uploads/2024/" in (url or ""):
            return ImageRef(80, "")
        return None


def items_of(fixture):
    return [element.text or "" for element in etree.parse(str(PHPUNIT_DATA / fixture)).iter(CONTENT)]


# --- classic editor -----------------------------------------------------------------


def test_classic_blank_lines_make_paragraphs_and_single_newlines_line_breaks():
    converted = convert("السطر الأول\nالسطر الثاني\n\n\nفقرة ثانية مع <strong>عريض</strong>\n\n<h2>عنوان</h2>\nبعد العنوان")

    assert without_keys(converted.body) == (
        "<p>السطر الأول<br/>السطر الثاني</p><p>فقرة ثانية مع <b>عريض</b></p><h2>عنوان</h2><p>بعد العنوان</p>"
    )
    assert converted.warnings == []


def test_classic_block_tags_are_not_wrapped_and_list_items_keep_their_lines():
    body = without_keys(convert("<ul>\n<li>واحد</li>\n<li>اثنان\nسطر</li>\n</ul>\n<blockquote>قول\n\nقول ثان</blockquote>\n<hr />\nنهاية").body)

    assert body == (
        "<ul><li>واحد</li><li>اثنان<br/>سطر</li></ul><blockquote>قول</blockquote><blockquote>قول ثان</blockquote>"
        "<hr/><p>نهاية</p>"
    )


def test_headings_become_the_editors_two_levels():
    body = without_keys(convert("<h1>أ</h1><h3>ب</h3><h5>ج</h5>").body)

    assert body == "<h2>أ</h2><h3>ب</h3><h3>ج</h3>"


# --- block editor ---------------------------------------------------------------------

GUTENBERG = """<!-- wp:paragraph -->
<p>فقرة <a href="https://example.org/a">برابط</a></p>
<!-- /wp:paragraph -->

<!-- wp:heading {"level":4} -->
<h4 class="wp-block-heading">عنوان فرعي</h4>
<!-- /wp:heading -->

<!-- wp:image {"id":7,"sizeSlug":"large","align":"right"} -->
<figure class="wp-block-image alignright size-large"><img src="https://old.test/wp-content/uploads/2023/x.jpg" alt="مكتبة"/><figcaption>المكتبة العامة</figcaption></figure>
<!-- /wp:image -->

<!-- wp:gallery {"ids":[7,9]} -->
<figure class="wp-block-gallery"><ul class="blocks-gallery-grid"><li><figure><img src="https://old.test/wp-content/uploads/2024/g1.jpg" class="wp-image-9"/></figure></li></ul></figure>
<!-- /wp:gallery -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=abc","type":"video","providerNameSlug":"youtube"} -->
<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=abc
</div></figure>
<!-- /wp:embed -->

<!-- wp:core-embed/twitter {"url":"https://twitter.com/x/status/1"} -->
<figure class="wp-block-embed-twitter"><div class="wp-block-embed__wrapper">https://twitter.com/x/status/1</div></figure>
<!-- /wp:core-embed/twitter -->

<!-- wp:quote -->
<blockquote class="wp-block-quote"><p>قول أول</p><p>قول ثان</p><cite>قائل</cite></blockquote>
<!-- /wp:quote -->

<!-- wp:pullquote -->
<figure class="wp-block-pullquote"><blockquote><p>اقتباس بارز</p></blockquote></figure>
<!-- /wp:pullquote -->

<!-- wp:list {"ordered":true} -->
<ol><li>أول</li><li>ثان</li></ol>
<!-- /wp:list -->

<!-- wp:separator -->
<hr class="wp-block-separator"/>
<!-- /wp:separator -->

<!-- wp:more -->
<!--more-->
<!-- /wp:more -->

<!-- wp:nextpage -->
<!--nextpage-->
<!-- /wp:nextpage -->

<!-- wp:html -->
<div onclick="steal()">كتلة HTML<script>alert(1)</script></div>
<!-- /wp:html -->

<!-- wp:shortcode -->
[gallery ids="7"]
<!-- /wp:shortcode -->

<!-- wp:latest-posts /-->

<!-- wp:some-plugin/box {"color":"red"} -->
<div class="box">نص كتلة مجهولة</div>
<!-- /wp:some-plugin/box -->"""


def test_gutenberg_blocks_become_the_editors_blocks():
    media = FakeMedia()
    converted = convert(GUTENBERG, image_for=media)
    body = without_keys(converted.body)

    assert "<!--" not in body and "wp:" not in body
    assert body == (
        '<p>فقرة <a href="https://example.org/a">برابط</a></p>'
        "<h3>عنوان فرعي</h3>"
        '<embed embedtype="image" format="right" id="70" alt="مكتبة"/><p><i>المكتبة العامة</i></p>'
        '<embed embedtype="image" format="fullwidth" id="80" alt=""/>'
        '<embed embedtype="image" format="fullwidth" id="70" alt="صورة المكتبة"/>'
        '<p><a href="https://www.youtube.com/watch?v=abc">https://www.youtube.com/watch?v=abc</a></p>'
        '<p><a href="https://twitter.com/x/status/1">https://twitter.com/x/status/1</a></p>'
        "<blockquote>قول أول</blockquote><blockquote>قول ثان</blockquote><blockquote>قائل</blockquote>"
        "<blockquote>اقتباس بارز</blockquote>"
        "<ol><li>أول</li><li>ثان</li></ol>"
        "<hr/>"
        "<p>كتلة HTML</p>"
        '<embed embedtype="image" format="fullwidth" id="70" alt="صورة المكتبة"/>'
        "<p>نص كتلة مجهولة</p>"
    )
    assert converted.images == [70, 80]
    assert (7, "https://old.test/wp-content/uploads/2023/x.jpg") in media.asked
    assert messages(converted) == ["Page breaks (<!--nextpage-->) dropped: the post's pages were joined into one"]


def test_block_comment_closing_a_block_never_opened_leaves_nothing_behind():
    body = without_keys(convert("<!-- /wp:paragraph --><!-- wp:paragraph --><p>نص</p>").body)

    assert body == "<p>نص</p>"


# --- shortcodes -------------------------------------------------------------------------


def test_caption_becomes_the_image_and_an_italic_caption_under_it():
    converted = convert(
        '[caption id="attachment_7" align="alignleft" width="300"]<a href="https://old.test/?attachment_id=7">'
        '<img src="https://old.test/wp-content/uploads/2023/lib-300x200.jpg" alt="" width="300" /></a> '
        "مكتبة <em>المدينة</em>[/caption]",
        image_for=FakeMedia(),
    )

    assert without_keys(converted.body) == (
        '<embed embedtype="image" format="left" id="70" alt="صورة المكتبة"/><p><i>مكتبة المدينة</i></p>'
    )


def test_caption_given_as_an_attribute():
    converted = convert(
        "[caption id=attachment_7 align=alignright caption='عنوان الصورة']<img src=\"/wp-content/uploads/2023/a.jpg\" />[/caption]",
        image_for=FakeMedia(),
    )

    assert without_keys(converted.body) == (
        '<embed embedtype="image" format="right" id="70" alt="صورة المكتبة"/><p><i>عنوان الصورة</i></p>'
    )


def test_gallery_shortcode_gives_its_images_in_order():
    converted = convert('[gallery columns="2" ids="9, 7"]', image_for=lambda wp_id, url: ImageRef(wp_id * 10))

    assert without_keys(converted.body) == (
        '<embed embedtype="image" format="fullwidth" id="90" alt=""/>'
        '<embed embedtype="image" format="fullwidth" id="70" alt=""/>'
    )
    assert converted.images == [90, 70]


@pytest.mark.parametrize(
    "source, url",
    [
        ("[embed]https://vimeo.com/123[/embed]", "https://vimeo.com/123"),
        ('[embed width="500"]https://www.youtube.com/watch?v=a1[/embed]', "https://www.youtube.com/watch?v=a1"),
        ('[video width="640" mp4="https://cdn.test/v.mp4"][/video]', "https://cdn.test/v.mp4"),
        ("[video src='https://cdn.test/clip.webm']", "https://cdn.test/clip.webm"),
        ('[audio mp3="https://cdn.test/a.mp3"]', "https://cdn.test/a.mp3"),
        ("[youtube https://www.youtube.com/watch?v=xyz]", "https://www.youtube.com/watch?v=xyz"),
        ("[youtube=https://youtu.be/xyz]", "https://youtu.be/xyz"),
    ],
)
def test_media_shortcodes_become_a_link_and_request_nothing(source, url):
    body = without_keys(convert(source).body)

    assert body == f'<p><a href="{html.escape(url)}">{html.escape(url)}</a></p>'


def test_unknown_shortcodes_stay_as_text_and_are_reported_once():
    converted = convert('قبل [contact-form-7 id="1" title="اتصل"] وسط [foo]bar[/foo] و[foo] بعد')

    assert text_of(converted.body).strip() == 'قبل [contact-form-7 id="1" title="اتصل"] وسط [foo]bar[/foo] و[foo] بعد'
    assert messages(converted) == [
        "Unknown shortcode [contact-form-7] kept as text",
        "Unknown shortcode [foo] kept as text",
    ]


def test_escaped_and_odd_shortcodes():
    converted = convert(
        "[[gallery ids=\"1\"]] [[embed]https://x.test[/embed]] [/caption] [1] [2020] "
        '[caption]بلا صورة[/caption] [embed]https://a.test[embed]https://b.test[/embed][/embed] [gallery]'
    )
    text = text_of(converted.body)

    assert '[gallery ids="1"]' in text and "[embed]https://x.test[/embed]" in text
    assert "[/caption]" in text and "[1] [2020]" in text
    assert "بلا صورة" in text
    assert "https://b.test" in text
    assert "Unknown shortcode [1] kept as text" not in messages(converted)
    assert "A gallery that lists no images (all images attached to the post) was dropped" in messages(converted)


# --- wpDiscuz feedback ------------------------------------------------------------------

FEEDBACK = (
    "مقدمة [wpdiscuz-feedback id=\"q1x\" question=\"ما رأيكم في &quot;الخطة&quot;؟\" opened=\"1\"]"
    "الجزء <strong>الأول</strong> من المقطع\n\n"
    'والجزء <a href="https://example.org">الثاني</a> منه[/wpdiscuz-feedback] خاتمة.'
)


def test_feedback_shortcode_marks_its_passage_across_inline_tags_and_paragraphs():
    converted = convert(FEEDBACK)

    assert [(q.wp_id, q.key, q.question, q.is_open, q.passage_text) for q in converted.questions] == [
        ("q1x", "q1x", 'ما رأيكم في "الخطة"؟', True, "الجزء الأول من المقطع والجزء الثاني منه")
    ]
    spans = re.findall(r"<span ([^>]*)>", converted.body)
    assert len(spans) >= 2 and all('data-passage="q1x"' in span for span in spans)
    assert "\ue000" not in converted.body and "\ue001" not in converted.body
    paragraphs = re.findall(r"<p[^>]*>.*?</p>", converted.body)
    assert len(paragraphs) == 2 and all("data-passage" in paragraph for paragraph in paragraphs)
    assert '<a href="https://example.org">الثاني</a>' in converted.body


def test_marked_passage_survives_the_editor_round_trip_and_is_found_with_its_question():
    body = convert(FEEDBACK).body
    converter = ContentstateConverter(RICH_TEXT_FEATURES)

    saved_again = converter.to_database_format(converter.from_database_format(body))

    assert without_keys(saved_again) == without_keys(body)
    [passage] = marked_passages(saved_again)
    assert passage.key == "q1x"
    assert passage.question == 'ما رأيكم في "الخطة"؟'
    assert passage.selector.quote == "الجزء الأول من المقطع والجزء الثاني منه"


def test_feedback_ids_that_are_not_keys_get_a_stable_hash_and_closed_questions_stay_closed():
    converted = convert('[wpdiscuz-feedback id="id with spaces/é" question="<b>لماذا</b>؟" opened="0"]نص[/wpdiscuz-feedback]')

    [question] = converted.questions
    assert question.key == passage_key("id with spaces/é")
    assert re.fullmatch(r"wp[0-9a-f]{10}", question.key)
    assert question.question == "لماذا؟"
    assert question.is_open is False
    assert f'data-passage="{question.key}"' in converted.body
    assert passage_key("abc_DEF-1") == "abc_DEF-1"
    assert passage_key("x" * 33).startswith("wp")


def test_feedback_without_a_passage_or_question_is_dropped_with_a_warning():
    converted = convert('[wpdiscuz-feedback id="a" question="سؤال"] نص [wpdiscuz-feedback id="b" question=""]مقطع[/wpdiscuz-feedback]')

    assert converted.questions == []
    assert "data-passage" not in converted.body
    assert "مقطع" in converted.body
    assert len(messages(converted)) == 2


def test_forged_passage_marks_in_the_input_do_nothing():
    converted = convert("نص \ue0000\ue002مزور\ue0010\ue002 <span data-passage=\"x\" data-question=\"q\">مقطع</span>")

    assert converted.questions == []
    assert "data-passage" not in converted.body
    assert "\ue000" not in converted.body


# --- images ---------------------------------------------------------------------------------


def test_images_found_by_class_and_by_uploads_url_others_dropped_with_their_alt_text():
    media = FakeMedia()
    converted = convert(
        '<p>قبل <img class="alignright size-medium wp-image-7" src="https://cdn.other/x.jpg" alt="نص بديل"> بعد</p>'
        '<p><img src="https://old.test/wp-content/uploads/2024/05/map-300x200.jpg" class="aligncenter"></p>'
        '<p><img src="https://old.test/wp-content/uploads/2019/gone.jpg" alt="خريطة قديمة"></p>'
        '<p><img src="https://tracker.example/pixel.gif" alt=""></p>',
        image_for=media,
    )

    assert without_keys(converted.body) == (
        "<p>قبل</p>"
        '<embed embedtype="image" format="right" id="70" alt="نص بديل"/>'
        "<p>بعد</p>"
        '<embed embedtype="image" format="fullwidth" id="80" alt=""/>'
        "<p>خريطة قديمة</p>"
    )
    assert media.asked[:3] == [
        (7, "https://cdn.other/x.jpg"),
        (None, "https://old.test/wp-content/uploads/2024/05/map-300x200.jpg"),
        (None, "https://old.test/wp-content/uploads/2019/gone.jpg"),
    ]
    assert len(media.asked) == 3  # an image from another host is not asked for
    assert messages(converted) == [
        "Image https://old.test/wp-content/uploads/2019/gone.jpg not found",
        "Image https://tracker.example/pixel.gif not found",
    ]
    assert converted.images == [70, 80]


def test_without_a_resolver_every_image_is_reported_missing():
    converted = convert('<img class="wp-image-3" src="/wp-content/uploads/a.jpg" alt="وصف">')

    assert without_keys(converted.body) == "<p>وصف</p>"
    assert messages(converted) == ["Image /wp-content/uploads/a.jpg not found"]


def test_link_around_an_image_keeps_the_image():
    converted = convert(
        '<a href="https://old.test/wp-content/uploads/2024/big.jpg"><img src="https://old.test/wp-content/uploads/2024/small.jpg"></a>',
        image_for=FakeMedia(),
    )

    assert without_keys(converted.body) == '<embed embedtype="image" format="fullwidth" id="80" alt=""/>'


@pytest.mark.django_db
def test_body_with_a_real_image_opens_unchanged_in_wagtails_editor():
    from tests.factories import make_image

    image = make_image()
    body = convert(
        '<p>نص</p><img class="alignleft wp-image-5" src="/wp-content/uploads/x.jpg" alt="غلاف">' + FEEDBACK,
        image_for=lambda wp_id, url: ImageRef(image.pk, "") if wp_id == 5 else None,
    ).body
    converter = ContentstateConverter(RICH_TEXT_FEATURES)

    saved_again = converter.to_database_format(converter.from_database_format(body))

    assert without_keys(saved_again) == without_keys(body)
    assert f'<embed embedtype="image" format="left" id="{image.pk}" alt="غلاف"/>' in body


# --- hostile input -----------------------------------------------------------------------------


def test_hostile_html_is_gone():
    converted = convert(
        "<script>alert('x')</script><style>body{display:none}</style>"
        '<p style="color:red" onclick="x()">آمن <img src="x" onerror="alert(1)"></p>'
        '<p><a href="javascript:alert(1)">رابط خبيث</a> <a href=" JaVaScRiPt:alert(1)">آخر</a> '
        '<a href="data:text/html;base64,PHNjcmlwdD4=">بيانات</a> <a href="//evil.test/x">بعيد</a> '
        '<a href="/2019/05/old-post/">قديم</a> <a href="mailto:news@example.org">بريد</a> <a href="page.html">نسبي</a></p>'
        '<iframe src="https://evil.test"></iframe><object data="x.swf"></object><embed embedtype="image" id="1" format="left"/>'
        "<svg><script>alert(2)</script></svg><form action=\"https://evil.test\"><input name=q></form>"
    )
    body = converted.body

    for needle in ("script", "alert", "style", "onclick", "onerror", "javascript", "data:", "iframe", "object", "<embed", "svg", "form", "input"):
        assert needle not in body.lower()
    assert without_keys(body) == (
        "<p>آمن</p><p>رابط خبيث آخر بيانات "
        '<a href="https://evil.test/x">بعيد</a> <a href="/2019/05/old-post/">قديم</a> '
        '<a href="mailto:news@example.org">بريد</a> نسبي</p>'
    )


def test_tables_and_preformatted_text_become_paragraphs():
    body = without_keys(
        convert(
            "<table><caption>الأسعار</caption><thead><tr><th>المادة</th><th>السعر</th></tr></thead>"
            "<tbody><tr><td>خبز</td><td><b>100</b></td></tr><tr><td></td><td></td></tr></tbody></table>"
            "<pre>سطر <code>1</code>\n  سطر 2\n\nفقرة &lt;كود&gt;</pre>"
        ).body
    )

    assert body == (
        "<p>الأسعار</p><p>المادة — السعر</p><p>خبز — 100</p>"
        "<p>سطر 1<br/> سطر 2</p><p>فقرة &lt;كود&gt;</p>"
    )


def test_absurdly_deep_markup_keeps_its_words():
    converted = convert("<b>" * 3000 + "كلمات عميقة" + "</b>" * 3000)

    assert "كلمات عميقة" in converted.body
    assert messages(converted) == ["The post's HTML could not be read; its text was kept as plain paragraphs"]


# --- text as it was -----------------------------------------------------------------------------


def test_arabic_bidi_zero_width_and_combining_characters_survive_exactly():
    [content] = items_of("wxr-utf-8-challenges.xml")

    converted = convert(content)
    text = text_of(converted.body)

    # Every line of the second paragraph without markup, as a browser would decode it.
    second = content.split("<!-- wp:paragraph -->")[2]
    lines = [html.unescape(line.strip()) for line in second.splitlines() if line.strip() and "<" not in line]
    assert len(lines) > 8
    for line in lines:
        assert line in text
    for exact in ("السلام عليكم وﷲ", "yel\u202dlow wo\u202eod,\u202c", "\u200b\u200c\u200d\u2060\ufeff", "T̷̢̯̭̈w̴̰̜̾o̷͉̅"):
        assert exact in text
    assert converted.warnings == []


def test_arabic_classic_post_with_diacritics_and_marks():
    source = "بِسْمِ اللَّهِ\u200f الرَّحْمَٰنِ\nسطر\u200c ثان\u061c\n\n\u202bفقرة\u202c «ثانية»"

    body = without_keys(convert(source).body)

    assert body == "<p>بِسْمِ اللَّهِ\u200f الرَّحْمَٰنِ<br/>سطر\u200c ثان\u061c</p><p>\u202bفقرة\u202c «ثانية»</p>"


@pytest.mark.parametrize("fixture", ["theme-unit-test-data.xml", "a11y-unit-test-data.xml"])
def test_every_item_of_wordpress_test_exports_converts(fixture):
    contents = items_of(fixture)
    assert len(contents) > 50

    for content in contents:
        converted = convert(content, image_for=lambda wp_id, url: ImageRef(wp_id or 1, ""))
        visible = re.sub(r"<!--.*?-->|\s", "", content, flags=re.DOTALL)
        if visible:
            assert converted.body.strip(), content[:200]
        assert "<!--" not in converted.body
        assert "<script" not in converted.body and "<iframe" not in converted.body


def test_feedback_spanning_two_gutenberg_paragraph_blocks():
    converted = convert(
        '<!-- wp:paragraph --><p>قبل [wpdiscuz-feedback id="7" question="هل توافق؟" opened="1"]أول</p><!-- /wp:paragraph -->'
        "<!-- wp:paragraph --><p>ثان[/wpdiscuz-feedback] بعد</p><!-- /wp:paragraph -->"
    )

    assert without_keys(converted.body) == (
        '<p>قبل <span data-passage="7" data-question="هل توافق؟">أول</span></p>'
        '<p><span data-passage="7" data-question="هل توافق؟">ثان</span> بعد</p>'
    )
    [passage] = marked_passages(converted.body)
    assert (passage.key, passage.selector.quote) == ("7", "أول ثان")
