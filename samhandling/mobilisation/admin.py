from django.contrib import admin

from .models import (
    InformationMeeting,
    Interest,
    OrganisationUser,
    PartnerSearchNotice,
    ProjectIdea,
    ProjectPlatform,
    Registration,
)


@admin.register(OrganisationUser)
class OrganisationUserAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "created_at"]
    autocomplete_fields = ["organisation"]
    search_fields = ["user__username", "organisation__name"]


@admin.register(ProjectIdea)
class ProjectIdeaAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "is_public", "seeks_transnational", "application", "created_at"]
    list_filter = ["is_public", "seeks_transnational", "themes"]
    search_fields = ["title", "description", "organisation__name"]
    raw_id_fields = ["organisation", "application", "created_by"]


class InterestInline(admin.TabularInline):
    model = Interest
    extra = 0
    raw_id_fields = ["organisation", "user"]


@admin.register(PartnerSearchNotice)
class PartnerSearchNoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "theme", "country", "role_sought", "deadline"]
    list_filter = ["theme", "country", "role_sought"]
    raw_id_fields = ["organisation", "created_by", "idea"]
    inlines = [InterestInline]


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    raw_id_fields = ["user"]


@admin.register(InformationMeeting)
class InformationMeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "place", "call"]
    list_filter = ["kind"]
    inlines = [RegistrationInline]


@admin.register(ProjectPlatform)
class ProjectPlatformAdmin(admin.ModelAdmin):
    list_display = ("name", "partnership", "earmark", "open_from", "open_until")
