"""What an address may hold. No link the site makes has a NUL in it, and PostgreSQL can neither
store nor compare one (psycopg2 refuses the query with a ValueError), so a NUL anywhere in the
path or the query string is a bad request before any view sees it. Secret tokens in paths
(invite links, calendar feeds, signed email links) have a shape of their own, so anything else
is not found."""

from django.core.exceptions import BadRequest

NUL = "\x00"


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if NUL in request.path or NUL in query or "%00" in query:
            raise BadRequest("A NUL character in the address.")
        return self.get_response(request)


class TokenConverter:
    """URL-safe base64 (secrets.token_urlsafe) and Django's signed values ("12:34:sig")."""

    regex = "[-A-Za-z0-9_:]{1,128}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
