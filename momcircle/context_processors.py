from django.conf import settings
from django.http import HttpRequest


def support(request: HttpRequest) -> dict[str, str]:
    """Where members write for help, on every page (`{{ support_email }}`)."""
    return {"support_email": settings.SUPPORT_EMAIL}
