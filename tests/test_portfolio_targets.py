"""The secretariat sets the partnership's target shares per area or theme on the targets page."""

from django.urls import reverse

from samhandling.access.roles import Role
from samhandling.portfolio.models import SmartSpecialisationArea, Target, Theme


def test_secretariat_sets_a_target_and_a_bad_one_changes_nothing(client, make_user):
    area = SmartSpecialisationArea.objects.create(strategy="Stockholm", name="Life Science")
    theme = Theme.objects.create(name="Klimat")
    url = reverse("portfolio:targets")
    client.force_login(make_user("sekr", Role.SECRETARIAT))
    data = {"area": area.pk, "share_percent": "12.5", "decided_in": "Sammanträde 1/2026 § 8", "published": "on"}
    response = client.post(url, data)
    assert response.status_code == 302
    target = Target.objects.get(area=area)
    assert (target.share_percent, target.decided_in, target.published) == (12.5, "Sammanträde 1/2026 § 8", True)
    response = client.post(url, {**data, "theme": theme.pk, "share_percent": "101"})
    assert response.status_code == 200 and "Område eller tema: välj exakt ett av dem." in response.content.decode()
    assert Target.objects.count() == 1
    assert "Life Science" in client.get(url).content.decode()


def test_targets_page_is_for_the_secretariat_only(client, make_user):
    client.force_login(make_user("ledamot", Role.MEMBER))
    assert client.post(reverse("portfolio:targets"), {"share_percent": "10"}).status_code == 403
    assert not Target.objects.exists()
