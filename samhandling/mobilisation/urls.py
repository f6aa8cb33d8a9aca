from django.urls import path

from . import views

app_name = "mobilisation"
urlpatterns = [
    path("ideer/", views.ideas, name="ideas"),
    path("ideer/ny/", views.idea_new, name="idea-new"),
    path("ideer/min-organisation/", views.organisation, name="organisation"),
    path("ideer/organisationsbegaranden/", views.link_requests, name="link-requests"),
    path("ideer/organisationsbegaranden/<int:pk>/", views.link_request_decide, name="link-request-decide"),
    path("ideer/utfall/", views.outcomes, name="outcomes"),
    path("ideer/plattformar/ny/", views.platform_edit, name="platform-new"),
    path("ideer/plattformar/<int:pk>/andra/", views.platform_edit, name="platform-edit"),
    path("ideer/<int:pk>/", views.idea, name="idea"),
    path("ideer/<int:pk>/andra/", views.idea_edit, name="idea-edit"),
    path("ideer/<int:pk>/matchning/", views.idea_matches, name="idea-matches"),
    path("ideer/<int:pk>/ansokan/", views.idea_application, name="idea-application"),
    path("partnersok/", views.notices, name="notices"),
    path("partnersok/ny/", views.notice_new, name="notice-new"),
    path("partnersok/<int:pk>/", views.notice, name="notice"),
    path("informationsmoten/", views.meetings, name="meetings"),
    path("informationsmoten/nytt/", views.meeting_new, name="meeting-new"),
    path("informationsmoten/<int:pk>/", views.meeting, name="meeting"),
    path("informationsmoten/<int:pk>/deltagare/", views.attendees, name="attendees"),
    path("informationsmoten/bekrafta/<str:token>/", views.registration_confirm, name="registration-confirm"),
]
