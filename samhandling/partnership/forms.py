"""Forms of the secretariat's meeting pages. Labels are explicit: a browser test and screen readers use them."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from samhandling.core.forms import ScopedIds, VersionedModelForm, VersionField
from samhandling.core.text import CheckedForm

from .models import Meeting, MeetingParticipant, Membership, Person, Vote
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
    absences = forms.CharField(
        label=_("Ej närvarande under §§"),
        required=False,
        max_length=200,
        help_text=_("Om personen lämnade sammanträdet och kom tillbaka, t.ex. 4–6 eller 4–6, 9"),
    )
    serving_for = forms.ModelChoiceField(
        Membership.objects.none(), label=_("Tjänstgör för (ersättare)"), required=False
    )

    def clean_absences(self) -> list[list[int]]:
        """'4–6, 9' → [[4, 6], [9, 9]] (en dash, hyphen or a space around either)."""
        stretches = []
        for part in filter(None, (p.strip() for p in self.cleaned_data["absences"].split(","))):
            match = re.fullmatch(r"(?:§§?\s*)?(\d{1,4})(?:\s*[-–]\s*(\d{1,4}))?", part)
            if not match:
                raise forms.ValidationError(
                    _("Skriv paragraferna som 4–6 eller 4–6, 9 (fel vid ”%(part)s”).") % {"part": part}
                )
            first = int(match.group(1))
            stretches.append([first, int(match.group(2) or first)])
        return stretches

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
    registry_number = forms.CharField(label=_("Diarienummer"), max_length=50, required=False)
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
    withheld = forms.BooleanField(
        label=_("Paragrafen är inte offentlig (utelämnas ur den offentliga versionen)"), required=False
    )
    withheld_reason = forms.CharField(
        label=_("Skäl att inte publicera"),
        max_length=300,
        required=False,
        help_text=_("T.ex. sekretess enligt 21 kap. 1 § OSL"),
    )
    personal_data = forms.CharField(
        label=_("Personuppgifter som utelämnas i den offentliga versionen, en per rad"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("Namn på privatpersoner m.m.; e-postadresser, telefonnummer och personnummer utelämnas alltid."),
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


class CheckForm(forms.Form):
    file = forms.FileField(
        label=_("Protokoll som PDF"),
        help_text=_("Högst 20 MB. Filen sparas inte; den kontrolleras och glöms sedan."),
    )


class VoteForm(forms.Form):
    """An omröstning: the two proposals; names per choice for an open vote, counts only for a closed one."""

    proposal_yes = forms.CharField(
        label=_("Ja-förslag"), max_length=500, help_text=_("T.ex. bifall till beredningens förslag")
    )
    proposal_no = forms.CharField(
        label=_("Nej-förslag"), max_length=500, help_text=_("T.ex. avslag eller ett ändringsyrkande")
    )
    kind = forms.ChoiceField(label=_("Typ av omröstning"), choices=Vote.Kind.choices, initial=Vote.Kind.OPEN)
    yes_voters = forms.ModelMultipleChoiceField(Membership.objects.none(), label=_("Röstade ja"), required=False)
    no_voters = forms.ModelMultipleChoiceField(Membership.objects.none(), label=_("Röstade nej"), required=False)
    abstain_voters = forms.ModelMultipleChoiceField(Membership.objects.none(), label=_("Avstod"), required=False)
    yes = forms.IntegerField(label=_("Antal ja (sluten omröstning)"), min_value=0, required=False)
    no = forms.IntegerField(label=_("Antal nej (sluten omröstning)"), min_value=0, required=False)
    abstain = forms.IntegerField(label=_("Antal som avstod (sluten omröstning)"), min_value=0, required=False)
    casting_vote = forms.ChoiceField(
        label=_("Ordförandens utslagsröst vid lika röstetal"),
        choices=[("", _("Ingen")), ("yes", _("Ja")), ("no", _("Nej"))],
        required=False,
    )

    def __init__(self, *args, voters=(), **kwargs):
        super().__init__(*args, **kwargs)
        qs = Membership.objects.filter(pk__in=[m.pk for m in voters]).select_related("person")
        for name in ("yes_voters", "no_voters", "abstain_voters"):
            self.fields[name].queryset = qs
            self.fields[name].label_from_instance = lambda m: m.person.name

    def clean(self):
        data = super().clean()
        seen = {}
        for name in ("yes_voters", "no_voters", "abstain_voters"):
            for m in data.get(name) or []:
                if m.pk in seen:
                    raise forms.ValidationError(_("%(p)s kan bara rösta en gång.") % {"p": m.person.name})
                seen[m.pk] = name
        return data


class MinutesTemplateForm(forms.Form):
    file = forms.FileField(
        label=_("Protokollmall (DOCX)"),
        help_text=_(
            "En Word-fil med partnerskapets brevhuvud och formatmallar. Platshållare: {{p innehall }} "
            "(obligatorisk, där protokollet hamnar), {{ partnerskap }}, {{ protokoll }}, {{ datum }}, "
            "{{ diarienummer }} och {{ paragrafer }}, även i sidhuvud och sidfot."
        ),
    )
