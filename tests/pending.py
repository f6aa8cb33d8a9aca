"""What the tests take for "the background worker has not built this yet": no fault, and no denial."""


def not_ready_yet(response) -> bool:
    """A 503 with Retry-After, as pages and files built per data version answer before their first build."""
    return response.status_code == 503 and response.has_header("Retry-After")
