"""The partnership, its people and memberships, and its meetings with their items (§) and decisions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samhandling.access.roles import PARTNERSHIP_ROLES, ROLE_LABELS
from samhandling.core.models import VersionedModel
from samhandling.core.money import MoneyField

from .freeze import FreezableModel


class Partnership(models.Model):
    name = models.CharField(_("namn"), max_length=200, unique=True)
    slug = models.SlugField(
        _("kortnamn i adressen"),
        max_length=50,
        unique=True,
        help_text=_("Första delen av partnerskapets adresser, t.ex. stockholm i /stockholm/sammantraden/"),
    )
    programme_region = models.ForeignKey(
        "projects.ProgrammeRegion",
        verbose_name=_("programområde"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    description = models.TextField(_("beskrivning"), blank=True)
    minutes_template = models.FileField(
        _("protokollmall (DOCX)"),
        upload_to="partnership/templates/",
        blank=True,
        help_text=_("Partnerskapets Word-mall med brevhuvud; protokollet i Word skapas i den."),
    )

    class Meta:
        verbose_name = _("partnerskap")
        verbose_name_plural = _("partnerskap")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        from .scope import reserved_segments

        if self.slug in reserved_segments():
            raise ValidationError({"slug": _("Kortnamnet %(slug)s används redan av en sida.") % {"slug": self.slug}})

    def save(self, *args, **kwargs):
        if not self.slug:  # e.g. "Strategiska partnerskapet Stockholm" → "stockholm"
            self.slug = free_slug(Partnership.objects.exclude(pk=self.pk), self.name)
        super().save(*args, **kwargs)


def free_slug(partnerships, name: str) -> str:
    """The last word of the name as a slug, numbered when taken (shared with the migration that added slugs)."""
    from django.utils.text import slugify

    from .scope import reserved_segments

    base = slugify(name.split()[-1] if name.split() else "partnerskap")[:40] or "partnerskap"
    taken = set(partnerships.values_list("slug", flat=True)) | reserved_segments()
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


class Person(models.Model):
    """A natural person. Contact details are personal data: never public."""

    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=50, blank=True)
    user = models.OneToOneField(
        "auth.User",
        verbose_name=_("användarkonto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PersonTie(models.Model):
    """A tie between a person and an organisation that can make the person jävig in its matters."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("Anställning")
        BOARD = "board", _("Styrelseuppdrag")
        OTHER = "other", _("Annan koppling")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="ties")
    organisation = models.ForeignKey(
        "projects.Organisation", verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="person_ties"
    )
    kind = models.CharField(_("typ av koppling"), max_length=16, choices=Kind.choices)
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)
    valid_from = models.DateField(_("från"), null=True, blank=True)
    valid_to = models.DateField(_("till"), null=True, blank=True)

    class Meta:
        verbose_name = _("koppling")
        verbose_name_plural = _("kopplingar")

    def __str__(self):
        return f"{self.person} – {self.organisation} ({self.get_kind_display()})"


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Ordförande")
        VICE_CHAIR = "vice_chair", _("Vice ordförande")
        MEMBER = "member", _("Ledamot")
        SUBSTITUTE = "substitute", _("Ersättare")
        CO_OPTED = "co_opted", _("Adjungerad")

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnerskap"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("roll"), max_length=16, choices=Role.choices)
    organisation = models.ForeignKey(
        "projects.Organisation",
        verbose_name=_("företrädd organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    organisation_detail = models.CharField(
        _("förtydligande"), max_length=200, blank=True, help_text=_("T.ex. Solna stad för Storsthlm")
    )
    party = models.CharField(
        _("parti"), max_length=8, blank=True, help_text=_("Partibeteckning för politiker, t.ex. m, s, c")
    )
    group = models.CharField(
        _("grupp"),
        max_length=100,
        blank=True,
        help_text=_("Grupp i partnerskapet som avgör vem som får ersätta vem, t.ex. Region Stockholm"),
    )
    term_start = models.DateField(_("mandat från"), null=True, blank=True)
    term_end = models.DateField(_("mandat till"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        ordering = ["partnership", "order", "id"]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}, {self.organisation})"

    @property
    def has_seat(self) -> bool:
        """Chair, vice chair and members hold a seat with a vote; substitutes only when serving."""
        return self.role in (self.Role.CHAIR, self.Role.VICE_CHAIR, self.Role.MEMBER)


class RulesOfProcedure(models.Model):
    """The partnership's rules of procedure (arbetsordning) as configuration the platform enforces."""

    class Quorum(models.TextChoices):
        MORE_THAN_HALF = "more_than_half", _("Mer än hälften av ledamöternas platser besatta")
        AT_LEAST_HALF = "at_least_half", _("Minst hälften av ledamöternas platser besatta")
        TWO_THIRDS = "two_thirds", _("Minst två tredjedelar av ledamöternas platser besatta")

    class Replacement(models.TextChoices):
        ORGANISATION_THEN_GROUP = "organisation_then_group", _("Samma organisation i första hand, sedan samma grupp")
        ORGANISATION = "organisation", _("Endast samma organisation")
        GROUP = "group", _("Samma grupp")
        ANY = "any", _("Vilken ersättare som helst")

    class Numbering(models.TextChoices):
        PER_MEETING = "per_meeting", _("Från § 1 vid varje sammanträde")
        PER_YEAR = "per_year", _("Löpande under året")

    partnership = models.OneToOneField(
        Partnership, verbose_name=_("partnerskap"), on_delete=models.CASCADE, related_name="rules"
    )
    quorum = models.CharField(_("beslutförhet"), max_length=20, choices=Quorum.choices, default=Quorum.MORE_THAN_HALF)
    replacement = models.CharField(
        _("vem som får ersätta vem"),
        max_length=30,
        choices=Replacement.choices,
        default=Replacement.ORGANISATION_THEN_GROUP,
    )
    notice_working_days = models.PositiveSmallIntegerField(
        _("kallelsetid (arbetsdagar)"),
        default=10,
        help_text=_(
            "Kallelse med handlingar senast så många svenska arbetsdagar före sammanträdet (EU 240/2014 art. 11)."
        ),
    )
    adjustment_days = models.PositiveSmallIntegerField(_("tid för justering (dagar)"), default=14)
    written_procedure_allowed = models.BooleanField(_("beslut genom skriftlig procedur tillåtet"), default=True)
    item_numbering = models.CharField(
        _("numrering av paragrafer"), max_length=20, choices=Numbering.choices, default=Numbering.PER_MEETING
    )
    seats = models.PositiveSmallIntegerField(
        _("antal ledamotsplatser"),
        null=True,
        blank=True,
        help_text=_(
            "Alla platser med rösträtt, även vakanta; beslutförheten räknas på dem. "
            "Tomt: antalet ledamöter i rollistan."
        ),
    )
    secretary_signs = models.BooleanField(
        _("sekreteraren signerar protokollet"),
        default=False,
        help_text=_("Sekreteraren skriver under protokollet (vid protokollet) utöver ordföranden och justerarna."),
    )

    class Meta:
        verbose_name = _("arbetsordning")
        verbose_name_plural = _("arbetsordningar")

    def __str__(self):
        return f"{_('Arbetsordning')} – {self.partnership}"


class Meeting(FreezableModel, VersionedModel):
    """A meeting (sammanträde) of the partnership; its minutes are numbered per year (1/2026)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        HELD = "held", _("Genomfört")
        MINUTES_DRAFTED = "minutes_drafted", _("Protokoll upprättat")
        ADJUSTED = "adjusted", _("Justerat")
        SIGNED = "signed", _("Signerat")
        PUBLISHED = "published", _("Publicerat")

    meeting_id_lookup = "id"

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnerskap"), on_delete=models.PROTECT, related_name="meetings"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveSmallIntegerField(_("nummer"))
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("starttid"), null=True, blank=True)
    end_time = models.TimeField(_("sluttid"), null=True, blank=True)
    registry_number = models.CharField(_("diarienummer"), max_length=50, blank=True)
    place = models.CharField(_("plats"), max_length=300, blank=True)
    room = models.CharField(_("lokal"), max_length=200, blank=True)
    chair = models.ForeignKey(
        Person, verbose_name=_("ordförande"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjusters = models.ManyToManyField(Person, verbose_name=_("justerare"), blank=True, related_name="+")
    secretary = models.ForeignKey(
        Person, verbose_name=_("sekreterare"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adjustment_date = models.DateField(_("datum för justering"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["partnership", "year", "number"], name="uniq_meeting_number")]

    @property
    def code(self) -> str:
        return f"{self.number}/{self.year}"

    def __str__(self):
        return f"{_('Sammanträde')} {self.code}"

    @classmethod
    def frozen_update_allowed(cls, changes):
        return (
            set(changes) <= {"status", "version"}
            and changes.get("status", cls.Status.PUBLISHED) == cls.Status.PUBLISHED
        )

    def frozen_save_allowed(self):
        """After signing only publication may change the meeting."""
        stored = type(self)._base_manager.get(pk=self.pk)
        same = all(
            getattr(stored, f.attname) == getattr(self, f.attname)
            for f in self._meta.concrete_fields
            if f.name not in ("status", "version")
        )
        return same and self.status in (self.Status.SIGNED, self.Status.PUBLISHED)

    @property
    def is_signed(self) -> bool:
        return self.status in (self.Status.SIGNED, self.Status.PUBLISHED)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Item(FreezableModel, VersionedModel):
    """An agenda item (§) with its matter (Ärende) and decision (Beslut) in numbered points."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("Sammanträdet öppnas")
        ADJUSTER = "adjuster", _("Val av justerare")
        AGENDA = "agenda", _("Godkännande av dagordning")
        CHAIR_DECISIONS = "chair_decisions", _("Anmälan av ordförandebeslut")
        MATTER = "matter", _("Ärende")
        WRITTEN_PROCEDURE = "written_procedure", _("Beslut genom skriftlig procedur")
        OTHER = "other", _("Övriga frågor")
        CLOSING = "closing", _("Sammanträdet avslutas")

    meeting = models.ForeignKey(Meeting, verbose_name=_("sammanträde"), on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("paragraf"))
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.MATTER)
    title = models.CharField(_("rubrik"), max_length=300)
    registry_number = models.CharField(
        _("diarienummer"), max_length=50, blank=True, help_text=_("Ärendets diarienummer, t.ex. RS 2026–0123")
    )
    presenter = models.CharField(_("föredragande"), max_length=200, blank=True)
    matter = models.TextField(_("ärende"), blank=True)
    proposal = models.TextField(_("förslag till beslut"), blank=True)
    decision_intro = models.CharField(
        _("beslutsinledning"),
        max_length=300,
        blank=True,
        help_text=_("T.ex. Strategiska partnerskapet Stockholm beslutar följande."),
    )
    decided_without_quorum = models.BooleanField(_("beslut trots att partnerskapet inte var beslutfört"), default=False)
    public = models.BooleanField(
        _("offentlig paragraf"),
        default=True,
        help_text=_("En paragraf som inte är offentlig utelämnas ur protokollets offentliga version."),
    )
    withheld_reason = models.CharField(
        _("skäl att inte publicera"),
        max_length=300,
        blank=True,
        help_text=_("T.ex. sekretess enligt offentlighets- och sekretesslagen (OSL) med kapitel och paragraf"),
    )
    personal_data = models.TextField(
        _("personuppgifter som utelämnas"),
        blank=True,
        help_text=_(
            "Namn på privatpersoner och andra personuppgifter som inte ska publiceras, en per rad; de ersätts i "
            "den offentliga versionen. E-postadresser, telefonnummer och personnummer utelämnas alltid."
        ),
    )
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("ansökningar och projekt"), blank=True, related_name="meeting_items"
    )

    class Meta:
        verbose_name = _("paragraf")
        verbose_name_plural = _("paragrafer")
        ordering = ["meeting", "order", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="uniq_item_number")]

    def __str__(self):
        return f"§ {self.number}. {self.title}"

    @property
    def name(self) -> str:
        return self.title

    @property
    def name_en(self) -> str:
        """English name of a standard item still bearing its standard title (for `localized`); the
        partnership's own titles have none and are shown in Swedish, marked as such."""
        from django.utils import translation

        from .services import STANDARD_BEFORE, STANDARD_AFTER

        if (self.kind, self.title) not in STANDARD_BEFORE + STANDARD_AFTER:
            return ""
        with translation.override("en"):
            return translation.gettext(self.title)


