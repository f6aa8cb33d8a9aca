"""Form pieces shared by the apps.

One rendering for every Django form (settings.FORM_RENDERER): an error summary that takes focus, each error
at its field and linked to it by aria-describedby, help text with its id, and required fields marked."""

from django import forms
from django.forms.renderers import DjangoTemplates

# `{{ form }}`, `form.as_p` and `form.as_div` all render through the one template; tables and lists keep Django's.
GENERIC = {"django/forms/default.html", "django/forms/div.html", "django/forms/p.html"}


class FormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"

    def get_template(self, template_name):
        if template_name in GENERIC:
            template_name = self.form_template_name
        elif template_name == "django/forms/field.html":
            template_name = self.field_template_name
        return super().get_template(template_name)


def mark_required(form, names) -> None:
    """Marks fields a later step requires (e.g. on submission of a draft) without making the form refuse blanks."""
    for name in names:
        if name in form.fields:
            form.fields[name].required_later = True
            if getattr(form.fields[name].widget, "input_type", "") not in ("checkbox", "radio"):
                form.fields[name].widget.attrs["aria-required"] = "true"  # not allowed on a checkbox


class FilteredCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in a scrolling list with a text box that narrows it (site.js): a long multiple choice (21
    counties, 290 municipalities) that needs no Ctrl+Space and says how many options are shown."""

    template_name = "core/forms/filtered_checkboxes.html"

    def __init__(self, attrs=None, choices=(), *, filter_label=""):
        super().__init__(attrs, choices)
        self.filter_label = filter_label

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["filter_label"] = self.filter_label
        return context


class ScopedIds:
    """Form mixin: ids `id_<scope>_<field>`, so several forms on one page that share a field name (`title`,
    `name`) never share an id and every label names its own control."""

    id_scope = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.id_scope}_%s")
        super().__init__(*args, **kwargs)


class VersionField(forms.IntegerField):
    """The version of the record the editor started from (optimistic locking, see core.models.VersionedModel)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, **kwargs)


class VersionedModelForm(forms.ModelForm):
    """A ModelForm for a VersionedModel: saving a copy someone else changed since it was opened is refused."""

    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = self.instance.version

    def _post_clean(self):
        super()._post_clean()
        from .models import edited_from

        edited_from(self.instance, self.cleaned_data.pop("version", None))  # not a field a service takes
