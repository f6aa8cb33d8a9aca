from samhandling.access.roles import ALL

RULES = {
    "projectbank:open-data": {"GET": ALL},
    "projectbank:open-data-file": {"GET": ALL},
}
