from django.urls import path

from . import views

app_name = "projectbank"
urlpatterns = [
    path("oppna-data/", views.open_data, name="open-data"),
    path("oppna-data/<str:fmt>/", views.open_data_file, name="open-data-file"),
]
