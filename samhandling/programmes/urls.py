from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("oronmarkningar/", views.earmark_list, name="earmarks"),
    path("oronmarkningar/ny/", views.earmark_create, name="earmark-create"),
    path("oronmarkningar/<int:pk>/ta-bort/", views.earmark_delete, name="earmark-delete"),
]
