from django import forms
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from .models import SubscriptionKind
from .services import normalize_email

# What the notify-me form's radio buttons send, and the kind each one means.
NOTIFY_CHOICES = {
    "comments": SubscriptionKind.ARTICLE,
    "replies": SubscriptionKind.REPLIES_TO_ME,
    "thread": SubscriptionKind.REPLIES_TO_COMMENT,
}


class EmailField(forms.CharField):
    """One address, refused when it holds anything a mail header could be bent with."""

    def __init__(self, **kwargs):
        super().__init__(max_length=254, strip=True, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        address = normalize_email(value)
        if not address:
            raise forms.ValidationError(_("Enter a valid e-mail address."), code="invalid")
        return address


class SubscribeForm(forms.Form):
    email = EmailField(label=_("E-mail address"), error_messages={"required": _("Enter your e-mail address.")})
    notify = forms.ChoiceField(
        label=_("Notify me of"),
        choices=[
            ("comments", _("new comments on this article")),
            ("replies", _("new replies to my comments")),
            ("thread", pgettext_lazy("notify me of", "replies to this comment")),
        ],
        initial="comments",
    )
    # Bounded like the database's ids: a longer number was a 500 (integer overflow in the query).
    article = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    comment = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False, widget=forms.HiddenInput)

    @property
    def kind(self):
        return NOTIFY_CHOICES[self.cleaned_data["notify"]]


class AccessForm(forms.Form):
    email = EmailField(label=_("E-mail address"), error_messages={"required": _("Enter your e-mail address.")})
