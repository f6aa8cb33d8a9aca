from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipConfig(AppConfig):
    name = "samhandling.partnership"
    label = "partnership"
    verbose_name = _("Partnerskap och sammanträden")

    def ready(self):
        from django.db.models.signals import m2m_changed, pre_delete, pre_save

        from .freeze import refuse_frozen_delete, refuse_frozen_m2m
        from .models import Item, Meeting

        pre_delete.connect(refuse_frozen_delete, dispatch_uid="partnership-frozen-delete")
        from .scope import fill_partnership

        pre_save.connect(fill_partnership, dispatch_uid="partnership-fill-scope")
        from auditlog.registry import auditlog

        from .models import PartnershipRole

        if not auditlog.contains(PartnershipRole):  # a role held in one partnership is audited as groups are
            auditlog.register(PartnershipRole)
        for through in (Meeting.adjusters.through, Item.projects.through):
            m2m_changed.connect(
                refuse_frozen_m2m, sender=through, dispatch_uid=f"partnership-frozen-m2m-{through.__name__}"
            )
