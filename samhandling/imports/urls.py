from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("import/", views.history, name="history"),
    path("import/matchningar/", views.matches, name="matches"),
]
