"""Device cookies: a browser that has signed in to an account before is not locked out with strangers.

The per-address limit stops one address from guessing at many accounts, but a whole office behind one NAT or
proxy shares an address: twenty mistyped passwords in a morning would lock every colleague out. Following OWASP's
"device cookie" scheme, a successful sign-in leaves a signed cookie naming the device and the accounts it signed in
to. Attempts from such a device for such an account are judged only by that device's own failures; everyone else
(an attacker included) is judged by the per-account and per-address limits as before.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from crm.auth.services import normalise_username

COOKIE = "crm_device"
SALT = "crm-device-cookie"
MAX_ACCOUNTS = 5  # a shared office computer: a few colleagues' accounts, never an unbounded list


@dataclass(frozen=True)
class Device:
    key: str
    usernames: tuple[str, ...]

    def trusted_for(self, username: str) -> str | None:
        """The device's key when it has signed in to ``username`` before, else None."""
        return self.key if normalise_username(username) in self.usernames else None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)  # type: ignore[arg-type]


def _max_age() -> int:
    return current_app.config["CRM_DEVICE_COOKIE_DAYS"] * 86400


def current_device() -> Device | None:
    """The device cookie of this request, when it is ours, unexpired and well-formed."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw, max_age=_max_age())
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str) or not isinstance(data.get("u"), list):
        return None
    return Device(data["d"][:32], tuple(str(u) for u in data["u"][:MAX_ACCOUNTS]))


def remember_device(response: Response, username: str, device: Device | None) -> None:
    """After a successful sign-in: this browser (``device``: its cookie as the request brought it) is now known for
    ``username``, most recent first."""
    key = device.key if device else secrets.token_hex(16)
    name = normalise_username(username)
    usernames = [name] + [u for u in (device.usernames if device else ()) if u != name]
    value = _serializer().dumps({"d": key, "u": usernames[:MAX_ACCOUNTS]})
    response.set_cookie(COOKIE, value, max_age=_max_age(), httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
