from django.contrib import admin

from .freeze import signed_meeting_ids
from .models import (
    PartnershipRole,
    Approval,
    Attendance,
    ConflictOfInterest,
    Correction,
    DecisionPoint,
    Dissent,
    Item,
    ItemAttachment,
    Meeting,
    MeetingParticipant,
    Membership,
    Note,
    Notice,
    Partnership,
    Person,
    PersonTie,
    RulesOfProcedure,
    SignedMinutes,
    WrittenAnswer,
    WrittenProcedure,
)


def _frozen(obj) -> bool:
    return obj is not None and obj.pk is not None and bool(signed_meeting_ids([obj.stored_meeting_id()]))


class FrozenAdminMixin:
    """Records of signed minutes are shown read-only; the model guard refuses any write regardless."""

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        if obj is not None and _frozen(obj):
            return False
        return (
            super().has_add_permission(request, obj)
            if isinstance(self, admin.options.InlineModelAdmin)
            else super().has_add_permission(request)
        )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "organisation"]


class RulesInline(admin.StackedInline):
    model = RulesOfProcedure
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "programme_region"]
    inlines = [RulesInline, MembershipInline]


class TieInline(admin.TabularInline):
    model = PersonTie
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [TieInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "organisation", "party", "group", "partnership"]
    list_filter = ["partnership", "role", "group"]
    search_fields = ["person__name", "organisation__name"]


@admin.register(PersonTie)
class PersonTieAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "kind"]
    list_filter = ["kind"]


@admin.register(RulesOfProcedure)
class RulesOfProcedureAdmin(admin.ModelAdmin):
    list_display = ["partnership", "quorum", "replacement", "notice_working_days", "adjustment_days", "item_numbering"]


class ItemInline(FrozenAdminMixin, admin.StackedInline):
    model = Item
    extra = 0
    fields = ["number", "order", "kind", "title", "presenter", "matter", "proposal", "decision_intro"]


class AttendanceInline(FrozenAdminMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    fk_name = "meeting"
    autocomplete_fields = ["membership", "serving_for"]


class ParticipantInline(FrozenAdminMixin, admin.TabularInline):
    model = MeetingParticipant
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(FrozenAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "date", "status", "registry_number"]
    list_filter = ["partnership", "status", "year"]
    filter_horizontal = ["adjusters"]
    inlines = [AttendanceInline, ParticipantInline, ItemInline]


class DecisionPointInline(FrozenAdminMixin, admin.TabularInline):
    model = DecisionPoint
    extra = 0


class NoteInline(FrozenAdminMixin, admin.TabularInline):
    model = Note
    extra = 0


class DissentInline(FrozenAdminMixin, admin.TabularInline):
    model = Dissent
    extra = 0


class ConflictInline(FrozenAdminMixin, admin.TabularInline):
    model = ConflictOfInterest
    extra = 0
    raw_id_fields = ["application"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(FrozenAdminMixin, admin.ModelAdmin):
    list_display = ["person", "application", "item", "stage", "reason", "recorded_at"]
    list_filter = ["stage"]
    raw_id_fields = ["application", "item"]


class AttachmentInline(FrozenAdminMixin, admin.TabularInline):
    model = ItemAttachment
    extra = 0


@admin.register(Item)
class ItemAdmin(FrozenAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "meeting"]
    list_filter = ["meeting"]
    inlines = [DecisionPointInline, ConflictInline, NoteInline, DissentInline, AttachmentInline]


@admin.register(Notice)
class NoticeAdmin(FrozenAdminMixin, admin.ModelAdmin):
    list_display = ["meeting", "sent_at", "deadline", "late"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Signed records: shown, never changed here."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    """Approvals carry a signature in the PDF: they are made only through the approval service."""

    list_display = ["meeting", "person", "role", "approved_on", "signed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(SignedMinutes)
class SignedMinutesAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "signed_at", "content_sha256", "pdf_sha256"]
    exclude = ["pdf", "content"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ["item", "signed_by_name", "signed_at"]
    exclude = ["pdf"]

    def has_add_permission(self, request):
        return False


class WrittenAnswerInline(admin.TabularInline):
    model = WrittenAnswer
    extra = 0


@admin.register(WrittenProcedure)
class WrittenProcedureAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "opened_at", "closes_on", "item"]
    inlines = [WrittenAnswerInline]


@admin.register(PartnershipRole)
class PartnershipRoleAdmin(admin.ModelAdmin):
    """Roles held in one partnership only (a role held as a group is the default partnership's)."""

    list_display = ("user", "partnership", "role")
    list_filter = ("partnership", "role")
