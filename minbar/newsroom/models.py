"""The newsroom: sections, articles, authors, series and tags."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _, pgettext
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from minbar.core import page_cache

from . import queries

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "blockquote", "hr", "image", "passage"]


class CommentModeration(models.TextChoices):
    """Which new comments wait for an editor before readers see them."""

    HOLD_ALL = "all", _("Hold every comment")
    HOLD_FIRST = "first", _("Hold comments from first-time commenters")
    HOLD_NONE = "none", _("Publish comments at once")


class ArticleKind(models.TextChoices):
    OPINION = "opinion", _("Opinion")
    NEWS = "news", _("News")
    REPORT = "report", _("Report")
    PRESS_STATEMENT = "statement", _("Press statement")
    INTERVIEW = "interview", _("Interview")


class ContentLanguage(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    CENTRAL_KURDISH = "ckb", _("Central Kurdish")
    ENGLISH = "en", _("English")


RIGHT_TO_LEFT = {ContentLanguage.ARABIC, ContentLanguage.CENTRAL_KURDISH}


class AuthorKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organization")


class Author(index.Indexed, ClusterableModel):
    """Who signs an article: a writer, or an organization issuing a statement."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text=_("The author's address on the site, e.g. /author/dilshad-yousef/."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AuthorKind.choices, default=AuthorKind.PERSON)
    bio = models.TextField(_("biography"), blank=True, help_text=_("A few sentences shown on the author's page."))
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo or logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        InlinePanel("links", label=_("links")),
    ]

    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.SearchField("bio")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("newsroom:author", kwargs={"slug": self.slug})

    @property
    def is_organization(self):
        return self.kind == AuthorKind.ORGANIZATION


class AuthorLink(Orderable):
    author = ParentalKey(Author, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=100, help_text=_("e.g. Website, Mastodon, E-mail"))
    url = models.URLField(_("address"))

    panels = [FieldPanel("label"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("link")
        verbose_name_plural = _("links")


class Series(index.Indexed, ClusterableModel):
    """Articles published in numbered parts (ج1، ج2 …)."""

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    is_complete = models.BooleanField(
        _("complete"),
        default=False,
        help_text=_(
            "Tick once the last part is published. Until then the newest published part "
            "ends with “to be continued”."
        ),
    )

    panels = [FieldPanel("title"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("is_complete")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["title"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("newsroom:series", kwargs={"slug": self.slug})


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class HomePage(Page):
    """The front page: the latest articles, then a block per section."""

    max_count = 1
    subpage_types = ["newsroom.SectionPage", "newsroom.SimplePage"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        page_cache.depends_on(page_cache.LISTING, page_cache.SECTIONS_LISTING)
        context.update(queries.front_page())
        return context


class SectionPage(Page):
    """A section of the paper (opinion, news, reports, statements) holding its articles and sub-sections."""

    description = models.TextField(_("description"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("description")]
    # A section may hold sub-sections (News › Local), as WordPress categories do.
    parent_page_types = ["newsroom.HomePage", "newsroom.SectionPage"]
    subpage_types = ["newsroom.ArticlePage", "newsroom.SectionPage"]

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A section lists its sub-sections' articles too.
        page_cache.depends_on(page_cache.listing_key("section", self.pk))
        articles = queries.with_byline(queries.published_articles().descendant_of(self))
        context["page_obj"] = Paginator(articles, settings.MINBAR_ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
        return context


class ArticlePage(Page):
    """An article: opinion, news, report, press statement or interview."""

    kind = models.CharField(_("kind"), max_length=20, choices=ArticleKind.choices, default=ArticleKind.OPINION)
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("One or two sentences for lists, feeds and sharing. Left empty, the start of the body is used."),
    )
    body = RichTextField(_("body"), features=RICH_TEXT_FEATURES)
    language = models.CharField(
        _("language"),
        max_length=3,
        choices=ContentLanguage.choices,
        default=ContentLanguage.ARABIC,
        help_text=_("The language the article is written in; it sets the text direction."),
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    part_number = models.PositiveSmallIntegerField(
        _("part number"), null=True, blank=True, help_text=_("Which part of the series this is: 1, 2, 3 …")
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_caption = models.CharField(_("cover caption"), max_length=300, blank=True)
    updated_at = models.DateTimeField(
        _("updated"),
        null=True,
        blank=True,
        help_text=_("Set when a correction or an update changes what the article says; readers see it."),
    )
    comments_open = models.BooleanField(
        _("comments open"),
        default=True,
        help_text=_("Readers may comment. Comments already posted stay visible when closed."),
    )
    comment_moderation = models.CharField(
        _("comment moderation"),
        max_length=10,
        choices=CommentModeration.choices,
        blank=True,
        default="",
        help_text=_("Which comments wait for an editor before they appear. Empty: as set for the whole site."),
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("language")]),
        InlinePanel("article_authors", label=_("authors"), min_num=1),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("cover_image"), FieldPanel("cover_caption")], heading=_("cover")),
        FieldRowPanel([FieldPanel("series"), FieldPanel("part_number")], heading=_("series")),
        FieldPanel("tags"),
        FieldPanel("updated_at"),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [FieldPanel("comments_open"), FieldPanel("comment_moderation")], heading=_("discussion")
        ),
    ]

    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["newsroom.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.series_id and not self.part_number:
            raise ValidationError({"part_number": _("An article in a series needs its part number.")})
        if self.part_number and not self.series_id:
            raise ValidationError({"series": _("Choose the series this part belongs to.")})

    @property
    def direction(self):
        return "rtl" if self.language in RIGHT_TO_LEFT else "ltr"

    @property
    def is_opinion(self):
        return self.kind == ArticleKind.OPINION

    @property
    def part_label(self):
        """The part marker shown after the title, in the article's own language (ج1)."""
        if not self.part_number:
            return ""
        with translation.override(self.language):
            return pgettext("series part marker after a title", "Part %(number)s") % {"number": self.part_number}

    @property
    def continued_label(self):
        """“To be continued”, in the article's own language (يتبع)."""
        with translation.override(self.language):
            return pgettext("end of a series part whose next part is not out yet", "To be continued")

    @cached_property
    def authors(self):
        return [link.author for link in self.article_authors.all()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.article_context(self))
        return context


class SimplePage(Page):
    """A page outside the news flow: about us, contact, the editorial charter. Pages may hold pages."""

    body = RichTextField(
        _("body"), blank=True, features=[feature for feature in RICH_TEXT_FEATURES if feature != "passage"]
    )
    language = models.CharField(
        _("language"),
        max_length=3,
        choices=ContentLanguage.choices,
        default=ContentLanguage.ARABIC,
        help_text=_("The language the page is written in; it sets the text direction."),
    )

    content_panels = Page.content_panels + [FieldPanel("language"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["newsroom.HomePage", "newsroom.SimplePage"]
    subpage_types = ["newsroom.SimplePage"]

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    @property
    def direction(self):
        return "rtl" if self.language in RIGHT_TO_LEFT else "ltr"


class ArticleAuthor(Orderable):
    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(Author, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")
