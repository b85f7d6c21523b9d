from django.urls import path

from minbar.search import views as search_views

from . import feeds, views

app_name = "newsroom"

urlpatterns = [
    path("author/<str:slug>/", views.author_page, name="author"),
    path("series/<str:slug>/", views.series_page, name="series"),
    path("tag/<str:slug>/", views.tag_page, name="tag"),
    path("search/", search_views.search_page, name="search"),
    path("search/results.json", search_views.search_results_json, name="search_json"),
    path("feed/rss/", feeds.LatestArticlesRss(), name="feed_rss"),
    path("feed/atom/", feeds.LatestArticlesAtom(), name="feed_atom"),
    path("section/<str:slug>/feed/rss/", feeds.SectionRss(), name="section_feed_rss"),
    path("section/<str:slug>/feed/atom/", feeds.SectionAtom(), name="section_feed_atom"),
    path("author/<str:slug>/feed/rss/", feeds.AuthorRss(), name="author_feed_rss"),
    path("author/<str:slug>/feed/atom/", feeds.AuthorAtom(), name="author_feed_atom"),
    path("series/<str:slug>/feed/rss/", feeds.SeriesRss(), name="series_feed_rss"),
    path("series/<str:slug>/feed/atom/", feeds.SeriesAtom(), name="series_feed_atom"),
]
