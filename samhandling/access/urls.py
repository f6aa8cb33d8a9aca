from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("roller/", views.roles, name="roles"),
    path("roller/bjud-in/", views.invite, name="invite"),
    path("roller/konto/<int:pk>/", views.user_roles, name="user"),
    path("roller/konto/<int:pk>/skicka-inbjudan/", views.resend, name="resend"),
    path("konto/registrera/", views.register, name="register"),
    path("konto/bekrafta/<uidb64>/<token>/", views.verify, name="verify"),
    path("konto/valj-losenord/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set-password"),
    path("konto/glomt-losenord/", views.PasswordResetView.as_view(), name="password-reset"),
    path("konto/glomt-losenord/skickat/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "konto/nytt-losenord/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"
    ),
    path("konto/nytt-losenord/klart/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
]
