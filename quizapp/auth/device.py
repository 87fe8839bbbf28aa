"""The device cookie: a signed note that this browser logged in to some accounts before.

It exempts the browser from the per-address login counter for those accounts (see
quizapp.security.throttle_keys), so a guesser behind the same school address never locks
the owner out. It grants no access by itself and names no account (only keyed hashes).
"""

from __future__ import annotations

import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from quizapp.security import DEVICE_ACCOUNTS, Device

COOKIE = "quizapp_device"
MAX_AGE = 365 * 24 * 3600
_SALT = "quizapp.device-cookie"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


def read_device() -> Device | None:
    """Return the device of this request's cookie, or None if it has none or a forged one."""
    raw = request.cookies.get(COOKIE)
    if not raw or len(raw) > 4096:
        return None
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    nonce, accounts = data.get("n"), data.get("a")
    if not isinstance(nonce, str) or not isinstance(accounts, list):
        return None
    tags = tuple(t for t in accounts if isinstance(t, str))[-DEVICE_ACCOUNTS:]
    return Device(nonce, tags)


def remember_device(response: Response, device: Device | None, tag: str) -> None:
    """Add the account to this browser's device cookie (creating the cookie if needed)."""
    device = (device or Device(secrets.token_urlsafe(12))).with_account(tag)
    response.set_cookie(
        COOKIE,
        _serializer().dumps({"n": device.nonce, "a": list(device.accounts)}),
        max_age=MAX_AGE,
        path="/auth/",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
