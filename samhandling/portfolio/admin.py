from django.contrib import admin

from .models import SmartSpecialisationArea, Theme


@admin.register(SmartSpecialisationArea)
class SmartSpecialisationAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "strategy"]
    list_filter = ["strategy"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name"]
