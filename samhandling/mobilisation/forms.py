"""Forms for ideas, notices, meetings and registrations. Every message names its field, in Swedish."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samhandling.core.text import CheckedForm
from samhandling.partnership import scope
from samhandling.portfolio.models import Theme
from samhandling.programmes.models import Earmark
from samhandling.projects.models import County, Organisation
from samhandling.projects.validators import validate_org_number

from .countries import COUNTRIES
from .models import InformationMeeting, PartnerSearchNotice, ProjectIdea, ProjectPlatform
from .selectors import open_platforms, platforms as platforms_of_partnership


class OrganisationForm(CheckedForm, forms.Form):
    name = forms.CharField(
        label=_("Organisationens namn"), max_length=300, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    org_number = forms.CharField(
        label=_("Organisationsnummer"),
        max_length=11,
        required=False,
        validators=[validate_org_number],
        help_text=_("Tio siffror, t.ex. 232100-0016. Lämna tomt för utländska organisationer."),
    )
    sector = forms.ChoiceField(label=_("Sektor"), choices=Organisation.Sector.choices)
    country = forms.ChoiceField(label=_("Land"), choices=COUNTRIES, initial="SE")


class IdeaForm(CheckedForm, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    partner_sectors = forms.MultipleChoiceField(
        label=_("Önskade parters sektorer"),
        choices=Organisation.Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_countries = forms.MultipleChoiceField(
        label=_("Önskade parters länder"),
        choices=COUNTRIES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ProjectIdea
        fields = [
            "title",
            "description",
            "themes",
            "areas",
            "target_groups",
            "counties",
            "budget_min",
            "budget_max",
            "partner_sectors",
            "partner_countries",
            "partner_competence",
            "seeks_transnational",
            "platform",
            "is_public",
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "areas": forms.CheckboxSelectMultiple,
            "counties": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
            "target_groups": forms.Textarea(attrs={"rows": 2}),
            "partner_competence": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "title": {"required": _("Rubrik: ange en rubrik för idén.")},
            "description": {"required": _("Beskrivning: beskriv idén.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["version"] = self.instance.version
        # A platform takes ideas while its window is open; an idea keeps the platform it is on. A closed
        # platform is refused as a choice, so the field stays while the partnership has any platform.
        if platforms_of_partnership().exists():
            kept = platforms_of_partnership().filter(pk=self.instance.platform_id)
            self.fields["platform"].queryset = (open_platforms() | kept).distinct()
            self.fields["platform"].empty_label = _("Ingen plattform")
        else:
            del self.fields["platform"]

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("version") != self.instance.version:
            raise forms.ValidationError(
                _("Idén har ändrats av någon annan sedan du öppnade den. Ladda om sidan och gör om ändringen.")
            )
        if data.get("seeks_transnational") and data.get("partner_countries") == ["SE"]:
            self.add_error(
                "partner_countries",
                _("Önskade parters länder: ett transnationellt samarbete behöver minst ett land utanför Sverige."),
            )
        for name in ("budget_min", "budget_max"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Beloppet får inte vara negativt."))
        return data


class PlatformForm(CheckedForm, forms.ModelForm):
    """A project platform of the request's partnership, for the whole partnership or one of its earmarks."""

    class Meta:
        model = ProjectPlatform
        fields = ["name", "description", "earmark", "open_from", "open_until"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "open_from": forms.DateInput(attrs={"type": "date"}),
            "open_until": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {"name": {"required": _("Namn: ge plattformen ett namn.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["earmark"].queryset = Earmark.objects.filter(partnership=scope.current()).select_related(
            "objective"
        )
        self.fields["earmark"].empty_label = _("Hela partnerskapet")

    def clean(self):
        data = super().clean()
        start, end = data.get("open_from"), data.get("open_until")
        if start and end and end < start:
            self.add_error("open_until", _("Tar emot idéer till: dagen kan inte vara före den första dagen."))
        return data


class LinkApplicationForm(CheckedForm, forms.Form):
    application = forms.ModelChoiceField(
        label=_("Ansökan som idén blev"), queryset=None, required=False, empty_label=_("Ingen ansökan")
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = candidates


class NoticeForm(CheckedForm, forms.ModelForm):
    class Meta:
        model = PartnerSearchNotice
        fields = ["title", "description", "theme", "country", "role_sought", "deadline", "idea", "contact_email"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idea"].queryset = ProjectIdea.objects.filter(organisation=organisation)
        self.fields["idea"].required = False

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("Sista dag för intresseanmälan kan inte ha passerat."))
        return deadline


class NoticeFilterForm(CheckedForm, forms.Form):
    theme = forms.ModelChoiceField(
        label=_("Tema"), queryset=Theme.objects.all(), required=False, empty_label=_("Alla teman")
    )
    country = forms.ChoiceField(label=_("Land"), choices=[("", _("Alla länder")), *COUNTRIES], required=False)


class IdeaFilterForm(CheckedForm, forms.Form):
    q = forms.CharField(label=_("Sök"), max_length=200, required=False)
    theme = forms.ModelChoiceField(
        label=_("Tema"), queryset=Theme.objects.all(), required=False, empty_label=_("Alla teman")
    )
    county = forms.ModelChoiceField(
        label=_("Län"), queryset=County.objects.all(), required=False, empty_label=_("Alla län")
    )
    platform = forms.ModelChoiceField(
        label=_("Projektplattform"),
        queryset=ProjectPlatform.objects.none(),
        required=False,
        empty_label=_("Alla plattformar"),
    )
    transnational = forms.BooleanField(label=_("Söker transnationella parter"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        found = platforms_of_partnership()
        if found.exists():
            self.fields["platform"].queryset = found
        else:
            del self.fields["platform"]


class InterestForm(CheckedForm, forms.Form):
    message = forms.CharField(
        label=_("Meddelande till organisationen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("Berätta kort om er organisation och vad ni kan bidra med."),
    )


class MeetingForm(CheckedForm, forms.ModelForm):
    class Meta:
        model = InformationMeeting
        fields = ["kind", "title", "description", "starts_at", "place", "call", "capacity"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


class RegistrationForm(CheckedForm, forms.Form):
    # autocomplete (WCAG 1.3.5): the person signs up with their own name, address and organisation
    name = forms.CharField(label=_("Namn"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("E-post"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
