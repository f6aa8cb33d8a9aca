from django.urls import path

from . import views

app_name = "calls"
urlpatterns = [
    path("utlysningar/", views.call_list, name="list"),
    path("utlysningar/ny/", views.call_edit, name="create"),
    path("utlysningar/<int:pk>/", views.call_detail, name="detail"),
    path("utlysningar/<int:pk>/andra/", views.call_edit, name="edit"),
    path("utlysningar/<int:pk>/status/", views.call_status, name="status"),
    path("utlysningar/<int:pk>/bedomare/", views.call_assessors, name="assessors"),
    path("utlysningar/<int:pk>/villkor/", views.lift_condition, name="lift-condition"),
    path("utlysningar/<int:pk>/ansok/", views.apply, name="apply"),
    path("utlysningsplaner/", views.plan_list, name="plans"),
    path("utlysningsplaner/<int:pk>/", views.plan_detail, name="plan"),
    path("utlysningsplaner/<int:pk>/overenskommelse/", views.plan_agree, name="plan-agree"),
    path("utlysningsplaner/<int:pk>/ny-version/", views.plan_revise, name="plan-revise"),
    path("utlysningsplaner/rad/<int:pk>/ta-bort/", views.plan_entry_delete, name="plan-entry-delete"),
    path("utlysningsplan/", views.public_plan, name="public-plan"),
    path("utlysningsplan/<str:fmt>/", views.public_plan_file, name="public-plan-file"),
    path("ansokningar/", views.my_applications, name="my-applications"),
    path("ansokningar/<int:pk>/", views.application, name="application"),
]
