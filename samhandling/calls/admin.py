from django.contrib import admin

from .models import Call, CallObjective, CallPlan, CallPlanEntry, CallStrand, PartnershipMode


class CallObjectiveInline(admin.StackedInline):
    model = CallObjective
    fk_name = "call"
    extra = 0


class CallStrandInline(admin.StackedInline):
    model = CallStrand
    extra = 0
    filter_horizontal = ["objectives"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "status", "opens_on", "closes_on"]
    list_filter = ["fund", "year", "status"]
    filter_horizontal = ["assessors"]
    raw_id_fields = ["approved_at", "condition_lifted_at"]
    # the status changes only through the call's state machine (calls.services.change_status)
    readonly_fields = ["status", "approved_at", "condition_lifted_at", "condition_lifted_reason"]
    inlines = [CallObjectiveInline, CallStrandInline]


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
