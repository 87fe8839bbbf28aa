"""Flask's signed-cookie session, re-sent only when it changed or is a day old.

Flask re-signs and re-sends a permanent session's cookie with every response so that its
expiry slides forward (``SESSION_REFRESH_EACH_REQUEST``). That costs every request a JSON
dump, a compression and an HMAC, and every response a Set-Cookie header, for an expiry that
moves by seconds. Here the cookie is re-sent when the session changed, or when the cookie
was issued more than ``REFRESH_AFTER`` ago: the expiry still slides with use (a learner
who comes back daily stays logged in), at most a day behind.
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import Flask
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature
from werkzeug.wrappers import Request

#: How old a cookie may get before an unchanged session is sent again with a new expiry.
REFRESH_AFTER = timedelta(days=1)


class AgedSession(SecureCookieSession):
    """A session that knows when its cookie was signed (seconds since the epoch; 0: new)."""

    issued_at: float = 0.0


class RefreshDailySessionInterface(SecureCookieSessionInterface):
    """Set the session cookie when the session changed or its cookie is over a day old."""

    session_class = AgedSession

    def open_session(self, app: Flask, request: Request) -> AgedSession | None:  # type: ignore[override]
        """Read and check the cookie like Flask does, keeping the time it was signed."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.issued_at = signed.timestamp()
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """Changed: always; unchanged and permanent: once the cookie is a day old."""
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        issued = getattr(session, "issued_at", 0.0)
        return time.time() - issued >= REFRESH_AFTER.total_seconds()
