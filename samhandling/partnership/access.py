from samhandling.access.roles import ALL, Role

SECRETARIAT = {Role.SECRETARIAT, Role.ADMINISTRATOR}
MEMBERS = SECRETARIAT | {Role.MEMBER, Role.SUBSTITUTE}

# Published minutes are public records; drafts are filtered per object in selectors.can_see_drafts.
RULES = {
    "partnership:meetings": {"GET": ALL},
    "partnership:meeting": {"GET": ALL},
    "partnership:minutes-pdf": {"GET": ALL},
    "partnership:signed-pdf": {"GET": ALL},  # the public reader gets the signed public version
    "partnership:public-version": {"GET": ALL},
    "partnership:public-pdf": {"GET": ALL},
    "partnership:check": {"GET": ALL, "POST": ALL},
    "partnership:correction-pdf": {"GET": ALL},
    "partnership:decisions": {"GET": ALL},
    "partnership:decision": {"GET": ALL},
    "partnership:minutes-docx": {"GET": MEMBERS},
    "partnership:attachment": {"GET": ALL},  # object-level: published minutes, or may see drafts
    "partnership:meeting-new": {"GET": SECRETARIAT, "POST": SECRETARIAT},
    "partnership:manage": {"GET": SECRETARIAT},
    "partnership:minutes-template": {"GET": SECRETARIAT, "POST": SECRETARIAT},
    "partnership:meeting-edit": {"POST": SECRETARIAT},
    "partnership:attendance": {"POST": SECRETARIAT},
    "partnership:participant-add": {"POST": SECRETARIAT},
    "partnership:item-add": {"POST": SECRETARIAT},
    "partnership:item": {"GET": SECRETARIAT, "POST": SECRETARIAT},
    "partnership:item-move": {"POST": SECRETARIAT},
    "partnership:item-record": {"POST": SECRETARIAT},
    "partnership:correction": {"POST": SECRETARIAT},
    "partnership:status": {"POST": SECRETARIAT},
    "partnership:notice": {"POST": SECRETARIAT},
    "partnership:notice-status": {"GET": SECRETARIAT},
    "partnership:approve": {"POST": MEMBERS},
}
