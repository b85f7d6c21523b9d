"""Each article's "read also" list, computed in the background and stored."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RelatedSource(models.TextChoices):
    """Why an article is on another's list: its text, or the fallback for small sites."""

    TEXT = "text", _("Related text")
    AUTHOR = "author", _("Same author")
    SECTION = "section", _("Same section")


class RelatedArticle(models.Model):
    """One item of an article's "read also" list.

    The teaser (author names, then the start of the text) is stored with the
    row so that the article page reads the whole list, titles and links
    included, in one query; it is rewritten whenever the related article is
    published again.
    """

    article = models.ForeignKey(
        "newsroom.ArticlePage",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="read_also_items",
    )
    related = models.ForeignKey(
        "newsroom.ArticlePage",
        verbose_name=_("related article"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"), default=0.0)
    source = models.CharField(_("reason"), max_length=10, choices=RelatedSource.choices, default=RelatedSource.TEXT)
    teaser = models.TextField(_("teaser"), blank=True)

    class Meta:
        ordering = ["article", "rank"]
        verbose_name = _("related article")
        verbose_name_plural = _("related articles")
        constraints = [
            models.UniqueConstraint(fields=["article", "rank"], name="related_one_item_per_rank"),
            models.UniqueConstraint(fields=["article", "related"], name="related_listed_once"),
        ]

    def __str__(self):
        return f"{self.article_id} → {self.related_id} (#{self.rank})"
