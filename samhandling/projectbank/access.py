from samhandling.access.roles import ALL

# The public project bank and its open data: readable by everyone, without logging in.
RULES = {
    "projectbank:search": {"GET": ALL},
    "projectbank:suggestions": {"GET": ALL},
    "projectbank:project": {"GET": ALL},
    "projectbank:organisation": {"GET": ALL},
    "projectbank:open-data": {"GET": ALL},
    "projectbank:open-data-file": {"GET": ALL},
}

API_RULES = {
    "GET /projects": ALL,
    "GET /projects/suggest": ALL,
    "GET /projects/{project_id}": ALL,
}