class DecisionPoint(FreezableModel):
    """One numbered point of an item's decision; for prioritisations, one per application."""

    class Outcome(models.TextChoices):
        NONE = "", _("—")
        PRIORITISED = "prioritised", _("Prioriteras")
        NOT_PRIORITISED = "not_prioritised", _("Prioriteras inte")
        APPROVED = "approved", _("Godkänns")

    meeting_id_lookup = "item__meeting_id"

    item = models.ForeignKey(Item, verbose_name=_("paragraf"), on_delete=models.CASCADE, related_name="decision_points")
    number = models.PositiveSmallIntegerField(_("punkt"))
    text = models.TextField(_("beslutstext"))
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices, blank=True, default="")
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("ansökan/projekt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_points",
    )
    call = models.ForeignKey(
        "calls.Call",
        verbose_name=_("utlysning"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_points",
    )
    amount = MoneyField(_("belopp"), null=True, blank=True)

    class Meta:
        verbose_name = _("beslutspunkt")
        verbose_name_plural = _("beslutspunkter")
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="uniq_decision_point_number")]

    def __str__(self):
        return f"{self.item} – {self.number}"


class ConflictOfInterest(FreezableModel):
    """A recorded jäv (conflict of interest), the one model for assessment and meetings.

    A row says that the person is blocked: from assessing an application (stage assessment), or from taking
    part in the decision on it or on a meeting item (stage decision; left out of the item's vote count).
    Declared on an item it has no application; recorded by the decision on a prioritisation it has both.
    The rules (grounds, who is blocked, from what) live in `conflict_of_interest`.
    """

    class Stage(models.TextChoices):
        ASSESSMENT = "assessment", _("Bedömning")
        DECISION = "decision", _("Beslut")

    meeting_id_lookup = "item__meeting_id"

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="conflicts")
    application = models.ForeignKey(
        "projects.Project",
        verbose_name=_("ansökan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflicts_of_interest",
    )
    item = models.ForeignKey(
        Item, verbose_name=_("paragraf"), on_delete=models.CASCADE, null=True, blank=True, related_name="conflicts"
    )
    stage = models.CharField(_("skede"), max_length=16, choices=Stage.choices, default=Stage.DECISION)
    reason = models.CharField(_("skäl"), max_length=300, help_text=_("T.ex. styrelseledamot i sökande organisation"))
    recorded_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("jäv")
        verbose_name_plural = _("jäv")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(item__isnull=False) | models.Q(application__isnull=False),
                name="conflict_on_item_or_application",
            ),
            models.UniqueConstraint(
                fields=["item", "person"], condition=models.Q(application__isnull=True), name="uniq_conflict_per_item"
            ),
            models.UniqueConstraint(
                fields=["application", "person", "stage"],
                condition=models.Q(item__isnull=True),
                name="uniq_conflict_per_application",
            ),
            models.UniqueConstraint(
                fields=["item", "application", "person"],
                condition=models.Q(item__isnull=False, application__isnull=False),
                name="uniq_conflict_per_item_application",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.item or self.application} ({self.reason})"


