from django.contrib import admin

from .models import (
    BudgetMovement,
    Fund,
    InterventionField,
    Programme,
    ProgrammePeriod,
    RegulationObjective,
    SpecificObjective,
)


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "managing_authority"]


@admin.register(ProgrammePeriod)
class ProgrammePeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "start_year", "end_year"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "fund", "period", "programme_region"]
    list_filter = ["fund", "period", "kind"]


@admin.register(SpecificObjective)
class SpecificObjectiveAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "fund", "programme", "regulation_objective"]
    list_filter = ["fund", "programme"]


@admin.register(InterventionField)
class InterventionFieldAdmin(admin.ModelAdmin):
    """Reference list loaded from data/intervention_fields.csv."""

    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]


@admin.register(RegulationObjective)
class RegulationObjectiveAdmin(admin.ModelAdmin):
    """Reference list loaded from data/specific_objectives.csv."""

    list_display = ["code", "fund", "policy_objective", "name"]
    list_filter = ["fund", "policy_objective"]


@admin.register(BudgetMovement)
class BudgetMovementAdmin(admin.ModelAdmin):
    """Read-only: ledger lines are written through the budget services, which refuse negative balances."""

    list_display = ["date", "objective", "kind", "amount", "reason"]
    list_filter = ["kind", "objective__fund", "objective"]
    search_fields = ["reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
