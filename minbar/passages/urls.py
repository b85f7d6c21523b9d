from django.urls import path

from . import views

app_name = "passages"
urlpatterns = [
    path("<int:question_id>/answer/", views.answer, name="answer"),
]
