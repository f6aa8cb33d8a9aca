from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("bedomning/", views.mine, name="mine"),
    path("bedomning/ansokan/<int:pk>/", views.score, name="score"),
    path("bedomning/utlysning/<int:pk>/", views.call_overview, name="call"),
    path("bedomning/utlysning/<int:pk>/prioritera/", views.prioritise, name="prioritise"),
    path("bedomning/utlysning/<int:pk>/beslut/", views.decide, name="decide"),
    path("bedomning/rad/<int:pk>/flytta/", views.move, name="move"),
    path("bedomning/ansokan/<int:pk>/bevilja/", views.grant, name="grant"),
]
