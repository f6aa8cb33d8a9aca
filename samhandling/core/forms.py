"""Form pieces shared by the apps."""

from django import forms


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
