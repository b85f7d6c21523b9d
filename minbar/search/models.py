"""What search stores: one analysed entry per live article, and editors' spelling variants."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from minbar.arabic import tokens


class SearchEntry(models.Model):
    """One live, public article as the search engines see it.

    Each text field holds the article's words as space-separated terms:
    `*_forms` in matching form (normalized, unstemmed: ranks the spelling a
    reader typed first), `*_stems` stemmed (decides what matches). The body is
    the summary, the body's text, the authors' names and the tags.

    The engines index these columns themselves (see backends/): an FTS5 table
    kept in step by triggers on SQLite, a weighted tsvector column filled by a
    trigger on PostgreSQL. `article_id` is deliberately no foreign key: a
    deleted article's entry is removed in the background, and queries only
    ever return articles whose page is live.
    """

    article_id = models.IntegerField(primary_key=True)
    title_forms = models.TextField(blank=True)
    title_stems = models.TextField(blank=True)
    body_forms = models.TextField(blank=True)
    body_stems = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    TEXT_FIELDS = ("title_forms", "title_stems", "body_forms", "body_stems")

    def __str__(self):
        return f"search entry of article {self.article_id}"

    @property
    def stems(self):
        """The distinct stems of the article, title and body together."""
        return set(self.title_stems.split()) | set(self.body_stems.split())


class TermStatistic(models.Model):
    """How many entries hold a stem: the document frequencies behind "more like this".

    Kept up to date as entries change, counted afresh by every rebuild.
    """

    term = models.TextField(primary_key=True)
    documents = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.term}: {self.documents}"


class SpellingVariant(models.Model):
    """A spelling no normalization rule reaches, and the one search should treat it as."""

    variant = models.CharField(
        _("variant spelling"),
        max_length=100,
        unique=True,
        help_text=_("One word as some writers or readers spell it, e.g. كوردستان."),
    )
    canonical = models.CharField(
        _("standard spelling"),
        max_length=100,
        help_text=_("The same word as search should treat it, e.g. كردستان."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("variant"), FieldPanel("canonical")]

    class Meta:
        ordering = ["variant"]
        verbose_name = _("spelling variant")
        verbose_name_plural = _("spelling variants")

    def __str__(self):
        return f"{self.variant} → {self.canonical}"

    def clean(self):
        super().clean()
        errors = {}
        words = {name: tokens(getattr(self, name) or "") for name in ("variant", "canonical")}
        for name, found in words.items():
            if len(found) != 1 or len((getattr(self, name) or "").split()) != 1:
                errors[name] = _("Type one word, without spaces or punctuation.")
        if not errors and words["variant"] == words["canonical"]:
            errors["canonical"] = _("Search already treats these two spellings as the same word.")
        if errors:
            raise ValidationError(errors)
