"""What the browser tests share: the article site they read, axe, request log, screenshots."""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.utils import translation

SCREENSHOTS = Path(__file__).parent / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
INTERFACES = {"ar": ("", "rtl"), "ckb": ("/ckb", "rtl"), "en": ("/en", "ltr")}

def run_axe(page, axe_source):
    """Run axe-core on the page and return its violations of impact serious or critical."""
    # evaluate() goes through the DevTools protocol, so a strict Content-Security-Policy
    # on the page (no inline scripts) does not stop the audit.
    page.evaluate(axe_source)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]


def describe_violations(violations):
    lines = []
    for violation in violations:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]][:5]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return "\n".join(lines)


class RequestLog:
    """Every request a page makes and every Set-Cookie header it receives."""

    def __init__(self, page):
        self.urls = []
        self.cookies = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("response", self._response)

    def _response(self, response):
        for header in response.headers_array():
            if header["name"].lower() == "set-cookie":
                self.cookies.append((response.url, header["value"]))

    def third_party(self):
        outside = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.hostname not in LOCAL_HOSTS:
                outside.append(url)
        return outside


def save_screenshot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


BODY_PHRASE = "أعمال ترميم السوق القديم"
PART_TWO_BODY = "<p>في الجزء الثاني نتابع ما جرى بعد انسحاب المسلحين من الأحياء الشرقية للمدينة.</p>"


@dataclass
class SeriesSite:
    """The pages and names the browser tests look for."""

    base_url: str
    part_one: object
    part_two: object
    part_three: object
    person: object
    organization: object
    tags: tuple
    read_also: list = field(default_factory=list)

    def url(self, article, interface="ar"):
        """The article's address in one interface: /…, /ckb/…, /en/…."""
        with translation.override("ar"):
            path = urlsplit(article.url).path
        return f"{self.base_url}{INTERFACES[interface][0]}{path}"


def build_series_site(base_url):
    from tests.factories import days_ago, make_article, make_author, make_image, make_section, make_series

    opinion = make_section("مقالات رأي", slug="opinion")
    statements = make_section("تصريحات صحفية", slug="statements")
    person = make_author("دلشاد يوسف", slug="dilshad-yousef")
    organization = make_author(
        "رابطة الجيرة الطيبة", slug="kurdish-observatory", kind="organization", bio="منظمة حقوقية مستقلة."
    )
    series = make_series("المدينة بعد الحرب", slug="city-after-war")
    tags = ("الحسكة", "السوق القديم")
    part_one = make_article(
        opinion,
        title="المدينة بعد الحرب",
        slug="city-after-war-1",
        authors=[person, organization],
        series=series,
        part_number=1,
        tags=tags,
        cover_image=make_image("جسر حجري فوق النهر"),
        published_at=days_ago(3),
    )
    part_two = make_article(
        opinion,
        title="المدينة بعد الحرب",
        slug="city-after-war-2",
        authors=[person],
        body=PART_TWO_BODY,
        series=series,
        part_number=2,
        published_at=days_ago(2),
    )
    part_three = make_article(
        opinion,
        title="المدينة بعد الحرب",
        slug="city-after-war-3",
        authors=[person],
        series=series,
        part_number=3,
        live=False,
    )
    read_also = [
        make_article(opinion, title="الإدارة الذاتية أمام امتحان الأمن", authors=[person], published_at=days_ago(5)),
        make_article(
            statements,
            title="بيان حول أوضاع المعتقلين في السوق القديم",
            authors=[organization],
            kind="statement",
            published_at=days_ago(4),
        ),
    ]
    return SeriesSite(base_url, part_one, part_two, part_three, person, organization, tags, read_also)


# Where the article page's parts are, as the templates mark them (templates/includes/).
REGIONS = {
    "share": "section.share",
    "copy_field": ".copy-link input[readonly]",
    "copy_button": "[data-copy]",
    "rating": "section.rating",
    "comments": "section#comments",
    "read_also": "section.read-also",
    "series": "nav.series-nav",
}

# Share links are plain links to each service's share address: nothing is loaded
# from the service until the reader clicks.
SHARE_LINKS = {
    "WhatsApp": 'a[href^="https://wa.me/"], a[href^="https://api.whatsapp.com/send"]',
    "Telegram": 'a[href^="https://t.me/share"]',
    "X": 'a[href^="https://x.com/intent"], a[href^="https://twitter.com/intent"]',
    "Facebook": 'a[href^="https://www.facebook.com/sharer"], a[href^="https://facebook.com/sharer"]',
    "e-mail": 'a[href^="mailto:"]',
}
