from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("mina-uppgifter/", views.my_tasks, name="tasks"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
    path("granskningslogg/<str:model>/<str:pk>/", views.audit_trail, name="audit-trail"),
    path("granskningslogg/<str:model>/<str:pk>/csv/", views.audit_trail_csv, name="audit-trail-csv"),
]
