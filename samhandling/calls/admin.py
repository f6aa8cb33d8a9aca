from django.contrib import admin

from .models import Call, CallObjective, CallPlan, CallPlanEntry, PartnershipMode


class CallObjectiveInline(admin.StackedInline):
    model = CallObjective
    fk_name = "call"
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "status", "opens_on", "closes_on"]
    list_filter = ["fund", "year", "status"]
    filter_horizontal = ["assessors"]
    raw_id_fields = ["approved_at"]
    inlines = [CallObjectiveInline]


class CallPlanEntryInline(admin.TabularInline):
    model = CallPlanEntry
    extra = 0


@admin.register(CallPlan)
class CallPlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "partnership", "agreed_at", "created_at"]
    list_filter = ["fund", "year"]
    raw_id_fields = ["agreed_at"]
    inlines = [CallPlanEntryInline]


@admin.register(PartnershipMode)
class PartnershipModeAdmin(admin.ModelAdmin):
    list_display = ["partnership", "period", "mode"]
