"""Applicants get an e-mail receipt when they submit (web form and API); a refused submission sends nothing."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from test_calls_applications import application_data, open_call

from samhandling.access.roles import Role
from samhandling.mail.models import OutgoingMail
from samhandling.projects.models import Project


def _form():
    form = {k: v for k, v in application_data().items() if k not in ("partners", "criterion_texts")}
    form.update({f"criterion_{n}": f"Text {n}" for n in range(1, 6)}, save="1")
    return form


def test_receipt_on_submit_only(client, demo, make_user, run_tasks):
    run_tasks()
    mail.outbox.clear()
    call = open_call(max_support=Decimal("1004400"), cofinancing_share=Decimal("0.46"), pre_study=True)
    applicant = make_user("sokande", Role.APPLICANT)
    User.objects.filter(pk=applicant.pk).update(email="sokande@example.org", first_name="Sara", last_name="Sökande")
    client.force_login(applicant)
    form = _form()
    client.post(reverse("calls:apply", args=[call.pk]), form)
    app = Project.objects.get(owner=applicant)
    run_tasks()
    assert mail.outbox == []  # a saved draft gets no receipt

    refused = client.post(reverse("calls:application", args=[app.pk]), {**form, "criterion_5": "", "submit": "1"})
    run_tasks()
    assert refused.status_code == 400 and mail.outbox == [] and not OutgoingMail.objects.filter(kind="receipt")

    client.post(reverse("calls:application", args=[app.pk]), {**form, "submit": "1"})
    app.refresh_from_db()
    assert app.status == Project.Status.SUBMITTED
    run_tasks()
    (receipt,) = mail.outbox
    assert receipt.to == ["sokande@example.org"] and app.name in receipt.subject
    assert "Sara Sökande" in receipt.body and str(app.pk) in receipt.body
    assert OutgoingMail.objects.get(kind="receipt").status == "sent"


def test_applicant_without_address_is_recorded_not_mailed(client, demo, make_user, run_tasks):
    run_tasks()
    mail.outbox.clear()
    call = open_call(max_support=Decimal("1004400"), cofinancing_share=Decimal("0.46"), pre_study=True)
    client.force_login(make_user("sokande", Role.APPLICANT))
    form = _form()
    client.post(reverse("calls:apply", args=[call.pk]), form)
    app = Project.objects.get(owner__username="sokande")
    client.post(reverse("calls:application", args=[app.pk]), {**form, "submit": "1"})
    run_tasks()
    assert mail.outbox == []
    assert OutgoingMail.objects.get(kind="receipt").status == "no_address"
