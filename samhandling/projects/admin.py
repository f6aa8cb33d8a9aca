from django.contrib import admin

from .models import (
    ContactPerson,
    County,
    Municipality,
    Organisation,
    OrganisationAlias,
    Participation,
    ProgrammeRegion,
    Project,
    ProjectStatusChange,
)


@admin.register(ProgrammeRegion)
class ProgrammeRegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "programme_region"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "county"]
    list_filter = ["county"]
    search_fields = ["name", "code"]


class AliasInline(admin.TabularInline):
    model = OrganisationAlias
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number", "pic", "sector", "country"]
    list_filter = ["sector", "country"]
    search_fields = ["name", "org_number", "pic", "vat_number", "aliases__name"]
    inlines = [AliasInline]


class ContactInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


class StatusInline(admin.TabularInline):
    model = ProjectStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "at", "by", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ParticipationInline(admin.TabularInline):
    """The partners as the imported list gives them; the import keeps them, so they are shown, not edited."""

    model = Participation
    extra = 0
    fields = readonly_fields = ["organisation", "role", "role_in_source", "amount", "country", "county", "nuts3"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "applicant", "fund", "objective", "status", "amount_granted", "source"]
    list_filter = ["status", "fund", "period", "programme_region", "source", "flagship"]
    search_fields = ["name", "summary", "source_id"]
    autocomplete_fields = ["applicant", "partners", "municipalities"]
    filter_horizontal = ["counties"]
    inlines = [ContactInline, ParticipationInline, StatusInline]
