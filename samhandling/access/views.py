"""Accounts and roles in the browser: the secretariat's role page and invitations, sign-up, password reset.

Password reset and choosing a password from an invitation are Django's own auth views (their token
generator and forms); these views only give them Swedish templates and routes.
"""

from smtplib import SMTPException

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samhandling.core.context_processors import SITE_NAME

from . import selectors, services
from .forms import InviteForm, LoginForm, RegisterForm, RolesForm
from .roles import ROLE_LABELS

User = get_user_model()
MAIL_ERRORS = (SMTPException, OSError)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def roles(request):
    """Who has which role: every account, filterable by role and searchable."""
    role, query = request.GET.get("roll", ""), request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.users(role=role, query=query), 50).get_page(request.GET.get("sida"))
    rows = [(u, selectors.role_labels(u)) for u in page]
    return render(
        request,
        "access/roles.html",
        {
            "page": page,
            "rows": rows,
            "role": role,
            "query": query,
            "role_choices": [(r.value, ROLE_LABELS[r]) for r in services.GRANTABLE],
        },
    )


def user_roles(request, pk):
    """One account's roles: change them (each grant and revocation audited) and read their history."""
    account = get_object_or_404(User, pk=pk)
    current = [g.name for g in account.groups.all()]
    form = RolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            granted, revoked = services.set_roles(account, form.cleaned_data["roles"], by=request.user)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if granted or revoked:
                messages.success(
                    request, _("Rollerna för %(u)s är ändrade.") % {"u": account.get_full_name() or account}
                )
            else:
                messages.info(request, _("Inga roller ändrades."))
            return redirect("access:user", pk=account.pk)
    return render(
        request,
        "access/user_roles.html",
        {"account": account, "form": form, "history": selectors.role_history(account)},
        status=400 if form.errors else 200,
    )


def invite(request):
    """The secretariat invites a person by e-mail: an account with the chosen roles and a set-password link."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invite(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                roles=data["roles"],
                by=request.user,
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            _send_invitation(request, user)
            return redirect("access:user", pk=user.pk)
    return render(request, "access/invite.html", {"form": form}, status=400 if form.errors else 200)


def _send_invitation(request, user) -> None:
    try:
        services.send_invitation(request, user, by=request.user)
    except MAIL_ERRORS:
        messages.error(
            request,
            _("Kontot för %(e)s finns, men inbjudan kunde inte skickas (e-postservern svarade inte). Försök igen.")
            % {"e": user.email},
        )
    else:
        messages.success(
            request, _("En inbjudan med en länk för att välja lösenord har skickats till %(e)s.") % {"e": user.email}
        )


@require_POST
def resend(request, pk):
    user = get_object_or_404(User, pk=pk)
    try:
        _send_invitation(request, user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("access:user", pk=user.pk)


def register(request):
    """An applicant signs up; the account is usable once the link in the e-mail has been opened."""
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_applicant(
                request,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
            )
        except MAIL_ERRORS:
            form.add_error(None, _("E-postmeddelandet kunde inte skickas. Försök igen om en stund."))
        else:
            return render(request, "access/register_sent.html", {"email": data["email"]})
    return render(request, "access/register.html", {"form": form}, status=400 if form.errors else 200)


def _user_from(uidb64):
    try:
        return User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist, ValidationError):
        return None


def verify(request, uidb64, token):
    user = _user_from(uidb64)
    ok = user is not None and services.verify(user, token)
    if ok:
        messages.success(request, _("Din e-postadress är bekräftad. Logga in för att fortsätta."))
        return redirect("login")
    return render(request, "access/verify_failed.html", status=400)


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "access/password_reset.html"
    email_template_name = "access/email/password_reset.txt"
    subject_template_name = "access/email/password_reset_subject.txt"
    success_url = reverse_lazy("access:password-reset-done")
    extra_email_context = {"site_name": SITE_NAME}  # noqa: RUF012 (Django's attribute)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "access/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "access/password_set.html"
    success_url = reverse_lazy("access:password-reset-complete")
    title = gettext_lazy("Välj ett nytt lösenord")


class SetPasswordView(PasswordResetConfirmView):
    """The invitation's link: the same token and form as a password reset, worded for a first password."""

    title = gettext_lazy("Välj ditt lösenord")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "access/password_reset_complete.html"


class LoginView(auth_views.LoginView):
    """Django's login view; in demo mode the page lists the demo accounts and their passwords."""

    form_class = LoginForm

    def get_redirect_url(self):
        """Signing in from the public start page leads to Mina uppgifter (LOGIN_REDIRECT_URL), not back."""
        url = super().get_redirect_url()
        return "" if url == reverse("core:home") else url

    def get_context_data(self, **kwargs):
        from . import demo

        context = super().get_context_data(**kwargs)
        context["site_name"] = SITE_NAME  # Django's view sets the host name here; the title carries the product's
        context["demo_accounts"] = (
            [(ROLE_LABELS[role], username, password) for role, username, password in demo.accounts()]
            if settings.DEMO_MODE
            else []
        )
        return context
