from django.contrib import admin

from .models import (
    Assessment,
    Prioritisation,
    PrioritisationEntry,
    Score,
    SelectionCriterion,
    SubAspect,
)


class SubAspectInline(admin.TabularInline):
    model = SubAspect
    extra = 0


@admin.register(SelectionCriterion)
class SelectionCriterionAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "partnership"]
    inlines = [SubAspectInline]


@admin.register(SubAspect)
class SubAspectAdmin(admin.ModelAdmin):
    list_display = ["text", "criterion", "order"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["application", "assessor", "completed_at"]
    exclude = ["private_note"]  # the assessor's alone, in the admin too
    inlines = [ScoreInline]


class EntryInline(admin.TabularInline):
    model = PrioritisationEntry
    extra = 0
    raw_id_fields = ["application"]


@admin.register(Prioritisation)
class PrioritisationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "call", "decided_at"]
    inlines = [EntryInline]
