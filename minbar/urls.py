import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import index as sitemap_index, sitemap
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from minbar.core import views as core_views
from minbar.core.page_cache import lists_every_page
from minbar.newsroom import feeds, sitemaps

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", lists_every_page(sitemap_index), {"sitemaps": sitemaps.SITEMAPS}, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        lists_every_page(sitemap),
        {"sitemaps": sitemaps.SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("news-sitemap.xml", lists_every_page(sitemaps.news_sitemap), name="news_sitemap"),
    path("healthz", core_views.health, name="health"),
]

urlpatterns += i18n_patterns(
    path("", include("minbar.newsroom.urls")),
    # Reader actions of the discussion; each app's views answer forms without
    # JavaScript and the same URLs answer its scripts with JSON.
    path("comments/", include("minbar.comments.urls")),
    path("ratings/", include("minbar.ratings.urls")),
    path("subscriptions/", include("minbar.subscriptions.urls")),
    path("passages/", include("minbar.passages.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.MINBAR_SERVE_MEDIA:
    # The embedded default has no web server in front to serve uploads.
    urlpatterns += [
        re_path(
            r"^%s(?P<path>.*)$" % re.escape(settings.MEDIA_URL.lstrip("/")),
            core_views.media_file,
            name="media",
        )
    ]

handler400 = "minbar.core.views.bad_request"
handler404 = "minbar.core.views.page_not_found"
handler500 = "minbar.core.views.server_error"
