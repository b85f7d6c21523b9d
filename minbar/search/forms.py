"""The search form: what a reader may ask for, read from the query string.

Everything here is hostile input. Each field either gives a clean value or a
translated message naming what to fix; nothing a reader types reaches SQL
or HTML unescaped.
"""

from django import forms
from django.conf import settings
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from minbar.arabic import to_western
from minbar.newsroom.models import ArticleKind, Author, SectionPage

DATE_INPUT_FORMATS = ["%Y-%m-%d"]


class NamesSelect(forms.Select):
    """A list of names editors typed (sections, authors): each marked with the content language."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value):
            option["attrs"].update({"lang": settings.MINBAR_CONTENT_LANGUAGE, "dir": "auto"})
        return option


def _date_input():
    # type=date shows the phone's date picker; the value is always year-month-day.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WesternDigitsDateField(forms.DateField):
    """A date as year-month-day, typed with Western, Arabic-Indic or Persian digits."""

    def to_python(self, value):
        return super().to_python(to_western(value.strip()) if isinstance(value, str) else value)


class QueryField(forms.CharField):
    """What the reader typed, for the query language (query.py) to read and explain.

    Django's CharField refuses NUL characters with its own message; the query
    language drops them along with other control characters instead.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class SearchForm(forms.Form):
    q = QueryField(label=_("Words to look for"), required=False, strip=True)
    section = forms.ModelChoiceField(
        label=_("Section"),
        queryset=None,
        required=False,
        to_field_name="slug",
        widget=NamesSelect,
        empty_label=_("All sections"),
        error_messages={"invalid_choice": _("Choose a section from the list.")},
    )
    author = forms.ModelChoiceField(
        label=pgettext_lazy("byline", "Author"),
        queryset=None,
        required=False,
        to_field_name="slug",
        widget=NamesSelect,
        empty_label=_("All authors"),
        error_messages={"invalid_choice": _("Choose an author from the list.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        error_messages={"invalid_choice": _("Choose a kind of article from the list.")},
    )
    date_from = WesternDigitsDateField(
        label=_("From"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=_date_input(),
        error_messages={"invalid": _("Enter the start date as year-month-day, for example 2024-03-21.")},
    )
    date_to = WesternDigitsDateField(
        label=pgettext_lazy("end of a date range", "To"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=_date_input(),
        error_messages={"invalid": _("Enter the end date as year-month-day, for example 2024-03-21.")},
    )

    FILTERS = ("section", "author", "kind", "date_from", "date_to")

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["section"].queryset = SectionPage.objects.live().order_by("path")
        self.fields["author"].queryset = Author.objects.order_by("name")
        self.fields["kind"].choices = [("", _("All kinds")), *ArticleKind.choices]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date comes before the start date."))
        return cleaned

    def filters(self):
        """The valid filters, as keyword arguments for services.search."""
        return {name: self.cleaned_data.get(name) or None for name in self.FILTERS}

    @property
    def has_filters(self):
        return any(self.data.get(name) for name in self.FILTERS)
