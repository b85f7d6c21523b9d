"""The fields a reader may send with a comment, and their limits (STYLE 18: accepted input listed here)."""

import re
from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from minbar.moderation.services import seconds_since
from minbar.readers.text import clean_body, clean_name

NAME_MAX = 80
EMAIL_MAX = 254
URL_MAX = 200
BODY_MAX = 5000
QUOTE_MAX = 1000
QUOTE_CONTEXT_MAX = 64
QUESTION_KEY_MAX = 32

# Browsers replace bytes that are not UTF-8 with U+FFFD when they cannot be
# decoded; so does Django. Such text was mangled on the way and is refused
# rather than stored with holes in it.
_UNREADABLE = "\ufffd"
# "javascript:…", "data:…": a scheme, unlike "example.org:8080/" (a port follows the colon).
_HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:(?!\d)")


def _readable(value):
    if _UNREADABLE in value:
        raise forms.ValidationError(
            _("Part of this text could not be read (it was not sent as UTF-8). Please type it again."),
            code="unreadable",
        )
    return value


class BodyField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            max_length=BODY_MAX,
            strip=False,
            error_messages={
                "required": _("Write your comment."),
                "max_length": _("A comment can be at most %(limit_value)d characters long (it has %(show_value)d)."),
            },
            **kwargs,
        )

    def clean(self, value):
        value = clean_body(super().clean(value) or "")
        if not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return _readable(value)


class CommentForm(forms.Form):
    text = BodyField()
    author_name = forms.CharField(
        max_length=NAME_MAX,
        required=False,
        error_messages={"max_length": _("A name can be at most %(limit_value)d characters long.")},
    )
    author_email = forms.EmailField(
        max_length=EMAIL_MAX,
        required=False,
        error_messages={
            "invalid": _("Enter an e-mail address such as name@example.com."),
            "max_length": _("An e-mail address can be at most %(limit_value)d characters long."),
        },
    )
    author_url = forms.CharField(
        max_length=URL_MAX,
        required=False,
        error_messages={"max_length": _("A website address can be at most %(limit_value)d characters long.")},
    )
    parent = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    notify_replies = forms.BooleanField(required=False)
    question = forms.CharField(max_length=QUESTION_KEY_MAX, required=False)
    quote = forms.CharField(
        max_length=QUOTE_MAX,
        required=False,
        strip=False,
        error_messages={"max_length": _("The selected passage can be at most %(limit_value)d characters long.")},
    )
    quote_prefix = forms.CharField(max_length=QUOTE_CONTEXT_MAX, required=False, strip=False)
    quote_suffix = forms.CharField(max_length=QUOTE_CONTEXT_MAX, required=False, strip=False)
    quote_position = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    started = forms.CharField(max_length=200, required=False)
    homepage = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is None:
            self.fields["author_name"].required = True
            self.fields["author_name"].error_messages["required"] = _("Write your name.")
            self.fields["author_email"].required = True
            self.fields["author_email"].error_messages["required"] = pgettext_lazy(
                "comment form", "Write your e-mail address; it is never shown."
            )

    def clean_author_name(self):
        name = _readable(clean_name(self.cleaned_data.get("author_name", "")))
        if self.user is None and not name:
            raise forms.ValidationError(_("Write your name."), code="required")
        return name

    def clean_author_email(self):
        return self.cleaned_data.get("author_email", "").strip().lower()

    def clean_author_url(self):
        url = _readable(self.cleaned_data.get("author_url", "").strip())
        if not url:
            return ""
        if not _HAS_SCHEME.match(url):
            url = "https://" + url
        try:
            parts = urlsplit(url)
        except ValueError:
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or "." not in (parts.hostname or "") or any(
            char.isspace() or ord(char) < 32 for char in url
        ):
            raise forms.ValidationError(_("Enter a website address starting with http:// or https://."), code="invalid")
        if len(url) > URL_MAX:
            raise forms.ValidationError(
                _("A website address can be at most %(limit)d characters long.") % {"limit": URL_MAX}, code="max_length"
            )
        return url

    def clean_quote(self):
        return _readable(clean_body(self.cleaned_data.get("quote", "")))

    # Fields the form carries hidden (a reply's parent, a passage's anchor): their errors have no
    # input to stand beside, so the form lists them at its top rather than saying nothing.
    HIDDEN_FIELDS = ("parent", "question", "quote", "quote_prefix", "quote_suffix", "quote_position")

    @property
    def hidden_field_errors(self):
        return [error for name in self.HIDDEN_FIELDS for error in self.errors.get(name, [])]

    @property
    def seconds_on_form(self):
        return seconds_since(self.cleaned_data.get("started", ""))


class EditForm(forms.Form):
    text = BodyField()
