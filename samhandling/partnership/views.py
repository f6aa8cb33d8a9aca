"""Meeting pages: the public list and minutes, and the secretariat's pages to prepare and record a meeting."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from samhandling.core.ratelimit import exceeded
from samhandling.core.uploads import attachment_response
from samhandling.mail import selectors as mail_selectors

from . import minutes, services, signing, verification
from .forms import (
    ApproveForm,
    AttachmentForm,
    AttendanceForm,
    CheckForm,
    CorrectionForm,
    ItemAddForm,
    ItemForm,
    MeetingForm,
    MinutesTemplateForm,
    NoticeForm,
    ParticipantForm,
    PersonTextForm,
    VoteForm,
)
from .models import Correction, Item, ItemAttachment, Meeting, Notice
from .rules import adjustment_deadline, notice_deadline
from .selectors import (
    attendance_groups,
    can_see_drafts,
    current_partnership,
    meeting_warnings,
    upcoming_notices,
    visible_meetings,
    votes_per_item,
)


def _meeting(request, year, number) -> Meeting:
    """The meeting if the user may see it: published for everyone, drafts only for secretariat and members."""
    partnership = current_partnership()
    meeting = get_object_or_404(Meeting, partnership=partnership, year=year, number=number)
    if not meeting.is_published and not can_see_drafts(request.user, partnership):
        raise Http404
    return meeting


def _apply(request, form, action):
    """Runs a service; its Swedish ValidationError lands on the form (field errors where it names a field)."""
    try:
        action()
        return True
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False


def meetings(request):
    partnership = current_partnership()
    return render(
        request,
        "partnership/meetings.html",
        {
            "partnership": partnership,
            "meetings": visible_meetings(request.user, partnership) if partnership else [],
            "notices": upcoming_notices(partnership) if partnership else [],
            "may_manage": _is_secretariat(request.user),
        },
    )


def _is_secretariat(user):
    from samhandling.access.roles import Role, has_role

    return has_role(user, Role.SECRETARIAT, Role.ADMINISTRATOR)


def meeting_detail(request, year, number):
    partnership = current_partnership()
    meeting = get_object_or_404(Meeting, partnership=partnership, year=year, number=number)
    if not meeting.is_published and not can_see_drafts(request.user, partnership):
        if meeting.status == Meeting.Status.PLANNED and meeting.notices.exists():
            return render(
                request,
                "partnership/notice_public.html",
                {"meeting": meeting, "items": meeting.items.order_by("number")},
            )
        raise Http404
    return _minutes_page(request, meeting, public=_public_reader(request, meeting))


def _public_reader(request, meeting) -> bool:
    """Signed minutes show the public reader their public version; the full original is for the secretariat
    and the partnership's members (and for anyone on request, after the secretariat's review)."""
    return meeting.is_signed and not can_see_drafts(request.user, meeting.partnership)


def public_version(request, year, number):
    """The public version of signed minutes at its own address, for everyone (members see what the public sees)."""
    meeting = _meeting(request, year, number)
    if not meeting.is_signed:
        raise Http404
    return _minutes_page(request, meeting, public=True)


def _minutes_page(request, meeting, *, public: bool):
    partnership = meeting.partnership
    ctx = minutes.minutes_context(meeting, public=public)
    ctx.update(
        may_manage=_is_secretariat(request.user) and not public,
        approve_form=ApproveForm(),
        may_approve=_may_approve(request.user, meeting),
        correction_form=CorrectionForm(),
        warnings=meeting_warnings(meeting) if can_see_drafts(request.user, partnership) else [],
    )
    return render(request, "partnership/meeting_detail.html", ctx)


def attachment(request, year, number, item_id, attachment_id):
    """An item's document: public once the minutes are published, before that only for those who may see
    the draft (secretariat, the partnership's members and substitutes). Served as a download (core.uploads)."""
    meeting = _meeting(request, year, number)
    document = get_object_or_404(ItemAttachment, pk=attachment_id, item_id=item_id, item__meeting=meeting)
    if not can_see_drafts(request.user, meeting.partnership) and not document.item.public:
        raise Http404  # a § left out of the public version keeps its documents out too
    return attachment_response(document.file)


def _may_approve(user, meeting):
    person = getattr(user, "person", None) if user.is_authenticated else None
    return (
        bool(person)
        and meeting.status in (Meeting.Status.MINUTES_DRAFTED, Meeting.Status.ADJUSTED)
        and bool(services.signatory_roles(meeting, person))  # chair, adjusters, the secretary where rules say so
    )


def minutes_file(request, year, number, fmt):
    meeting = _meeting(request, year, number)
    signed = getattr(meeting, "signed_minutes", None)
    if fmt == "pdf" and signed is not None:  # signed minutes are their signed original, never a new rendering
        data, ctype = _signed_bytes(request, meeting, signed), "application/pdf"
    elif fmt == "pdf":
        data, ctype = minutes.render_pdf(meeting), "application/pdf"
    else:
        if not can_see_drafts(request.user, meeting.partnership):
            raise Http404
        data, ctype = (
            minutes.render_docx(meeting),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f'inline; filename="protokoll-{meeting.number}-{meeting.year}.{fmt}"'
    return response


def signed_pdf(request, year, number):
    meeting = _meeting(request, year, number)
    signed = getattr(meeting, "signed_minutes", None)
    if signed is None:
        raise Http404
    public = _public_reader(request, meeting)
    response = HttpResponse(_signed_bytes(request, meeting, signed), content_type="application/pdf")
    suffix = "offentlig-version" if public else "signerat"
    response["Content-Disposition"] = f'inline; filename="protokoll-{meeting.number}-{meeting.year}-{suffix}.pdf"'
    return response


def public_pdf(request, year, number):
    """The signed public version, for everyone."""
    meeting = _meeting(request, year, number)
    signed = getattr(meeting, "signed_minutes", None)
    if signed is None:
        raise Http404
    response = HttpResponse(_public_pdf_bytes(meeting, signed), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="protokoll-{meeting.number}-{meeting.year}-offentlig-version.pdf"'
    )
    return response


def _public_pdf_bytes(meeting, signed) -> bytes:
    """The signed public version; minutes signed before public versions existed get one rendered from their
    frozen content (unsigned, and it says it is the public version)."""
    return bytes(signed.public_pdf) or minutes.render_pdf(meeting, public=True)


def _signed_bytes(request, meeting, signed) -> bytes:
    return _public_pdf_bytes(meeting, signed) if _public_reader(request, meeting) else bytes(signed.pdf)


CHECK_MAX_BYTES = 20 * 1024 * 1024
CHECKS_PER_HOUR = 60  # per client address: validating signatures costs CPU, and the page is open to anyone


def _check_allowed(request) -> bool:
    return not exceeded(request, "minutes-check", f"{CHECKS_PER_HOUR}/h", method="POST")


def check(request):
    """Kontrollera ett protokoll: anyone uploads a PDF and learns whether it is an unaltered signed original."""
    form = CheckForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and not _check_allowed(request):
        refused = _("För många kontroller från din adress. Försök igen om en timme.")
        response = render(request, "partnership/check.html", {"form": CheckForm(), "refused": refused}, status=429)
        response["Retry-After"] = "3600"
        return response
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > CHECK_MAX_BYTES:
            form.add_error(
                "file",
                _("Filen är för stor (%(size)s MB). Ett protokoll som PDF är högst %(max)s MB.")
                % {"size": upload.size // 2**20, "max": CHECK_MAX_BYTES // 2**20},
            )
        else:
            data = upload.read()
            if not data.lstrip()[:5].startswith(b"%PDF-"):
                form.add_error("file", _("Filen är inte en PDF. Välj protokollet som PDF-fil."))
            else:
                try:
                    report = verification.check_file(data)
                except signing.NotAPdf:
                    form.add_error("file", _("Filen är trasig och kan inte läsas som PDF."))
    status = 400 if form.errors else 200
    return render(request, "partnership/check.html", {"form": form, "report": report}, status=status)


def _absolute(request):
    return lambda name, *args: request.build_absolute_uri(reverse(name, args=args))


def decisions(request):
    """All decisions of published minutes as open data (JSON), newest meeting first."""
    partnership = current_partnership()
    published = Meeting.objects.filter(partnership=partnership, status=Meeting.Status.PUBLISHED).order_by(
        "-year", "-number"
    )
    records = [
        r for m in published.select_related("signed_minutes") for r in minutes.decision_records(m, _absolute(request))
    ]
    return JsonResponse(
        {"license": "CC0-1.0", "count": len(records), "decisions": records},
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


def decision(request, year, number, section):
    """One decision (§) of published minutes at a stable URL."""
    meeting = get_object_or_404(
        Meeting, partnership=current_partnership(), year=year, number=number, status=Meeting.Status.PUBLISHED
    )
    record = next((r for r in minutes.decision_records(meeting, _absolute(request)) if r["section"] == section), None)
    if record is None:
        raise Http404
    return JsonResponse(record, json_dumps_params={"ensure_ascii": False, "indent": 2})


def correction_pdf(request, year, number, correction_id):
    meeting = _meeting(request, year, number)
    correction = get_object_or_404(Correction, item__meeting=meeting, pk=correction_id)
    if not correction.pdf_sha256 or (_public_reader(request, meeting) and not correction.item.public):
        raise Http404
    response = HttpResponse(bytes(correction.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="rattelse-{meeting.number}-{meeting.year}-p{correction.item.number}-{correction.pk}.pdf"'
    )
    return response


def meeting_new(request):
    partnership = current_partnership()
    form = MeetingForm(request.POST or None)
    form.instance.partnership = partnership
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        adjusters = data.pop("adjusters")
        holder = {}
        if _apply(request, form, lambda: holder.update(m=services.create_meeting(partnership, **data))):
            holder["m"].adjusters.set(adjusters)
            messages.success(request, _("Sammanträde %(c)s är skapat med standardpunkterna.") % {"c": holder["m"].code})
            return redirect("partnership:manage", year=holder["m"].year, number=holder["m"].number)
    return render(request, "partnership/meeting_form.html", {"form": form})


def _manage_context(meeting, **forms):
    counts = votes_per_item(meeting)
    items = list(meeting.items.order_by("number"))
    return {
        "meeting": meeting,
        "items": [(i, counts[i.id]) for i in items],
        "groups": attendance_groups(meeting),
        "participants": meeting.participants.all(),
        "warnings": meeting_warnings(meeting),
        "notice_deadline": notice_deadline(meeting),
        "adjustment_deadline": adjustment_deadline(meeting),
        "notices": [(n, mail_selectors.delivery(n)) for n in meeting.notices.all()],
        "reorderable": meeting.status in services.REORDERABLE,
        "attendance_form": forms.get("attendance_form") or AttendanceForm(meeting=meeting),
        "item_form": forms.get("item_form") or ItemAddForm(),
        "participant_form": forms.get("participant_form") or ParticipantForm(),
        "notice_form": forms.get("notice_form") or NoticeForm(),
        "meeting_form": forms.get("meeting_form") or MeetingForm(instance=meeting),
    }


def manage(request, year, number):
    meeting = _meeting(request, year, number)
    return render(request, "partnership/manage.html", _manage_context(meeting))


def _after(request, meeting, template="partnership/manage.html", **forms):
    """HTMX gets the attendance partial, others the whole page (or a redirect on success)."""
    if request.htmx and "attendance_form" in forms:
        # The form answers in place: with its errors at the fields (400), or fresh with a confirmation, the
        # attendance table and the agenda's vote counts swapped out of band so the page's figures follow.
        form = forms["attendance_form"]
        if form.errors:
            return render(request, "partnership/_attendance_form.html", _manage_context(meeting, **forms), status=400)
        saved = _("Närvaron för %(name)s är registrerad.") % {"name": form.cleaned_data["membership"].person.name}
        return render(request, "partnership/_attendance_saved.html", {**_manage_context(meeting), "saved": saved})
    if any(f.errors for f in forms.values()):
        return render(request, template, _manage_context(meeting, **forms), status=400)
    return redirect("partnership:manage", year=meeting.year, number=meeting.number)


@require_POST
def meeting_edit(request, year, number):
    meeting = _meeting(request, year, number)
    form = MeetingForm(request.POST, instance=meeting)
    if form.is_valid():
        _apply(request, form, form.save)
    return _after(request, meeting, meeting_form=form)


@require_POST
def attendance(request, year, number):
    meeting = _meeting(request, year, number)
    form = AttendanceForm(request.POST, meeting=meeting)
    if form.is_valid():
        d = form.cleaned_data
        _apply(
            request,
            form,
            lambda: services.record_attendance(
                meeting,
                d["membership"],
                present=d["present"],
                from_item=d["from_item"],
                until_item=d["until_item"],
                serving_for=d["serving_for"],
                absences=d["absences"],
            ),
        )
    return _after(request, meeting, attendance_form=form)


@require_POST
def participant_add(request, year, number):
    meeting = _meeting(request, year, number)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        _apply(request, form, lambda: services.add_participant(meeting, **form.cleaned_data))
    return _after(request, meeting, participant_form=form)


@require_POST
def item_add(request, year, number):
    meeting = _meeting(request, year, number)
    form = ItemAddForm(request.POST)
    if form.is_valid():
        _apply(request, form, lambda: services.add_item(meeting, **form.cleaned_data))
    return _after(request, meeting, item_form=form)


@require_POST
def item_move(request, year, number, item_id):
    meeting = _meeting(request, year, number)
    item = get_object_or_404(Item, meeting=meeting, pk=item_id)
    try:
        services.move_item(item, -1 if request.POST.get("direction") == "up" else 1)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("partnership:manage", year=meeting.year, number=meeting.number)


@require_POST
def status(request, year, number):
    meeting = _meeting(request, year, number)
    target = request.POST.get("status", "")
    try:
        if target == Meeting.Status.PUBLISHED:
            services.publish(meeting)
        else:
            services.set_status(meeting, target)
        messages.success(request, _("Sammanträdets status är nu %(s)s.") % {"s": meeting.get_status_display()})
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("partnership:manage", year=meeting.year, number=meeting.number)


@require_POST
def notice(request, year, number):
    meeting = _meeting(request, year, number)
    form = NoticeForm(request.POST)
    sent = []
    if form.is_valid() and _apply(
        request,
        form,
        lambda: sent.append(
            services.send_notice(meeting, sent_by=request.user, confirm_late=form.cleaned_data["confirm_late"])
        ),
    ):
        result = mail_selectors.delivery(sent[0])
        waiting = len(result.queued)
        if waiting:
            messages.success(
                request,
                ngettext(
                    "Kallelsen är registrerad. %(n)s e-postmeddelande skickas nu; sidan visar när det har gått iväg.",
                    "Kallelsen är registrerad. %(n)s e-postmeddelanden skickas nu; sidan visar när de har gått iväg.",
                    waiting,
                )
                % {"n": waiting},
            )
        else:
            messages.error(
                request, _("Kallelsen är registrerad men ingen e-post skickas: ingen mottagare har en e-postadress.")
            )
        if result.no_address:
            messages.warning(
                request,
                _("%(n)s saknar e-postadress och får ingen kallelse: %(names)s.")
                % {"n": len(result.no_address), "names": ", ".join(result.no_address)},
            )
    return _after(request, meeting, notice_form=form)


def notice_status(request, year, number, notice_id):
    """The delivery of one notice, polled by the manage page while e-mails wait to be sent."""
    meeting = _meeting(request, year, number)
    notice = get_object_or_404(Notice, meeting=meeting, pk=notice_id)
    return render(
        request,
        "partnership/_notice_delivery.html",
        {"meeting": meeting, "notice": notice, "delivery": mail_selectors.delivery(notice)},
    )


def item_edit(request, year, number, item_id):
    meeting = _meeting(request, year, number)
    item = get_object_or_404(Item, meeting=meeting, pk=item_id)
    form = ItemForm(request.POST or None, initial=_item_initial(item), prefix="item")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _apply(
            request,
            form,
            lambda: services.update_item(
                item,
                title=d["title"],
                registry_number=d["registry_number"],
                presenter=d["presenter"],
                matter=d["matter"],
                proposal=d["proposal"],
                decision=d["decision"].splitlines(),
                intro=d["decision_intro"],
                confirm_without_quorum=d["confirm_without_quorum"],
                version=d.get("version"),
                public=not d["withheld"],
                withheld_reason=d["withheld_reason"],
                personal_data=d["personal_data"],
            ),
        ):
            messages.success(request, _("§ %(n)s är sparad.") % {"n": item.number})
            return redirect("partnership:item", year=year, number=number, item_id=item.pk)
        item.refresh_from_db()  # the page shows what is stored, not the refused change
    return _item_page(request, item, form, status=400 if form.errors else 200)


def _item_initial(item) -> dict:
    return {
        "title": item.title,
        "registry_number": item.registry_number,
        "presenter": item.presenter,
        "matter": item.matter,
        "proposal": item.proposal,
        "decision_intro": item.decision_intro,
        "decision": "\n".join(p.text for p in item.decision_points.all()),
        "withheld": not item.public,
        "withheld_reason": item.withheld_reason,
        "personal_data": item.personal_data,
        "version": item.version,
    }


def _item_page(request, item, form=None, status=200, **extra):
    meeting = item.meeting
    counts = votes_per_item(meeting)
    ctx = {
        "meeting": meeting,
        "item": item,
        "votes": counts[item.id],
        "form": form or ItemForm(initial=_item_initial(item), prefix="item"),
        "note_form": PersonTextForm(meeting=meeting, text_label=_("Anteckning"), prefix="note"),
        "dissent_form": PersonTextForm(meeting=meeting, text_label=_("Motivering"), prefix="dissent"),
        "conflict_form": PersonTextForm(meeting=meeting, text_label=_("Skäl till jäv"), prefix="conflict"),
        "attachment_form": AttachmentForm(prefix="attachment"),
        "vote_form": VoteForm(voters=counts[item.id].voters, prefix="vote"),
    }
    ctx.update(extra)
    return render(request, "partnership/item.html", ctx, status=status)


@require_POST
def item_record(request, year, number, item_id, what):
    """Adds a note, a dissent, a conflict of interest, a vote or an attachment to an item."""
    if what not in ("note", "dissent", "conflict", "attachment", "vote"):
        raise Http404
    meeting = _meeting(request, year, number)
    item = get_object_or_404(Item, meeting=meeting, pk=item_id)
    if what == "vote":
        form = VoteForm(request.POST, voters=votes_per_item(meeting)[item.id].voters, prefix="vote")
        ok = form.is_valid() and _apply(request, form, lambda: _record_vote(item, form.cleaned_data))
    elif what == "attachment":
        form = AttachmentForm(request.POST, request.FILES, prefix=what)
        ok = form.is_valid() and _apply(
            request,
            form,
            lambda: services.add_attachment(item, title=form.cleaned_data["title"], upload=form.cleaned_data["file"]),
        )
    else:
        labels = {"note": _("Anteckning"), "dissent": _("Motivering"), "conflict": _("Skäl till jäv")}
        form = PersonTextForm(request.POST, meeting=meeting, text_label=labels[what], prefix=what)
        service = {"note": services.add_note, "dissent": services.add_dissent, "conflict": services.declare_conflict}[
            what
        ]
        ok = form.is_valid() and _apply(
            request, form, lambda: service(item, form.cleaned_data["person"], form.cleaned_data["text"])
        )
    if ok:
        return redirect("partnership:item", year=year, number=number, item_id=item.pk)
    return _item_page(request, item, status=400, **{f"{what}_form": form})


def _record_vote(item, d):
    choices = {"yes_voters": "yes", "no_voters": "no", "abstain_voters": "abstain"}
    ballots = {m: choice for field, choice in choices.items() for m in d[field]}
    return services.record_vote(
        item,
        proposal_yes=d["proposal_yes"],
        proposal_no=d["proposal_no"],
        kind=d["kind"],
        ballots=ballots if d["kind"] == "open" else None,
        counts=(d["yes"] or 0, d["no"] or 0, d["abstain"] or 0),
        casting_vote=d["casting_vote"] or None,
    )


@require_POST
def approve(request, year, number):
    meeting = _meeting(request, year, number)
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    form = ApproveForm(request.POST)
    if form.is_valid() and _apply(
        request, form, lambda: services.approve_minutes(meeting, person, confirm_late=form.cleaned_data["confirm_late"])
    ):
        messages.success(request, _("Du har justerat protokollet."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("partnership:meeting", year=meeting.year, number=meeting.number)


@require_POST
def correction(request, year, number, item_id):
    meeting = _meeting(request, year, number)
    item = get_object_or_404(Item, meeting=meeting, pk=item_id)
    form = CorrectionForm(request.POST)
    person = getattr(request.user, "person", None) or meeting.secretary
    if form.is_valid() and _apply(
        request, form, lambda: services.add_correction(item, text=form.cleaned_data["text"], signed_by=person)
    ):
        messages.success(request, _("Rättelsen är signerad och visas i protokollet."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("partnership:meeting", year=meeting.year, number=meeting.number)


def minutes_template(request):
    """The secretariat uploads, replaces or removes the partnership's DOCX template for minutes."""
    partnership = current_partnership()
    if partnership is None:
        raise Http404
    form = MinutesTemplateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("action") == "remove":
        services.remove_minutes_template(partnership)
        messages.success(request, _("Protokollmallen är borttagen; protokoll i Word får standardutseendet."))
        return redirect("partnership:minutes-template")
    if request.method == "POST" and form.is_valid():
        if _apply(request, form, lambda: services.set_minutes_template(partnership, form.cleaned_data["file"])):
            messages.success(request, _("Protokollmallen är sparad. Protokoll i Word skapas nu i den."))
            return redirect("partnership:minutes-template")
    return render(
        request,
        "partnership/minutes_template.html",
        {"form": form, "partnership": partnership},
        status=400 if form.errors else 200,
    )
