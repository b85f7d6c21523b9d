from django import template

from ..display import rating_display

register = template.Library()


@register.simple_tag(takes_context=True)
def article_rating(context, article):
    """The rating box's numbers for `article`, for `{% article_rating page as rating %}`."""
    return rating_display(context["request"], article)
