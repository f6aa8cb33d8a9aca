"""The audit trail: every create, update and delete on the domain apps, who did it, before and after.

django-auditlog writes the entries. This module registers every model of the audited apps when Django
starts (so models added later are covered without a line of code), links each entry to the cases it
belongs to (the record itself and the records it points at, e.g. an item → its meeting) so the secretariat
can read one case's history, gives command-line work a meaningful actor, and tells each entry written in a
request who made it and from where (`AuditlogMiddleware`).
"""

import contextlib
import getpass
import io
import json
import os
from contextvars import ContextVar
from functools import partial

from auditlog.cid import set_cid
from auditlog.context import _set_extra_data, auditlog_value
from auditlog.middleware import AuditlogMiddleware as LibraryMiddleware
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from . import cells

AUDITED_APPS = (
    "programmes",
    "projects",
    "partnership",
    "calls",
    "assessment",
    "projectbank",
    "imports",
    "mobilisation",
    "portfolio",
)
# Tables derived from others (search indexes, caches, reference geography loaded by migrations):
# rebuilding them is not a change anyone made, so logging them only buries the real history.
EXCLUDED_MODELS = {
    "projects.programmeregion",
    "projects.county",
    "projects.municipality",
    "programmes.interventionfield",  # reference lists loaded from programmes/data by a migration
    "programmes.regulationobjective",
    "programmes.indicator",
    "portfolio.projectfigures",  # the dashboard's running sums, kept by portfolio.summary
    "portfolio.figuresum",
    "projectbank.projectfacet",  # the search's facet rows, its data version and change log (projectbank.changes):
    "projectbank.indexstate",  # each project write moves them, and the write itself is audited
    "projectbank.change",
}
CASE_DEPTH = 2
_command = ContextVar("samhandling_audit_command", default=None)


def is_audited(model) -> bool:
    meta = model._meta
    return (
        meta.app_label in AUDITED_APPS
        and not meta.abstract
        and not meta.proxy
        and meta.managed
        and not meta.auto_created
        and meta.label_lower not in EXCLUDED_MODELS
        and not getattr(model, "audit_exclude", False)
    )


def register_models():
    """Registers every audited model with django-auditlog (called from CoreConfig.ready)."""
    from auditlog.registry import auditlog

    for model in apps.get_models():
        if is_audited(model) and not auditlog.contains(model):
            binary = [f.name for f in model._meta.concrete_fields if isinstance(f, models.BinaryField)]
            auditlog.register(model, m2m_fields={f.name for f in model._meta.many_to_many}, exclude_fields=binary)


def case_keys(instance, depth=CASE_DEPTH):
    """(model label, pk) of the record and of the audited records it points at, `depth` foreign keys up."""
    keys, frontier = {(instance._meta.label_lower, str(instance.pk))}, [instance]
    for _ in range(depth):
        parents = []
        for obj in frontier:
            for field in obj._meta.concrete_fields:
                if not field.is_relation or not field.many_to_one and not field.one_to_one:
                    continue
                if not is_audited(field.related_model) or getattr(obj, field.attname) is None:
                    continue
                keys.add((field.related_model._meta.label_lower, str(getattr(obj, field.attname))))
                if _ < depth - 1:
                    try:
                        parents.append(getattr(obj, field.name))
                    except field.related_model.DoesNotExist:
                        pass
        frontier = parents
    return keys


PRIVATE_VALUE = "[privat]"


def private_fields(model) -> tuple[str, ...]:
    """Fields whose content is for one person only (`audit_private_fields`): the trail says they changed, not what."""
    return tuple(getattr(model, "audit_private_fields", ()))


def mask_private(changes, fields):
    """The changes with each private value replaced by a marker (auditlog may hand them over as JSON text)."""
    if isinstance(changes, str):
        return json.dumps(mask_private(json.loads(changes), fields))
    if not isinstance(changes, dict):
        return changes
    return {
        k: (
            [PRIVATE_VALUE if v not in ("", "None", None) else v for v in c]
            if k in fields and isinstance(c, (list, tuple))
            else c
        )
        for k, c in changes.items()
    }


def link_entry_to_cases(sender, instance, log_entry=None, log_created=False, **kwargs):  # noqa: ARG001 (signal signature)
    """post_log receiver: masks private fields and files the new entry under each case it belongs to."""
    from .models import AuditCaseLink

    if not log_created or log_entry is None:
        return
    hidden = private_fields(type(instance))
    if hidden:
        log_entry.changes = mask_private(log_entry.changes, hidden)
        log_entry.changes_text = ""
        log_entry.serialized_data = None
        log_entry.save(update_fields=["changes", "changes_text", "serialized_data"])
    cts = ContentType.objects.get_for_models(*{apps.get_model(label) for label, _ in case_keys(instance)})
    by_label = {model._meta.label_lower: ct for model, ct in cts.items()}
    AuditCaseLink.objects.bulk_create(
        [
            AuditCaseLink(entry=log_entry, content_type=by_label[label], object_pk=pk)
            for label, pk in case_keys(instance)
        ]
    )
    command = _command.get()
    if command:
        log_entry.additional_data = {**(log_entry.additional_data or {}), "source": command}
        log_entry.save(update_fields=["additional_data"])


def skip_suggestions(sender, instance, action=None, **kwargs):  # noqa: ARG001 (signal signature)
    """pre_log receiver: a record that says `audit_skip()` (a machine's suggestion, not anyone's change) is
    not logged; the person's decision on it is."""
    skip = getattr(instance, "audit_skip", None)
    return False if callable(skip) and skip() else None


