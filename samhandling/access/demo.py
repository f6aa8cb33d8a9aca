"""Demo: one account per role, linked to the demo's people and organisations so each role finds its work.

Passwords are derived from the secret key (so `make run` can print them again on every start and they differ
between installations that set their own key). Demo accounts are recognised by their user names: a production
server refuses to start while any exists (checks.py), and the login page lists them only in demo mode.
"""

from django.contrib.auth import get_user_model
from django.utils.crypto import salted_hmac

from .roles import Role
from .services import role_group

ORDER = 99

# role, user name, first name, last name, demo person (partnership.Person) or None. The accounts carry role
# names, not the names of the real people in the minutes they are linked to.
ACCOUNTS = [
    (Role.SECRETARIAT, "demo-sekretariat", "Demo", "Sekretariat", "Evert Kroes"),
    (Role.MEMBER, "demo-ledamot", "Demo", "Ledamot", "Daniel Forslund"),
    (Role.SUBSTITUTE, "demo-ersattare", "Demo", "Ersättare", "Andrea Irving"),
    (Role.ASSESSOR, "demo-bedomare", "Demo", "Bedömare", "Alvin Planman"),
    (Role.MA_OFFICER, "demo-handlaggare", "Demo", "Handläggare", None),
    (Role.APPLICANT, "demo-sokande", "Sara", "Sökande", None),
    (Role.ADMINISTRATOR, "demo-admin", "Ada", "Administratör", None),
]
USERNAMES = [a[1] for a in ACCOUNTS]
APPLICANT_ORGANISATION = "SOS Barnbyar"  # owns one of the demo's project ideas (mobilisation/demo.py)


# Demo addresses: a name under the reserved `.example` top-level domain (RFC 2606), which never delivers and
# is not the domain the pseudonymised contact persons of the shared project lists use.
EMAIL_DOMAIN = "samhandling.example"


def password(username: str) -> str:
    digest = salted_hmac("samhandling.access.demo", username, algorithm="sha256").hexdigest()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def accounts() -> list[tuple[Role, str, str]]:
    """(role, user name, password) of the demo accounts present in the database."""
    present = set(get_user_model().objects.filter(username__in=USERNAMES).values_list("username", flat=True))
    return [(role, name, password(name)) for role, name, *_ in ACCOUNTS if name in present]


def exist() -> bool:
    return get_user_model().objects.filter(username__in=USERNAMES).exists()


def load():
    """Creates or repairs the demo accounts (their roles, passwords and links); never touches other users."""
    from samhandling.calls.models import Call
    from samhandling.mobilisation.models import OrganisationUser
    from samhandling.partnership.models import Person
    from samhandling.projects.models import Organisation

    User = get_user_model()
    for role, username, first, last, person_name in ACCOUNTS:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@{EMAIL_DOMAIN}"},
        )
        if not user.check_password(password(username)):
            user.set_password(password(username))
            user.save(update_fields=["password"])
        user.groups.add(role_group(role))
        if role is Role.ADMINISTRATOR and not user.is_staff:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        if person_name:
            person, _ = Person.objects.get_or_create(name=person_name)
            if person.user_id is None and not hasattr(user, "person"):
                person.user = user
                person.save(update_fields=["user"])
        if role is Role.ASSESSOR:
            for call in Call.objects.all():
                call.assessors.add(user)
        if role is Role.APPLICANT:
            organisation = Organisation.objects.filter(name=APPLICANT_ORGANISATION).first()
            if organisation and not OrganisationUser.objects.filter(user=user).exists():
                OrganisationUser.objects.create(user=user, organisation=organisation)
