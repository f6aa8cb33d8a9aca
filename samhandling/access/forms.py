"""Forms for accounts and roles (Swedish labels; Django's password validators check every new password)."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from .roles import ROLE_LABELS
from .services import GRANTABLE

ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in GRANTABLE]


MAX_PASSWORD_LENGTH = 1024  # no real password is longer; a longer one is refused before it is hashed


class LoginForm(AuthenticationForm):
    """Django's sign-in form with its length limits enforced: Django only sets the `maxlength` attribute, so
    a 50 000-character name or password went on to the user look-up, the hasher and the lockout records."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.validators.append(MaxLengthValidator(username.max_length))
        password.max_length = MAX_PASSWORD_LENGTH
        password.validators.append(MaxLengthValidator(MAX_PASSWORD_LENGTH))
        password.widget.attrs["maxlength"] = MAX_PASSWORD_LENGTH


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roller"), choices=ROLE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )


class InviteForm(RolesForm):
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    email = forms.EmailField(label=_("E-postadress"), max_length=254)
    field_order = ("first_name", "last_name", "email", "roles")


class RegisterForm(forms.Form):
    # autocomplete names the purpose of each field (WCAG 2.1, 1.3.5)
    first_name = forms.CharField(
        label=_("Förnamn"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Efternamn"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label=_("E-postadress"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Lösenord igen"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Lösenorden är inte likadana."))
        elif p1:
            user = get_user_model()(
                username=data.get("email", ""),
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
