import tempfile

from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from . import opendata

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def open_data(request):
    """The public page listing the open-data downloads."""
    return render(request, "projectbank/open_data.html", {
        "count": opendata.open_projects().count(), "formats": opendata.FORMATS, "columns": opendata.COLUMNS,
    })


def open_data_file(request, fmt):
    """A download, streamed so a million operations never sit in memory; `datapackage` describes them."""
    filename = f"{opendata.FILE_STEM}.{fmt}"
    if fmt == "datapackage":
        urls = {f: request.build_absolute_uri(reverse("projectbank:open-data-file", args=[f])) for f in opendata.FORMATS}
        response = JsonResponse(opendata.datapackage(urls), json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = 'inline; filename="datapackage.json"'
        return response
    if fmt == "xlsx":
        # openpyxl writes a zip file, which needs seeking: it goes to a temporary file that is streamed and removed.
        handle = tempfile.TemporaryFile()
        opendata.write_xlsx(handle)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["xlsx"])
    if fmt not in CONTENT_TYPES:
        raise Http404
    chunks = opendata.csv_chunks() if fmt == "csv" else opendata.json_chunks()
    response = StreamingHttpResponse((c.encode("utf-8") for c in chunks), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
