from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PassageAnchor(models.Model):
    """Where a passage is in an article, so that it can be found again after edits.

    The W3C Web Annotation TextQuoteSelector: the exact words (`quote`) with a
    few words before and after them to tell repeated quotes apart, plus a
    position hint (`quote_position`, the offset of the quote in the article's
    plain text when it was anchored) to choose between equal candidates. All
    empty on a comment about the whole article.
    """

    quote = models.TextField(_("passage"), blank=True)
    quote_prefix = models.CharField(_("text before the passage"), max_length=64, blank=True)
    quote_suffix = models.CharField(_("text after the passage"), max_length=64, blank=True)
    quote_position = models.PositiveIntegerField(_("position of the passage"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_on_a_passage(self):
        return bool(self.quote)


class PassageQuestion(PassageAnchor):
    """A question an editor asks readers about one passage of an article (the seed's "inline feedback")."""

    article = models.ForeignKey(
        "newsroom.ArticlePage",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="passage_questions",
    )
    # The id the rich-text body carries on the marked passage.
    key = models.CharField(_("key"), max_length=32)
    question = models.CharField(_("question"), max_length=300)
    is_open = models.BooleanField(_("open for answers"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("passage question")
        verbose_name_plural = _("passage questions")
        constraints = [models.UniqueConstraint(fields=["article", "key"], name="passage_question_key_per_article")]

    def __str__(self):
        return self.question