def items_text(first: int, last: int) -> str:
    return f"§ {first}" if first == last else f"§§ {first}–{last}"


class Attendance(FreezableModel):
    """A member's or substitute's presence at a meeting, with partial presence and the seat a substitute serves in."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("sammanträde"), on_delete=models.CASCADE, related_name="attendances"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("uppdrag"), on_delete=models.PROTECT, related_name="attendances"
    )
    present = models.BooleanField(_("närvarande"), default=True)
    from_item = models.PositiveSmallIntegerField(_("från och med §"), null=True, blank=True)
    until_item = models.PositiveSmallIntegerField(_("till och med §"), null=True, blank=True)
    absences = models.JSONField(
        _("borta under §§"),
        default=list,
        blank=True,
        help_text=_(
            "Avbrott i närvaron: par [från §, till §] då personen lämnade sammanträdet och sedan kom tillbaka."
        ),
    )
    serving_for = models.ForeignKey(
        Membership,
        verbose_name=_("tjänstgör för"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        ordering = ["meeting", "membership__order", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "membership"], name="uniq_attendance")]

    def __str__(self):
        return f"{self.membership.person} – {self.meeting}"

    @property
    def absences_text(self) -> str:
        """'§§ 4–6, § 9': the stretches of the meeting the person was away between arriving and leaving."""
        return ", ".join(items_text(a, b) for a, b in sorted(self.absences or ()))

    def present_at(self, number: int) -> bool:
        """Present at § number (partial presence: fr.o.m./t.o.m. §, less the stretches away)."""
        return (
            self.present
            and (self.from_item is None or number >= self.from_item)
            and (self.until_item is None or number <= self.until_item)
            and not any(a <= number <= b for a, b in self.absences or ())
        )


class MeetingParticipant(FreezableModel):
    """Officials (secretariat, managing authorities, preparation group) and guests at a meeting."""

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Sekretariat")
        MANAGING_AUTHORITY = "managing_authority", _("Förvaltande myndighet")
        PREPARATION_GROUP = "preparation_group", _("Beredningsgrupp")
        GUEST = "guest", _("Gäst")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("sammanträde"), on_delete=models.CASCADE, related_name="participants"
    )
    kind = models.CharField(_("kategori"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("funktion"), max_length=200, blank=True, help_text=_("T.ex. Huvudsekreterare"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("tjänsteperson eller gäst")
        verbose_name_plural = _("tjänstepersoner och gäster")
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class ItemAttachment(FreezableModel):
    """A document belonging to an item (sent with the notice; public as a preparatory document)."""

    meeting_id_lookup = "item__meeting_id"

    item = models.ForeignKey(Item, verbose_name=_("paragraf"), on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("rubrik"), max_length=300)
    file = models.FileField(_("fil"), upload_to="meetings/attachments/%Y/")
    sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["item", "id"]

    def __str__(self):
        return self.title


class Note(FreezableModel):
    """An anteckning till protokollet by a named member under an item."""

    meeting_id_lookup = "item__meeting_id"

    item = models.ForeignKey(Item, verbose_name=_("paragraf"), on_delete=models.CASCADE, related_name="notes")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="notes")
    text = models.TextField(_("anteckning"))

    class Meta:
        verbose_name = _("anteckning till protokollet")
        verbose_name_plural = _("anteckningar till protokollet")
        ordering = ["item", "id"]

    def __str__(self):
        return f"{self.person} – {self.item}"


class Vote(FreezableModel):
    """An omröstning at an item: two proposals put against each other, the counts, for an open vote the names."""

    class Kind(models.TextChoices):
        OPEN = "open", _("Öppen omröstning")
        CLOSED = "closed", _("Sluten omröstning")

    meeting_id_lookup = "item__meeting_id"

    item = models.ForeignKey(Item, verbose_name=_("paragraf"), on_delete=models.CASCADE, related_name="votes")
    number = models.PositiveSmallIntegerField(_("omröstning nr"), default=1)
    kind = models.CharField(_("typ av omröstning"), max_length=10, choices=Kind.choices, default=Kind.OPEN)
    proposal_yes = models.CharField(_("ja-förslag"), max_length=500)
    proposal_no = models.CharField(_("nej-förslag"), max_length=500)
    yes = models.PositiveSmallIntegerField(_("ja-röster"), default=0)
    no = models.PositiveSmallIntegerField(_("nej-röster"), default=0)
    abstain = models.PositiveSmallIntegerField(_("avstår"), default=0)
    winner = models.CharField(
        _("vinnande förslag"), max_length=10, blank=True, help_text=_("yes eller no; tomt vid lika röstetal")
    )
    outcome = models.CharField(_("utfall"), max_length=600)

    class Meta:
        verbose_name = _("omröstning")
        verbose_name_plural = _("omröstningar")
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="uniq_vote_number")]

    def __str__(self):
        return f"{self.item} – {_('omröstning')} {self.number}"


class Ballot(FreezableModel):
    """One voter's choice in an open vote (names per choice are part of the minutes)."""

    class Choice(models.TextChoices):
        YES = "yes", _("Ja")
        NO = "no", _("Nej")
        ABSTAIN = "abstain", _("Avstår")

    meeting_id_lookup = "vote__item__meeting_id"

    vote = models.ForeignKey(Vote, verbose_name=_("omröstning"), on_delete=models.CASCADE, related_name="ballots")
    membership = models.ForeignKey(Membership, verbose_name=_("uppdrag"), on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("röst"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("röst")
        verbose_name_plural = _("röster")
        ordering = ["vote", "membership__order", "id"]
        constraints = [models.UniqueConstraint(fields=["vote", "membership"], name="uniq_ballot")]

    def __str__(self):
        return f"{self.membership.person}: {self.get_choice_display()}"


class Dissent(FreezableModel):
    """A reservation: only someone who took part in the decision can have one recorded."""

    meeting_id_lookup = "item__meeting_id"

    item = models.ForeignKey(Item, verbose_name=_("paragraf"), on_delete=models.CASCADE, related_name="dissents")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="dissents")
    text = models.TextField(_("motivering"), blank=True)
    vote = models.ForeignKey(
        Vote,
        verbose_name=_("omröstning"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dissents",
        help_text=_("Reservationen mot beslutet i en omröstning, där personen röstade emot."),
    )

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservationer")
        ordering = ["item", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "person"], name="uniq_dissent_per_item")]

    def __str__(self):
        return f"{self.person} – {self.item}"


