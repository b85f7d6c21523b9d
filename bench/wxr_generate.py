#!/usr/bin/env python3
"""Write a large, realistic WordPress export (WXR 1.2) of an invented Arabic news site, for benchmarks.

    .venv/bin/python bench/wxr_generate.py OUT.xml --posts 20000 --comments 200000

The file is written item by item as it is generated (memory stays flat
whatever the size). The same arguments and seed always give the same bytes.

What it holds, so that an import exercises every path: several authors; 30
categories in two levels; 500 tags; posts in every status (mostly publish),
classic-editor and Gutenberg bodies of 3–6 KB; some wpDiscuz feedback
passages answered by comments; comments threaded up to depth 4 in every
moderation state, with wpDiscuz votes, and a few pingbacks; wpDiscuz rating
meta on half the posts; series marked in titles (ج1, ج2, الجزء الثالث …);
percent-encoded Arabic slugs and /YYYY/MM/DD/slug/ permalinks.

All text comes from the small vocabulary below, written for this generator.
"""

import argparse
import datetime
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

SITE = "https://bench-news.test"
MAX_DEPTH = 4  # a reply to a reply to a reply to a comment
SLUG_LIMIT = 200  # WordPress cuts encoded post_name at 200 characters

NOUNS = [
    "البلدية", "المدينة", "الحي", "السوق", "المدرسة", "المكتبة", "المستشفى", "الميناء", "المحطة", "الحديقة",
    "الشارع", "الجسر", "النهر", "البحر", "المجلس", "الوزارة", "الجامعة", "الطلاب", "المعلمون", "السكان",
    "التجار", "الصيادون", "العمال", "الأطباء", "المهندسون", "الموازنة", "الضرائب", "الكهرباء", "الماء", "الطريق",
    "الحافلة", "القطار", "المصنع", "المزرعة", "المسرح", "المتحف", "الملعب", "النادي", "الجمعية", "الصحيفة",
]
ADJECTIVES = [
    "الجديد", "القديم", "الكبير", "الصغير", "العام", "المحلي", "الشمالي", "الجنوبي", "الشرقي", "الغربي",
    "المؤقت", "الدائم", "الأول", "الأخير", "المشترك", "المستقل", "الرئيسي", "الفرعي", "الواسع", "الضيق",
]
VERBS = [
    "افتتحت", "أعلنت", "ناقشت", "رفضت", "أقرت", "أجلت", "درست", "طلبت", "انتقدت", "دعمت",
    "زارت", "راجعت", "وسعت", "أغلقت", "رممت", "نظمت", "موّلت", "اقترحت", "استقبلت", "تابعت",
]
PLACES = [
    "في وسط المدينة", "قرب الميناء", "في الحي القديم", "على الطريق الساحلي", "في الضاحية الجنوبية",
    "عند مدخل السوق", "خلف محطة القطار", "في الأحياء الجديدة", "على ضفة النهر", "قرب الجامعة",
]
TIMES = [
    "هذا الأسبوع", "أمس", "صباح اليوم", "منذ شهر", "في الربيع الماضي", "قبل الانتخابات", "بعد نقاش طويل",
    "للمرة الثانية", "في جلسة مغلقة", "مع بداية العام",
]
CONNECTORS = ["وقال مسؤول إن", "وأضاف السكان أن", "ويرى مراقبون أن", "وتشير الأرقام إلى أن", "ولا يزال السؤال قائماً:", "وفي المقابل،"]
FIRST_NAMES = ["سلمى", "يوسف", "نادية", "كريم", "ريم", "عمر", "هدى", "سامر", "لينا", "طارق", "منى", "زياد", "رنا", "فادي", "سارا", "هێمن", "ئاڤان", "شیلان"]
LAST_NAMES = ["العلي", "الخطيب", "حداد", "نصار", "الشامي", "يوسف", "عزيز", "البحري", "منصور", "سعيد"]
QUESTIONS = [
    "هل توافقون على هذا القرار؟", "ما الذي ينقص حيّكم؟", "هل يكفي هذا المبلغ؟", "من يجب أن يتحمل الكلفة؟",
    "ما رأيكم في هذا الاقتراح؟", "هل جربتم هذه الخدمة؟",
]
ORDINALS = ["الأول", "الثاني", "الثالث", "الرابع"]
# Top-level categories and their children: 6 + 24 = 30.
CATEGORY_TREE = {
    "أخبار": ["محلية", "عربية", "دولية", "عاجل", "تقارير"],
    "رأي": ["مقالات", "افتتاحية", "أعمدة", "رسائل القراء"],
    "ثقافة": ["كتب", "مسرح", "سينما", "موسيقى"],
    "اقتصاد": ["أسواق", "عمل", "طاقة", "زراعة"],
    "مجتمع": ["تعليم", "صحة", "بيئة", "نقل"],
    "رياضة": ["كرة القدم", "ألعاب القوى", "رياضات مائية"],
}
# Status mix: mostly published, every other status present.
STATUSES = ["publish"] * 90 + ["draft"] * 3 + ["pending"] * 2 + ["future"] + ["private"] * 2 + ["trash"] * 2
COMMENT_STATES = ["1"] * 85 + ["0"] * 6 + ["spam"] * 5 + ["trash"] * 4


