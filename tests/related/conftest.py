"""A small newsroom in three clear subjects, published the way editors publish.

Tests run inside a transaction that never commits, so the receivers' work
(queued on commit) is run by `django_capture_on_commit_callbacks`: that is
the moment the worker would pick it up.
"""

from dataclasses import dataclass, field

import pytest

from tests.factories import days_ago, make_article, make_author, make_section

# Our own sentences, three subjects with their own words: water for the
# fields, football, local elections.
WATER = [
    (
        "شح مياه الري يهدد موسم القمح في سهول الجزيرة",
        "<p>يشكو المزارعون في قرى الجزيرة من تراجع منسوب الآبار وارتفاع كلفة ضخ المياه إلى الحقول، "
        "ويخشون خسارة موسم القمح والشعير إذا لم تصل مياه الري إلى السواقي في موعدها.</p>",
    ),
    (
        "الآبار الجوفية تجف والمزارعون يزرعون بذوراً تتحمل العطش",
        "<p>بعد ثلاثة مواسم من قلة الأمطار جفت آبار كثيرة، فلجأ المزارعون إلى بذور قمح تتحمل العطش "
        "وإلى الري بالتنقيط حتى لا تضيع المياه في الحقول.</p>",
    ),
    (
        "قناة ري جديدة تعيد المياه إلى حقول القطن والقمح",
        "<p>افتتحت البلدية قناة ري تنقل مياه النهر إلى الحقول الجنوبية، ويقول المزارعون إن الآبار "
        "لم تعد تكفي لسقاية القمح والقطن في الصيف.</p>",
    ),
]
FOOTBALL = [
    (
        "فريق الشباب يفوز بكأس الدوري المحلي لكرة القدم",
        "<p>سجل مهاجم الفريق هدفين في الشوط الثاني من المباراة النهائية، واحتفل اللاعبون والجمهور "
        "بالكأس في الملعب حتى منتصف الليل.</p>",
    ),
    (
        "الملعب البلدي يستقبل جمهور كرة القدم بعد الترميم",
        "<p>عاد الجمهور إلى مدرجات الملعب لمتابعة مباراة الفريقين، وقال المدرب إن أرضية الملعب الجديدة "
        "تساعد اللاعبين على تمرير الكرة بسرعة.</p>",
    ),
    (
        "مدرب المنتخب يعلن تشكيلة اللاعبين لمباراة الكأس",
        "<p>اختار المدرب ثلاثة لاعبين من الفريق الفائز بالدوري، وينتظر الجمهور المباراة في الملعب "
        "الكبير لمعرفة ما إذا كان المهاجم الشاب سيسجل هدفه الأول.</p>",
    ),
]
ELECTIONS = [
    (
        "انتخابات المجالس المحلية: المرشحون يعرضون برامجهم على الناخبين",
        "<p>يطوف المرشحون على الأحياء قبل يوم الاقتراع، ويسأل الناخبون عن وعود المجالس السابقة "
        "وعن قوائم المرشحين المستقلين في الانتخابات.</p>",
    ),
    (
        "لجنة الانتخابات تفتح مراكز الاقتراع وتدعو الناخبين إلى التصويت",
        "<p>أعلنت اللجنة أن مراكز الاقتراع تفتح في السابعة صباحاً، ودعت الناخبين إلى حمل بطاقاتهم "
        "والتصويت للمرشحين الذين يختارونهم في انتخابات المجالس.</p>",
    ),
    (
        "نسبة المشاركة في الاقتراع ترتفع في انتخابات المجالس",
        "<p>قالت لجنة الانتخابات إن عدد الناخبين الذين أدلوا بأصواتهم فاق توقعات المرشحين، "
        "وإن فرز الأصوات في مراكز الاقتراع يبدأ مساء اليوم.</p>",
    ),
]
TOPICS = {"water": WATER, "football": FOOTBALL, "elections": ELECTIONS}


@dataclass
class TopicsSite:
    section: object
    other_section: object
    authors: list
    articles: dict = field(default_factory=dict)  # topic → [article, …]

    def topic_of(self, article_id):
        return next(topic for topic, items in self.articles.items() if article_id in {a.pk for a in items})


@pytest.fixture
def publishing(django_capture_on_commit_callbacks):
    """Run what the receivers queue on commit (search indexing, "read also") when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def topics_site(publishing):
    """Nine articles, three per subject; each author writes one article of each subject.

    So the fallback (same author, same section) would mix subjects: only
    relatedness by text puts an article's subject first.
    """
    section = make_section("تقارير", slug="reports")
    other_section = make_section("أخبار", slug="news")
    authors = [
        make_author("هيفين عمر", slug="hevin-omar"),
        make_author("سردار خليل", slug="serdar-khalil"),
        make_author("نسرين داود", slug="nesrin-dawood"),
    ]
    site = TopicsSite(section, other_section, authors)
    with publishing():
        for topic_number, (topic, items) in enumerate(TOPICS.items()):
            site.articles[topic] = [
                make_article(
                    section if n % 2 == 0 else other_section,
                    title=title,
                    body=body,
                    authors=[authors[n]],
                    published_at=days_ago(10 - 3 * n - topic_number),
                )
                for n, (title, body) in enumerate(items)
            ]
    return site
