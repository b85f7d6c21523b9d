from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("article/<int:article_id>/", views.post_comment, name="post"),
    path("<int:comment_id>/reply/", views.reply, name="reply"),
    path("<int:comment_id>/posted/", views.posted, name="posted"),
    path("<int:comment_id>/edit/", views.edit, name="edit"),
    path("<int:comment_id>/vote/", views.vote, name="vote"),
]
