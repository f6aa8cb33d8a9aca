"""Real document output shared by minutes and reports: HTML templates rendered to PDF with WeasyPrint."""

from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    """Renders a Django template to PDF bytes (print CSS inside the template; no network fetches)."""
    from weasyprint import HTML  # imported lazily: loading Pango costs time on every start otherwise

    html = render_to_string(template_name, context)
    return HTML(string=html).write_pdf()
