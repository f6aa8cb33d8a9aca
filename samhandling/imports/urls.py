from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("import/", views.history, name="history"),
    path("import/matchningar/", views.matches, name="matches"),
    path("import/ladda-upp/", views.upload, name="upload"),
    path("import/ladda-upp/<int:pk>/", views.upload_detail, name="upload-detail"),
    path("import/ladda-upp/<int:pk>/status/", views.upload_status, name="upload-status"),
    path("import/ladda-upp/<int:pk>/starta/", views.upload_start, name="upload-start"),
    path("import/ladda-upp/<int:pk>/avvisade.csv", views.upload_rejects, name="upload-rejects"),
]
