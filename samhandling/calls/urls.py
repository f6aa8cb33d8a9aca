from django.urls import path

from . import views

app_name = "calls"
urlpatterns = [
    path("utlysningar/", views.call_list, name="list"),
    path("utlysningar/<int:pk>/", views.call_detail, name="detail"),
    path("utlysningar/<int:pk>/status/", views.call_status, name="status"),
    path("utlysningar/<int:pk>/ansok/", views.apply, name="apply"),
    path("ansokningar/", views.my_applications, name="my-applications"),
    path("ansokningar/<int:pk>/", views.application, name="application"),
]