class Notice(FreezableModel):
    """A notice (kallelse) as sent: when, by whom, to whom, and whether it went out late."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("sammanträde"), on_delete=models.CASCADE, related_name="notices"
    )
    sent_at = models.DateTimeField(_("skickad"))
    sent_by = models.ForeignKey(
        "auth.User", verbose_name=_("skickad av"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipients = models.JSONField(_("mottagare"), default=list)
    deadline = models.DateField(_("senaste dag enligt arbetsordningen"))
    late = models.BooleanField(_("skickad för sent"), default=False)

    class Meta:
        verbose_name = _("kallelse")
        verbose_name_plural = _("kallelser")
        ordering = ["meeting", "-sent_at"]

    def __str__(self):
        return f"{_('Kallelse')} {self.meeting.code} {timezone.localtime(self.sent_at):%Y-%m-%d %H:%M}"


class Approval(FreezableModel):
    """A signatory's approval of the minutes as they stood (content hash), with the PAdES signature it added.

    The chair and the adjusters adjust (justerar); the secretary signs (vid protokollet) where the rules say so.
    """

    class Role(models.TextChoices):
        CHAIR = "chair", _("Ordförande")
        ADJUSTER = "adjuster", _("Justerare")
        SECRETARY = "secretary", _("Sekreterare")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("sammanträde"), on_delete=models.CASCADE, related_name="approvals"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("roll"), max_length=10, choices=Role.choices)
    approved_on = models.DateField(_("justerat den"))
    content_sha256 = models.CharField(_("innehållets kontrollsumma"), max_length=64)
    signed_at = models.DateTimeField(_("signerat"), null=True, blank=True)
    signature_field = models.CharField(_("signaturfält i PDF:en"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("justering")
        verbose_name_plural = _("justeringar")
        ordering = ["meeting", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person", "role"], name="uniq_approval")]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}) – {self.meeting}"


class SigningCopy(models.Model):
    """The PDF of the minutes being signed: rendered once per content version, one signature added per approval."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("sammanträde"), on_delete=models.CASCADE, related_name="signing_copy"
    )
    content_sha256 = models.CharField(_("innehållets SHA-256"), max_length=64)
    pdf = models.BinaryField(_("PDF"))
    public_pdf = models.BinaryField(_("offentlig version (PDF)"), default=b"")

    class Meta:
        verbose_name = _("protokoll under signering")
        verbose_name_plural = _("protokoll under signering")

    def __str__(self):
        return f"{_('Protokoll under signering')} {self.meeting.code}"


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("Signerade handlingar kan inte ändras."), code="frozen")

    def delete(self):
        raise ValidationError(_("Signerade handlingar kan inte tas bort."), code="frozen")


