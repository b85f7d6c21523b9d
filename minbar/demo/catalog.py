"""Who and what the demo site is made of: settings, sections, authors, series.

The articles themselves are text files under content/articles/ (see articles.py).
Every name, biography and line here is invented for Minbar's demo.
"""

from dataclasses import dataclass, field

SITE_NAME = "منبر"
TAGLINE = "صوت مستقل للرأي والخبر"
PUBLISHER_NAME = "منبر للإعلام المستقل"


@dataclass(frozen=True)
class SectionSpec:
    slug: str
    title: str
    description: str
    palette: tuple  # colours of its covers, darkest first
    colours: str  # those colours in words, for the covers' alt text


@dataclass(frozen=True)
class AuthorSpec:
    slug: str
    name: str
    bio: str
    kind: str = "person"
    links: tuple = field(default_factory=tuple)  # (label, url) pairs


@dataclass(frozen=True)
class SeriesSpec:
    slug: str
    title: str
    description: str
    is_complete: bool


SECTIONS = (
    SectionSpec(
        "opinion",
        "مقالات رأي",
        "آراء كتّاب منبر في الشأن العام والثقافة واللغة والإعلام.",
        ((28, 37, 64), (47, 72, 120), (201, 162, 77), (236, 224, 196)),
        "بالأزرق الليلي والذهبي",
    ),
    SectionSpec(
        "news",
        "أخبار",
        "أخبار المدن والبلدات كما يرويها مراسلونا من الميدان.",
        ((18, 61, 58), (36, 110, 98), (226, 181, 92), (238, 236, 220)),
        "بالأخضر الداكن والذهبي",
    ),
    SectionSpec(
        "reports",
        "تقارير",
        "تقارير معمّقة وحوارات عن الناس والأرض والماء.",
        ((74, 36, 28), (160, 82, 45), (230, 190, 120), (246, 233, 210)),
        "بالبني الترابي والرملي",
    ),
    SectionSpec(
        "statements",
        "بيانات",
        "تصريحات صحفية وبيانات تصدرها منظمات المجتمع المدني كما وصلت إلينا.",
        ((40, 40, 48), (92, 92, 110), (170, 60, 60), (230, 230, 236)),
        "بالرمادي والأحمر الخافت",
    ),
)

AUTHORS = (
    AuthorSpec(
        "salma-haddad",
        "سلمى حداد",
        "صحفية ومحررة أخبار في منبر، تغطي شؤون البلديات والخدمات في مدن الجزيرة منذ عشر سنوات، "
        "وتؤمن بأن خبر الحيّ الصغير لا يقل أهمية عن أخبار العواصم.",
        links=(("البريد الإلكتروني", "mailto:salma@minbar.example"),),
    ),
    AuthorSpec(
        "kawa-rashid",
        "كاوا رشيد",
        "كاتب ومعلّم لغة، يكتب بالعربية والكردية عن التعليم بلغة الأم وعن الترجمة بين اللغتين، "
        "وله مجموعة قصصية للأطفال.",
        links=(("الموقع الشخصي", "https://kawa.example.org/"),),
    ),
    AuthorSpec(
        "nadia-al-ali",
        "نادية العلي",
        "باحثة في الحوكمة المحلية ومشاركة النساء في المجالس البلدية، عملت مدرّبة في برامج "
        "الإدارة المحلية وتكتب مقالات رأي في منبر.",
    ),
    AuthorSpec(
        "jwan-sheikho",
        "جوان شيخو",
        "مهندس زراعي وكاتب تقارير، يتابع منذ سنوات أثر الجفاف على الزراعة البعلية وعلى حياة "
        "الفلاحين في سهول الجزيرة.",
    ),
    AuthorSpec(
        "omar-khatib",
        "عمر الخطيب",
        "مدرّب صحفي وكاتب، يهتم بمستقبل الصحافة المحلية وبالأمان الرقمي للصحفيين والقرّاء.",
        links=(("Mastodon", "https://social.example.org/@omar"),),
    ),
    AuthorSpec(
        "hevi-ahmed",
        "هيڤي أحمد",
        "محررة القسم الثقافي، تكتب عن المسرح والكتب والموسيقى، وتجري حوارات مع الفنانين والكتّاب.",
    ),
    AuthorSpec(
        "rebwar-karim",
        "ريبوار كريم",
        "كاتب وصحفي من السليمانية، يكتب بالكردية السورانية عن الثقافة والحياة اليومية.",
    ),
    AuthorSpec(
        "layla-saeed",
        "ليلى سعيد",
        "صحفية تكتب بالعربية والإنكليزية، وتتابع الإعلام المجتمعي والإذاعات المحلية.",
    ),
    AuthorSpec(
        "noon-association",
        "جمعية نون للإعلام المحلي",
        "جمعية مدنية مستقلة غير ربحية تعمل على تدريب الصحفيين المحليين والدفاع عن حق الوصول "
        "إلى المعلومات العامة.",
        kind="organization",
        links=(("الموقع", "https://noon.example.org/"),),
    ),
    AuthorSpec(
        "water-for-all",
        "مبادرة ماء للجميع",
        "مبادرة أهلية تطوعية تتابع جودة مياه الشرب وعدالة توزيعها في البلدات والقرى.",
        kind="organization",
    ),
)

SERIES = (
    SeriesSpec(
        "thirsty-plains",
        "عطش السهول",
        "ثلاثة تقارير عن الجفاف في سهول الجزيرة: الآبار، والبذور والأسواق، وما يستطيع الفلاحون فعله معاً.",
        is_complete=True,
    ),
    SeriesSpec(
        "local-press-after-paper",
        "الصحافة المحلية بعد الورق",
        "سلسلة مقالات عن حال الصحافة المحلية ومستقبلها حين صار القارئ على هاتفه.",
        is_complete=False,
    ),
)
