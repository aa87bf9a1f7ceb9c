"""JWT verification of CDS clients (CDS Hooks 2.0, "Trusting CDS Clients").

The EHR signs a short-lived JWT with its private key and sends it as
``Authorization: Bearer <jwt>``. It is accepted only when:

- the header's ``alg`` is an asymmetric algorithm (RS*, PS*, ES*, EdDSA): ``none`` and the
  HMAC family (HS*) are refused, so no shared secret or unsigned token gets in;
- ``iss`` is a configured issuer, and the signature verifies with that issuer's key: from
  its configured keys or its JWK Set URL (a ``jku`` header that differs from the
  configured URL is refused);
- ``aud`` equals this service's endpoint URL; ``exp`` and ``iat`` are present and valid
  (with a small clock-skew leeway); ``jti`` is present and not seen before (replay cache,
  kept until the token expires).

Nothing here logs a token, a claim or a reason: a refusal is a bare 401.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, Final

import jwt

from d3k2.cds_hooks.settings import CdsSettings, Issuer

ALLOWED_ALGORITHMS: Final = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)


class Unauthorized(Exception):
    """The call is refused (401). The reason is for tests, never logged or returned."""


class ReplayCache:
    """``jti`` values seen, each kept until its token expires (bounded, thread-safe)."""

    def __init__(self, max_entries: int) -> None:
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def check_and_add(self, issuer: str, jti: str, expires_at: float, now: float) -> bool:
        """True if new (and now remembered); False for a replay."""
        key = (issuer, jti)
        with self._lock:
            while self._seen:
                oldest_key, oldest_exp = next(iter(self._seen.items()))
                if oldest_exp >= now and len(self._seen) < self._max:
                    break
                del self._seen[oldest_key]
            if key in self._seen:
                return False
            self._seen[key] = expires_at
            return True


class Verifier:
    def __init__(self, settings: CdsSettings) -> None:
        self.settings = settings
        self.replays = ReplayCache(settings.replay_cache_size)
        self._jwks_clients: dict[str, jwt.PyJWKClient] = {}
        self._static_keys: dict[str, list[jwt.PyJWK]] = {
            iss: [jwt.PyJWK(dict(key)) for key in issuer.keys]
            for iss, issuer in settings.issuers.items()
        }

    def verify(self, token: str, audience: str) -> Mapping[str, Any]:
        """The token's claims, or raises :class:`Unauthorized`."""
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise Unauthorized("malformed token") from error
        alg = header.get("alg")
        if alg not in ALLOWED_ALGORITHMS:
            raise Unauthorized("algorithm not allowed")
        issuer_id = unverified.get("iss")
        issuer = self.settings.issuers.get(issuer_id) if isinstance(issuer_id, str) else None
        if issuer is None or not isinstance(issuer_id, str):
            raise Unauthorized("unknown issuer")
        key = self._key(issuer_id, issuer, header, token)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=[alg],
                audience=audience,
                issuer=issuer_id,
                leeway=self.settings.clock_skew_s,
                options={"require": ["iss", "aud", "exp", "iat", "jti"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized("invalid token") from error
        now = time.time()
        if float(claims["iat"]) > now + self.settings.clock_skew_s:
            raise Unauthorized("issued in the future")
        if not self.replays.check_and_add(
            issuer_id, str(claims["jti"]), float(claims["exp"]) + self.settings.clock_skew_s, now
        ):
            raise Unauthorized("replayed jti")
        return claims

    def _key(self, issuer_id: str, issuer: Issuer, header: Mapping[str, Any], token: str) -> Any:
        kid = header.get("kid")
        static = self._static_keys.get(issuer_id) or []
        if static:
            for candidate in static:
                if kid is None or candidate.key_id in (None, kid):
                    return candidate.key
            raise Unauthorized("no configured key with this kid")
        if issuer.jwks_url is None:
            raise Unauthorized("issuer has no keys")
        jku = header.get("jku")
        if jku is not None and jku != issuer.jwks_url:
            raise Unauthorized("jku not the issuer's configured JWK Set URL")
        client = self._jwks_clients.get(issuer_id)
        if client is None:
            client = jwt.PyJWKClient(issuer.jwks_url, cache_keys=True, lifespan=300, timeout=5)
            self._jwks_clients[issuer_id] = client
        try:
            return client.get_signing_key_from_jwt(token).key
        except jwt.PyJWTError as error:
            raise Unauthorized("no signing key") from error


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
