from django.urls import path

from . import views

app_name = "projectbank"
urlpatterns = [
    path("projekt/", views.search, name="search"),
    path("projekt/forslag/", views.suggestions, name="suggestions"),
    path("projekt/<int:pk>/", views.project, name="project"),
    path("organisationer/<int:pk>/", views.organisation, name="organisation"),
    path("oppna-data/", views.open_data, name="open-data"),
    path("oppna-data/<str:fmt>/", views.open_data_file, name="open-data-file"),
]