def record(instance, changes: dict, action=None):
    """Logs a change that bypasses model saves (bulk reordering and the like), with the current actor and
    filed under the record's cases like any other entry."""
    from auditlog.models import LogEntry

    entry = LogEntry.objects.log_create(
        instance, action=LogEntry.Action.UPDATE if action is None else action, changes=changes
    )
    link_entry_to_cases(type(instance), instance, log_entry=entry, log_created=entry is not None)
    return entry


REQUEST_CONTEXT = ("samhandling", "request")  # the dispatch id of the values a request's entries take


class AuditlogMiddleware(LibraryMiddleware):
    """django-auditlog's middleware: each entry written in the request gets its actor, the client's address
    and port. Unlike the library's, it connects no signal receiver per request. The library connects one to
    `pre_save` on entering every request and disconnects it on leaving, under the signal's lock that every
    thread shares: about 40 µs of each public page. Here one receiver, connected once
    (`connect_request_context`), reads the same context variable, and the request's values are reset when it
    ends (the library's stayed with the thread)."""

    def __call__(self, request):
        set_cid(request)
        token = auditlog_value.set({**self.get_extra_data(request), "signal_duid": REQUEST_CONTEXT})
        try:
            return self.get_response(request)
        finally:
            auditlog_value.reset(token)


def connect_request_context():
    """The one receiver that gives a log entry its request's values (see AuditlogMiddleware)."""
    from auditlog import get_logentry_model
    from django.db.models.signals import pre_save

    pre_save.connect(
        partial(_set_extra_data, signal_duid=REQUEST_CONTEXT),
        sender=get_logentry_model(),
        weak=False,
        dispatch_uid="samhandling-audit-request-context",
    )


def resolve_actor(username=None):
    """The user a command acts for: `--actor`, else $SAMHANDLING_ACTOR, else the login name if it is a user."""
    User = get_user_model()
    name = username or os.environ.get("SAMHANDLING_ACTOR")
    if name:
        return User.objects.get(username=name)
    try:
        return User.objects.filter(username=getpass.getuser()).first()
    except OSError:
        return None


@contextlib.contextmanager
def command_actor(command, username=None):
    """Everything logged inside is attributed to the resolved user and marked with `cli:<command>`."""
    from auditlog.context import set_actor

    token = _command.set(f"cli:{command}")
    try:
        actor = resolve_actor(username)
        if actor is None:
            yield None
        else:
            with set_actor(actor):
                yield actor
    finally:
        _command.reset(token)


def trail(model_label, pk):
    """The log entries of one case, newest first (the record and everything filed under it)."""
    from auditlog.models import LogEntry

    model = apps.get_model(model_label)
    ct = ContentType.objects.get_for_model(model)
    return (
        LogEntry.objects.filter(samhandling_cases__content_type=ct, samhandling_cases__object_pk=str(pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
        .distinct()
    )


def visible_to(entries, user):
    """Leaves out the entries the user may not see: assessments (jäv, not assigned to the call) and the
    content of other people's unsubmitted drafts."""
    from auditlog.models import LogEntry

    from samhandling.assessment.selectors import SCORE_MODELS, score_readable_application_ids

    from .models import AuditCaseLink

    project = ContentType.objects.get_for_model(apps.get_model("projects.Project"))
    scores = ContentType.objects.get_for_models(*(apps.get_model(label) for label in SCORE_MODELS)).values()
    readable = [str(pk) for pk in score_readable_application_ids(user)]
    allowed = AuditCaseLink.objects.filter(content_type=project, object_pk__in=readable).values("entry_id")
    hidden = LogEntry.objects.filter(content_type__in=scores).exclude(pk__in=allowed)
    Project = project.model_class()
    drafts = Project.objects.filter(status=Project.Status.DRAFT).exclude(owner_id=getattr(user, "pk", None))
    in_drafts = AuditCaseLink.objects.filter(
        content_type=project, object_pk__in=[str(pk) for pk in drafts.values_list("pk", flat=True)]
    ).values("entry_id")
    return entries.exclude(pk__in=hidden.values("pk")).exclude(pk__in=in_drafts)


def actor_label(entry):
    if entry.actor_id:
        return entry.actor.get_username()
    return (entry.additional_data or {}).get("source") or "system"


CSV_HEADER = ["tidpunkt", "handling", "vem", "post", "id", "beskrivning", "fält", "före", "efter", "källa"]


def trail_csv(entries) -> str:
    """One row per changed field (before and after), so the file can be filtered in a spreadsheet."""
    from auditlog.models import LogEntry

    out = io.StringIO()
    writer = cells.writer(out)
    writer.writerow(CSV_HEADER)
    actions = dict(LogEntry.Action.choices)
    for e in entries:
        base = [
            timezone.localtime(e.timestamp).isoformat(),  # Swedish time, with its offset
            actions.get(e.action, e.action),
            actor_label(e),
            e.content_type.model_class()._meta.label_lower if e.content_type.model_class() else e.content_type.model,
            e.object_pk,
            e.object_repr,
        ]
        source = (e.additional_data or {}).get("source", "")
        rows = change_rows(e)
        if not rows:
            writer.writerow([*base, "", "", "", source])
        for field, before, after in rows:
            writer.writerow([*base, field, before, after, source])
    return out.getvalue()


def change_rows(entry):
    """(field, before, after) for each change of an entry; many-to-many changes list the objects touched."""
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    rows = []
    for field, change in sorted(changes.items()):
        if isinstance(change, dict):  # many-to-many: {"type": "m2m", "operation": "add", "objects": [...]}
            before, after = "", f"{change.get('operation', '')}: {', '.join(map(str, change.get('objects', [])))}"
        elif isinstance(change, (list, tuple)) and len(change) == 2:
            before, after = change
        else:
            before, after = None, change
        rows.append((field, before, after))
    return rows
