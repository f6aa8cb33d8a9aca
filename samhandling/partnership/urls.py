from django.urls import path

from . import views

app_name = "partnership"
M = "sammantraden/<int:year>/<int:number>/"
urlpatterns = [
    path("sammantraden/", views.meetings, name="meetings"),
    path("sammantraden/nytt/", views.meeting_new, name="meeting-new"),
    path("sammantraden/protokollmall/", views.minutes_template, name="minutes-template"),
    path("protokoll/kontrollera/", views.check, name="check"),
    path("oppna-data/beslut.json", views.decisions, name="decisions"),
    path(M + "paragrafer/<int:section>/beslut.json", views.decision, name="decision"),
    path(M, views.meeting_detail, name="meeting"),
    path(M + "protokoll.pdf", views.minutes_file, {"fmt": "pdf"}, name="minutes-pdf"),
    path(M + "protokoll.docx", views.minutes_file, {"fmt": "docx"}, name="minutes-docx"),
    path(M + "signerat-protokoll.pdf", views.signed_pdf, name="signed-pdf"),
    path(M + "offentlig-version/", views.public_version, name="public-version"),
    path(M + "offentlig-version.pdf", views.public_pdf, name="public-pdf"),
    path(M + "rattelser/<int:correction_id>.pdf", views.correction_pdf, name="correction-pdf"),
    path(M + "hantera/", views.manage, name="manage"),
    path(M + "uppgifter/", views.meeting_edit, name="meeting-edit"),
    path(M + "narvaro/", views.attendance, name="attendance"),
    path(M + "deltagare/", views.participant_add, name="participant-add"),
    path(M + "paragrafer/", views.item_add, name="item-add"),
    path(M + "paragrafer/<int:item_id>/", views.item_edit, name="item"),
    path(M + "paragrafer/<int:item_id>/flytta/", views.item_move, name="item-move"),
    path(M + "paragrafer/<int:item_id>/bilagor/<int:attachment_id>/", views.attachment, name="attachment"),
    path(M + "paragrafer/<int:item_id>/rattelse/", views.correction, name="correction"),
    path(M + "paragrafer/<int:item_id>/<str:what>/", views.item_record, name="item-record"),
    path(M + "status/", views.status, name="status"),
    path(M + "kallelse/", views.notice, name="notice"),
    path(M + "kallelse/<int:notice_id>/utskick/", views.notice_status, name="notice-status"),
    path(M + "justera/", views.approve, name="approve"),
]