class ImmutableModel(models.Model):
    """Written once, never changed or removed (signed records)."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Signerade handlingar kan inte ändras."), code="frozen")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Signerade handlingar kan inte tas bort."), code="frozen")


class SignedMinutes(ImmutableModel):
    """The minutes at signing: the canonical content, its SHA-256, the PDF and its SHA-256."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("sammanträde"), on_delete=models.PROTECT, related_name="signed_minutes"
    )
    signed_at = models.DateTimeField(_("signerat"))
    content = models.JSONField(_("kanoniskt innehåll"))
    content_sha256 = models.CharField(_("innehållets SHA-256"), max_length=64)
    pdf = models.BinaryField(_("PDF"))
    pdf_sha256 = models.CharField(_("PDF:ens SHA-256"), max_length=64)
    public_content = models.JSONField(_("offentlig version: innehåll"), null=True, blank=True)
    public_pdf = models.BinaryField(_("offentlig version: signerad PDF"), default=b"")
    public_pdf_sha256 = models.CharField(_("offentlig version: PDF:ens SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("signerat protokoll")
        verbose_name_plural = _("signerade protokoll")

    def __str__(self):
        return f"{_('Protokoll')} {self.meeting.code}"


class Correction(ImmutableModel):
    """A rättelse: a new signed record (its own PAdES-signed PDF) that refers to an item of signed minutes and to
    the signed original by its SHA-256; the original is never changed."""

    item = models.ForeignKey(Item, verbose_name=_("paragraf"), on_delete=models.PROTECT, related_name="corrections")
    text = models.TextField(_("rättelse"))
    signed_by = models.ForeignKey(Person, verbose_name=_("signerad av"), on_delete=models.PROTECT, related_name="+")
    signed_by_name = models.CharField(_("signerad av (namn vid signering)"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("signerad"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pdf = models.BinaryField(_("signerad PDF"), default=b"")
    pdf_sha256 = models.CharField(_("PDF:ens SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("rättelse")
        verbose_name_plural = _("rättelser")
        ordering = ["item", "signed_at", "id"]

    def __str__(self):
        return f"{_('Rättelse')} {self.item}"


class WrittenProcedure(models.Model):
    """A decision put to the members in writing between meetings; recorded as an item of the next minutes."""

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnerskap"), on_delete=models.PROTECT, related_name="written_procedures"
    )
    title = models.CharField(_("rubrik"), max_length=300)
    proposal = models.TextField(_("förslag till beslut"))
    opened_at = models.DateTimeField(_("utskickad"))
    closes_on = models.DateField(_("svar senast"))
    item = models.OneToOneField(
        Item,
        verbose_name=_("redovisad i paragraf"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="written_procedure",
    )

    class Meta:
        verbose_name = _("skriftlig procedur")
        verbose_name_plural = _("skriftliga procedurer")
        ordering = ["-opened_at"]

    def __str__(self):
        return self.title


class WrittenAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Bifaller förslaget")
        NO = "no", _("Avslår förslaget")
        ABSTAIN = "abstain", _("Avstår")

    procedure = models.ForeignKey(
        WrittenProcedure, verbose_name=_("skriftlig procedur"), on_delete=models.CASCADE, related_name="answers"
    )
    membership = models.ForeignKey(Membership, verbose_name=_("uppdrag"), on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("svar"), max_length=10, choices=Answer.choices)
    answered_at = models.DateTimeField(_("svarat"))

    class Meta:
        verbose_name = _("svar i skriftlig procedur")
        verbose_name_plural = _("svar i skriftlig procedur")
        constraints = [models.UniqueConstraint(fields=["procedure", "membership"], name="uniq_written_answer")]

    def __str__(self):
        return f"{self.membership.person}: {self.get_answer_display()}"


class PartnershipRole(models.Model):
    """A role a user holds in one partnership only (a member in one, an assessor in another).

    Roles held as Django groups are the default partnership's (a single-partnership installation needs no
    more); in any other partnership only these rows give the partnership-bound roles (access.roles).
    """

    user = models.ForeignKey(
        "auth.User", verbose_name=_("användarkonto"), on_delete=models.CASCADE, related_name="partnership_roles"
    )
    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnerskap"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(
        _("roll"),
        max_length=20,
        choices=[(r.value, ROLE_LABELS[r]) for r in sorted(PARTNERSHIP_ROLES)],
    )

    class Meta:
        verbose_name = _("roll i partnerskapet")
        verbose_name_plural = _("roller i partnerskapet")
        constraints = [models.UniqueConstraint(fields=["user", "partnership", "role"], name="uniq_partnership_role")]

    def __str__(self):
        return f"{self.user} – {self.partnership}: {self.role}"
