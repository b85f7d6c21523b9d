"""The pieces of the demo loader that need no database: pictures and article files."""

from minbar.demo import catalog, images
from minbar.demo.articles import body_html, load_articles, parse_article


def test_covers_are_the_same_picture_every_time_for_a_slug():
    palette = catalog.SECTIONS[0].palette
    first = images.to_jpeg(images.cover_image("water-network-hasakah", palette))
    again = images.to_jpeg(images.cover_image("water-network-hasakah", palette))
    other = images.to_jpeg(images.cover_image("book-fair-qamishli", palette))
    assert first == again
    assert first != other
    assert images.cover_image("x", palette).size == (1200, 675)


def test_avatars_are_square_and_stable():
    avatar = images.avatar_image("noon-association", organization=True)
    assert avatar.size == (images.AVATAR_SIZE, images.AVATAR_SIZE)
    assert images.to_jpeg(avatar) == images.to_jpeg(images.avatar_image("noon-association", organization=True))


def test_body_markup_becomes_rich_text_and_keeps_the_writing_as_it_is():
    html = body_html("فقرة **مهمة** عن 300متطوع\n\n## عنوان\n\n- أول\n- ثانٍ\n\n> قول مأثور\n\nنص <قديم> & جديد")
    assert html == (
        "<p>فقرة <b>مهمة</b> عن 300متطوع</p><h2>عنوان</h2><ul><li>أول</li><li>ثانٍ</li></ul>"
        "<blockquote>قول مأثور</blockquote><p>نص &lt;قديم&gt; &amp; جديد</p>"
    )


def test_an_article_file_reads_into_a_spec():
    spec = parse_article(
        "slug: a\ntitle: عنوان\nsection: news\nkind: news\nauthors: x, y\ntags: أ | ب\n"
        "published: 1.5\nseries: s\npart: 2\n---\nنص"
    )
    assert spec.authors == ("x", "y") and spec.tags == ("أ", "ب")
    assert spec.published_days_ago == 1.5 and spec.part == 2 and not spec.is_scheduled


def test_every_demo_article_names_known_sections_authors_and_series():
    sections = {section.slug for section in catalog.SECTIONS}
    authors = {author.slug for author in catalog.AUTHORS}
    series = {item.slug for item in catalog.SERIES}
    articles = load_articles()
    assert len({article.slug for article in articles}) == len(articles)
    for article in articles:
        assert article.section in sections
        assert set(article.authors) <= authors
        assert article.series is None or article.series in series
        assert (article.published_days_ago is None) != (article.scheduled_in_days is None), article.slug
