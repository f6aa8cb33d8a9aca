"""Forms of the secretariat's meeting pages. Labels are explicit: a browser test and screen readers use them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samhandling.core.forms import ScopedIds, VersionedModelForm, VersionField
from samhandling.core.text import CheckedForm

from .models import Meeting, MeetingParticipant, Membership, Person
from .selectors import SEATED


class MeetingForm(CheckedForm, VersionedModelForm):
    class Meta:
        model = Meeting
        fields = [
            "date",
            "start_time",
            "end_time",
            "registry_number",
            "place",
            "room",
            "chair",
            "secretary",
            "adjusters",
            "adjustment_date",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "adjustment_date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class AttendanceForm(CheckedForm, ScopedIds, forms.Form):
    id_scope = "attendance"
    membership = forms.ModelChoiceField(Membership.objects.none(), label=_("Ledamot eller ersättare"))
    present = forms.TypedChoiceField(
        label=_("Närvaro"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Närvarande")), ("0", _("Frånvarande"))],
        initial="1",
    )
    from_item = forms.IntegerField(label=_("Från och med §"), required=False, min_value=1)
    until_item = forms.IntegerField(label=_("Till och med §"), required=False, min_value=1)
    serving_for = forms.ModelChoiceField(
        Membership.objects.none(), label=_("Tjänstgör för (ersättare)"), required=False
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        ms = Membership.objects.filter(partnership=meeting.partnership).select_related("person", "organisation")
        self.fields["membership"].queryset = ms
        self.fields["serving_for"].queryset = ms.filter(role__in=SEATED)


class ItemAddForm(CheckedForm, ScopedIds, forms.Form):
    id_scope = "item"
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    presenter = forms.CharField(label=_("Föredragande"), max_length=200, required=False)


class ItemForm(CheckedForm, forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    presenter = forms.CharField(label=_("Föredragande"), max_length=200, required=False)
    matter = forms.CharField(label=_("Ärende"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    proposal = forms.CharField(label=_("Förslag till beslut"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    decision_intro = forms.CharField(label=_("Beslutsinledning"), max_length=300, required=False)
    decision = forms.CharField(
        label=_("Beslut, en punkt per rad"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    confirm_without_quorum = forms.BooleanField(
        label=_("Besluta trots att partnerskapet inte är beslutfört"), required=False
    )
    version = VersionField()


class PersonTextForm(CheckedForm, forms.Form):
    """A note, dissent or declared conflict of interest by a named person."""

    person = forms.ModelChoiceField(Person.objects.none(), label=_("Person"))
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, meeting, text_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(memberships__partnership=meeting.partnership).distinct()
        if text_label:
            self.fields["text"].label = text_label


class AttachmentForm(CheckedForm, forms.Form):
    title = forms.CharField(label=_("Bilagans rubrik"), max_length=300, required=False)
    file = forms.FileField(label=_("Fil"))


class ParticipantForm(CheckedForm, ScopedIds, forms.ModelForm):
    id_scope = "participant"

    class Meta:
        model = MeetingParticipant
        fields = ["kind", "name", "title", "organisation"]


class NoticeForm(CheckedForm, ScopedIds, forms.Form):
    id_scope = "notice"
    confirm_late = forms.BooleanField(label=_("Skicka trots att kallelsen går ut för sent"), required=False)


class ApproveForm(CheckedForm, forms.Form):
    confirm_late = forms.BooleanField(label=_("Justera trots att tidsgränsen har passerats"), required=False)


class CorrectionForm(CheckedForm, forms.Form):
    text = forms.CharField(label=_("Rättelse"), widget=forms.Textarea(attrs={"rows": 3}))