def cdata(text):
    # Our vocabulary never holds "]]>", so the text can be wrapped as is.
    return "<![CDATA[" + text + "]]>"


def slug_of(title):
    """WordPress's percent-encoded slug of an Arabic title, cut at whole characters within the length limit."""
    words = title.replace("(", "").replace(")", "").replace(":", "").replace("،", "").split()
    slug = ""
    for word in words:
        encoded = quote(word).lower()
        candidate = f"{slug}-{encoded}" if slug else encoded
        if len(candidate) > SLUG_LIMIT - 8:  # room for a "-12345" de-duplication suffix
            break
        slug = candidate
    return slug


def wp_date(moment):
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class Summary:
    posts: int = 0
    statuses: dict = field(default_factory=dict)
    comments: int = 0
    replies: int = 0
    pingbacks: int = 0
    authors: int = 0
    categories: int = 0
    tags: int = 0
    bytes: int = 0


class Generator:
    def __init__(self, posts, comments, seed):
        self.rng = random.Random(seed)
        self.posts = posts
        self.comments = comments
        self.sentences = [self._sentence() for _ in range(3000)]
        self.sentence_bytes = [len(s.encode()) for s in self.sentences]
        self.authors = [(f"author{n}", f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}") for n in range(1, 8)]
        self.authors.append(("desk", "هيئة التحرير"))
        self.categories = self._categories()
        self.tags = self._tags(500)
        self.used_slugs = set()
        self.next_comment_id = 1
        self.summary = Summary(authors=len(self.authors), categories=len(self.categories), tags=len(self.tags))

    # --- vocabulary -----------------------------------------------------------------

    def _sentence(self):
        r = self.rng
        shape = r.randrange(3)
        if shape == 0:
            return f"{r.choice(VERBS)} {r.choice(NOUNS)} المشروع {r.choice(ADJECTIVES)} {r.choice(PLACES)} {r.choice(TIMES)}."
        if shape == 1:
            return f"{r.choice(CONNECTORS)} {r.choice(NOUNS)} {r.choice(ADJECTIVES)} يحتاج إلى {r.choice(NOUNS)} {r.choice(PLACES)}."
        return f"{r.choice(TIMES)}، {r.choice(VERBS)} {r.choice(NOUNS)} خطة {r.choice(NOUNS)} {r.choice(ADJECTIVES)}، ويقول {r.choice(NOUNS)} إنها لا تكفي."

    def _categories(self):
        categories = []  # (term id, nicename, parent nicename, name)
        term_id = 10
        for top, children in CATEGORY_TREE.items():
            term_id += 1
            top_slug = quote(top).lower()
            categories.append((term_id, top_slug, "", top))
            for child in children:
                term_id += 1
                categories.append((term_id, quote(child.replace(" ", "-")).lower(), top_slug, child))
        return categories

    def _tags(self, count):
        names = []
        seen = set()
        while len(names) < count:
            name = f"{self.rng.choice(NOUNS)} {self.rng.choice(ADJECTIVES)}"
            if name not in seen:
                seen.add(name)
                names.append(name)
        return [(1000 + n, quote(name.replace(" ", "-")).lower(), name) for n, name in enumerate(names)]

    # --- channel ------------------------------------------------------------------

    def header(self):
        parts = [
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            '<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n<channel>\n'
            "\t<title>أخبار المدينة (مولد منبر)</title>\n"
            f"\t<link>{SITE}/</link>\n"
            "\t<description>موقع مولد لقياس أداء الاستيراد</description>\n"
            "\t<language>ar</language>\n"
            "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{SITE}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{SITE}</wp:base_blog_url>\n"
        ]
        for number, (login, display) in enumerate(self.authors, start=2):
            first, _, last = display.partition(" ")
            parts.append(
                f"\t<wp:author><wp:author_id>{number}</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>"
                f"<wp:author_email>{cdata(login + '@bench-news.test')}</wp:author_email>"
                f"<wp:author_display_name>{cdata(display)}</wp:author_display_name>"
                f"<wp:author_first_name>{cdata(first)}</wp:author_first_name>"
                f"<wp:author_last_name>{cdata(last)}</wp:author_last_name></wp:author>\n"
            )
        for term_id, nicename, parent, name in self.categories:
            parts.append(
                f"\t<wp:category><wp:term_id>{term_id}</wp:term_id><wp:category_nicename>{cdata(nicename)}</wp:category_nicename>"
                f"<wp:category_parent>{cdata(parent)}</wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n"
            )
        for term_id, slug, name in self.tags:
            parts.append(
                f"\t<wp:tag><wp:term_id>{term_id}</wp:term_id><wp:tag_slug>{cdata(slug)}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>\n"
            )
        parts.append("\t<generator>https://wordpress.org/?v=6.5.3</generator>\n")
        return "".join(parts)

    # --- posts ----------------------------------------------------------------------

    def _paragraphs(self, target_bytes):
        """Paragraphs of 2–5 pool sentences, until about target_bytes of text."""
        r = self.rng
        paragraphs, size = [], 0
        while size < target_bytes:
            picks = r.sample(range(len(self.sentences)), r.randint(2, 5))
            paragraphs.append(" ".join(self.sentences[i] for i in picks))
            size += sum(self.sentence_bytes[i] for i in picks)
        return paragraphs

    def _with_feedback(self, paragraphs, count):
        """Wrap the first sentence of `count` paragraphs in wpDiscuz feedback shortcodes; return their ids."""
        r = self.rng
        ids = []
        for index in r.sample(range(len(paragraphs)), min(count, len(paragraphs))):
            first, dot, rest = paragraphs[index].partition(".")
            feedback_id = "".join(r.choice("abcdefghijkmnpqrstuvwxyz0123456789") for _ in range(6))
            ids.append(feedback_id)
            paragraphs[index] = (
                f'[wpdiscuz-feedback id="{feedback_id}" question="{r.choice(QUESTIONS)}" opened="1"]'
                f"{first}{dot}[/wpdiscuz-feedback]{rest}"
            )
        return ids

    @staticmethod
    def _classic(paragraphs):
        return "\n\n".join(paragraphs)

    def _gutenberg(self, paragraphs):
        r = self.rng
        blocks = []
        for number, paragraph in enumerate(paragraphs):
            if number and number % 4 == 0:
                blocks.append(f'<!-- wp:heading -->\n<h2 class="wp-block-heading">{r.choice(NOUNS)} {r.choice(ADJECTIVES)}</h2>\n<!-- /wp:heading -->')
            if number == 2:
                items = "".join(f"<!-- wp:list-item -->\n<li>{r.choice(NOUNS)} {r.choice(PLACES)}</li>\n<!-- /wp:list-item -->" for _ in range(3))
                blocks.append(f"<!-- wp:list -->\n<ul>{items}</ul>\n<!-- /wp:list -->")
            if number == 3:
                blocks.append(
                    '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n'
                    f"<p>{self.sentences[r.randrange(len(self.sentences))]}</p>\n<!-- /wp:paragraph --></blockquote>\n<!-- /wp:quote -->"
                )
            blocks.append(f"<!-- wp:paragraph -->\n<p>{paragraph}</p>\n<!-- /wp:paragraph -->")
        return "\n\n".join(blocks)

    def _titles(self):
        """Yield one title per post; now and then a run of 2–4 titles of one series with part markers."""
        r = self.rng
        produced = 0
        while produced < self.posts:
            base = f"{r.choice(NOUNS)} {r.choice(ADJECTIVES)} {r.choice(PLACES)}"
            if r.random() < 0.04:
                for part in range(1, r.randint(2, 4) + 1):
                    style = part % 3
                    if style == 1:
                        yield f"{base} (ج{part})", True
                    elif style == 2:
                        yield f"{base} ج{part}", True
                    else:
                        yield f"{base} - الجزء {ORDINALS[part - 1]}", True
                    produced += 1
                    if produced == self.posts:
                        return
            else:
                yield f"{r.choice(VERBS)} {base}", False
                produced += 1

    def _comment_counts(self):
        """How many comments each post gets: exactly self.comments in all, some posts far more than others."""
        r = self.rng
        weights = [r.paretovariate(1.5) for _ in range(self.posts)]
        counts = [0] * self.posts
        for index in r.choices(range(self.posts), weights=weights, k=self.comments) if self.posts else ():
            counts[index] += 1
        return counts

    def _comments(self, post_date, count, feedback_ids):
        r = self.rng
        parts = []
        depth_of = {}  # comment id → depth, for comments that may get replies
        for _ in range(count):
            comment_id = self.next_comment_id
            self.next_comment_id += 1
            post_date = post_date + datetime.timedelta(minutes=r.randint(3, 600))
            parent = 0
            kind = ""
            state = r.choice(COMMENT_STATES)
            if r.random() < 0.01:
                kind, state = "pingback", "1"
                self.summary.pingbacks += 1
            elif depth_of and r.random() < 0.4:
                candidates = [cid for cid, depth in depth_of.items() if depth < MAX_DEPTH]
                if candidates:
                    parent = r.choice(candidates[-20:])
                    self.summary.replies += 1
            if kind:
                author, body, url = "مدونة الحي", "[…] " + self.sentences[r.randrange(len(self.sentences))] + " […]", f"{SITE}/blog/{comment_id}/"
            else:
                author = f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"
                body = " ".join(self.sentences[r.randrange(len(self.sentences))] for _ in range(r.randint(1, 3)))
                url = ""
                depth_of[comment_id] = depth_of.get(parent, 0) + 1
            meta = []
            if not kind and r.random() < 0.3:
                likes, dislikes = r.randint(0, 30), r.randint(0, 10)
                meta.append(("wpdiscuz_votes", str(likes - dislikes)))
                if r.random() < 0.7:
                    meta.append(("wpdiscuz_votes_seperate", f'a:2:{{s:4:"like";i:{likes};s:7:"dislike";i:{dislikes};}}'))
            if feedback_ids and not kind and not parent and r.random() < 0.3:
                meta.append(("wpdiscuz_feedback_form_id", r.choice(feedback_ids)))
            meta_xml = "".join(
                f"<wp:commentmeta><wp:meta_key>{cdata(key)}</wp:meta_key><wp:meta_value>{cdata(value)}</wp:meta_value></wp:commentmeta>"
                for key, value in meta
            )
            date = wp_date(post_date)
            parts.append(
                f"\t\t<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                f"<wp:comment_author>{cdata(author)}</wp:comment_author>"
                f"<wp:comment_author_email>{cdata('' if kind else f'reader{comment_id % 5000}@example.org')}</wp:comment_author_email>"
                f"<wp:comment_author_url>{url}</wp:comment_author_url>"
                f"<wp:comment_author_IP>{cdata(f'203.0.113.{comment_id % 250}')}</wp:comment_author_IP>"
                f"<wp:comment_date>{cdata(date)}</wp:comment_date><wp:comment_date_gmt>{cdata(date)}</wp:comment_date_gmt>"
                f"<wp:comment_content>{cdata(body)}</wp:comment_content>"
                f"<wp:comment_approved>{cdata(state)}</wp:comment_approved><wp:comment_type>{cdata(kind)}</wp:comment_type>"
                f"<wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>{meta_xml}</wp:comment>\n"
            )
        self.summary.comments += count
        return "".join(parts)

    def items(self):
        r = self.rng
        counts = self._comment_counts()
        start = datetime.datetime(2015, 1, 1, 8, 0)
        step = datetime.timedelta(minutes=max(1, (9 * 365 * 24 * 60) // max(self.posts, 1)))
        # Every run of 100 posts has the exact status mix, in a shuffled order: small files hold every status too.
        status_order = r.sample(STATUSES, len(STATUSES))
        for index, (title, in_series) in enumerate(self._titles()):
            post_id = 100 + index
            status = status_order[index % len(status_order)]
            self.summary.statuses[status] = self.summary.statuses.get(status, 0) + 1
            moment = start + step * index
            if status == "future":
                moment = datetime.datetime(2030, 1, 1, 9, 0) + datetime.timedelta(days=index % 700)
            paragraphs = self._paragraphs(r.randint(3000, 6000))
            feedback_ids = self._with_feedback(paragraphs, r.randint(1, 2)) if r.random() < 0.05 else []
            body = self._gutenberg(paragraphs) if r.random() < 0.5 else self._classic(paragraphs)

            slug = slug_of(title)
            if slug in self.used_slugs:
                slug = f"{slug}-{post_id}"
            self.used_slugs.add(slug)
            if status in ("draft", "pending"):
                post_name, link, date_gmt = "", f"{SITE}/?p={post_id}", "0000-00-00 00:00:00"
            elif status == "trash":
                post_name, link, date_gmt = slug + "__trashed", f"{SITE}/?p={post_id}", wp_date(moment)
            else:
                post_name, link, date_gmt = slug, f"{SITE}/{moment:%Y/%m/%d}/{slug}/", wp_date(moment)

            login = self.authors[index % len(self.authors) if not in_series else 0][0]
            category = r.choice(self.categories)
            terms = f'<category domain="category" nicename="{category[1]}">{cdata(category[3])}</category>'
            for _, tag_slug, tag_name in r.sample(self.tags, r.randint(0, 5)):
                terms += f'<category domain="post_tag" nicename="{tag_slug}">{cdata(tag_name)}</category>'
            meta = [("_edit_last", "2")]
            if r.random() < 0.5:
                count = r.randint(1, 60)
                meta.append(("wpdiscuz_post_rating", f"{r.uniform(1, 5):.1f}"))
                meta.append(("wpdiscuz_post_rating_count", str(count)))
            meta_xml = "".join(
                f"<wp:postmeta><wp:meta_key>{cdata(key)}</wp:meta_key><wp:meta_value>{cdata(value)}</wp:meta_value></wp:postmeta>"
                for key, value in meta
            )
            date = wp_date(moment)
            self.summary.posts += 1
            yield (
                f"\t<item>\n\t\t<title>{cdata(title)}</title>\n\t\t<link>{link}</link>\n"
                f"\t\t<dc:creator>{cdata(login)}</dc:creator>\n"
                f'\t\t<guid isPermaLink="false">{SITE}/?p={post_id}</guid>\n\t\t<description></description>\n'
                f"\t\t<content:encoded>{cdata(body)}</content:encoded>\n\t\t<excerpt:encoded>{cdata('')}</excerpt:encoded>\n"
                f"\t\t<wp:post_id>{post_id}</wp:post_id><wp:post_date>{cdata(date)}</wp:post_date>"
                f"<wp:post_date_gmt>{cdata(date_gmt)}</wp:post_date_gmt>"
                f"<wp:comment_status>{cdata('open')}</wp:comment_status><wp:ping_status>{cdata('open')}</wp:ping_status>"
                f"<wp:post_name>{cdata(post_name)}</wp:post_name><wp:status>{cdata(status)}</wp:status>"
                f"<wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order><wp:post_type>{cdata('post')}</wp:post_type>"
                f"<wp:post_password>{cdata('')}</wp:post_password><wp:is_sticky>0</wp:is_sticky>\n"
                f"\t\t{terms}\n\t\t{meta_xml}\n"
                f"{self._comments(moment, counts[index], feedback_ids)}\t</item>\n"
            )

    def write(self, path):
        with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
            out.write(self.header())
            for item in self.items():
                out.write(item)
            out.write("</channel>\n</rss>\n")
        self.summary.bytes = Path(path).stat().st_size
        return self.summary


def generate(path, posts=20000, comments=200000, seed=5):
    """Write the export to `path` and return a Summary of what it holds."""
    return Generator(posts, comments, seed).write(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--comments", type=int, default=200000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    summary = generate(args.out, args.posts, args.comments, args.seed)
    seconds = time.perf_counter() - started
    statuses = ", ".join(f"{status} {count}" for status, count in sorted(summary.statuses.items()))
    print(
        f"{args.out}: {summary.bytes / 1e6:.1f} MB in {seconds:.1f} s; "
        f"{summary.posts} posts ({statuses}); {summary.comments} comments "
        f"({summary.replies} replies, {summary.pingbacks} pingbacks); "
        f"{summary.authors} authors, {summary.categories} categories, {summary.tags} tags"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
