"""What the header and footer of every reader page need."""

from django.conf import settings
from django.utils import translation


def site_chrome(request):
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "interface_language": language,
        # Section, tag and author names and the site's name are typed by the
        # editors in this language, whatever the interface language.
        "content_language": settings.MINBAR_CONTENT_LANGUAGE,
        "interface_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "interface_languages": [
            {"code": code, "name": translation.get_language_info(code)["name_local"]} for code, _ in settings.LANGUAGES
        ],
    }
