from django.urls import path

from . import views

app_name = "portfolio"
urlpatterns = [
    path("portfoljen/", views.dashboard, name="dashboard"),
    path("portfoljen/diagram/<slug:key>.svg", views.chart, name="chart"),
    path("portfoljen/inriktning/", views.orientation, name="orientation"),
    path("portfoljen/rapport/", views.report_new, name="report-new"),
    path("portfoljen/rapport/<uuid:result_id>/", views.report, name="report"),
    path("portfoljen/rapport/<uuid:result_id>/fil/", views.report_file, name="report-file"),
    path("portfoljen/natverk/", views.network, name="network"),
    path("portfoljen/natverk/<int:pk>/", views.network_organisation, name="network-organisation"),
    path("portfoljen/natverk.csv", views.network_csv, name="network-csv"),
    path("portfoljen/etiketter/", views.labels, name="labels"),
    path("portfoljen/mal/", views.targets, name="targets"),
    path("portfoljen/indikatorer/", views.followup, name="followup"),
    path("portfoljen/mognad/", views.maturity, name="maturity"),
    path("portfoljen/mognad/ny/", views.maturity_new, name="maturity-new"),
]
