"""JWT verification of CDS clients on a real server: a good token, and every refusal a
bare 401 with nothing logged (no token, no claim, no patient data)."""

from __future__ import annotations

import json
import logging
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from tests.cds_hooks.fhir_server import fhir_app
from tests.cds_hooks.helpers import draft, fixture, order_sign, prefetch_of, resources_of

from d3k2.cds_hooks import CdsSettings, Issuer
from d3k2.cds_hooks.app import create_cds_app
from d3k2.cds_hooks.security import ReplayCache, is_loopback

ISSUER = "https://ehr.example.org"
SIGN = "/cds-services/d3k2-order-sign"
PATIENT_ID = "8c1d2a77-warfarin-0002"

EHR_KEY = ec.generate_private_key(ec.SECP384R1())
OTHER_KEY = ec.generate_private_key(ec.SECP384R1())
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: Any, kid: str) -> dict[str, Any]:
    algorithm = jwt.algorithms.ECAlgorithm if isinstance(key, ec.EllipticCurvePrivateKey) else None
    if algorithm is None:
        data = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    else:
        data = json.loads(algorithm.to_jwk(key.public_key()))
    data["kid"] = kid
    return data


def token(audience: str, **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "client-1",
        "aud": audience,
        "exp": now + 300,
        "iat": now,
        "jti": str(uuid.uuid4()),
    }
    claims.update({k: v for k, v in overrides.items() if not k.startswith("_")})
    claims = {k: v for k, v in claims.items() if v is not None}
    key = overrides.get("_key", EHR_KEY)
    algorithm = overrides.get("_alg", "ES384")
    return jwt.encode(
        claims, key, algorithm=algorithm, headers={"kid": overrides.get("_kid", "k1")}
    )


def body() -> dict[str, Any]:
    return order_sign(
        PATIENT_ID,
        [draft("k2-1", "menaquinone-7", 100, "ug")],
        prefetch_of(resources_of(fixture("warfarin_transaction.json"))),
    )


def call(base: str, bearer: str | None) -> httpx.Response:
    headers = {} if bearer is None else {"Authorization": f"Bearer {bearer}"}
    return httpx.post(base + SIGN, json=body(), headers=headers, timeout=10)


@pytest.fixture
def secured(serve, feedback_db: Path) -> str:
    settings = CdsSettings(
        issuers={ISSUER: Issuer(keys=(public_jwk(EHR_KEY, "k1"),))}, feedback_db=feedback_db
    )
    return serve(create_cds_app(settings))


def test_a_good_token_gets_cards(secured: str) -> None:
    response = call(secured, token(secured + SIGN))
    assert response.status_code == 200
    assert [c["indicator"] for c in response.json()["cards"]] == ["critical"]


def _hmac_with_the_public_key(audience: str) -> str:
    """The algorithm-confusion attack: HS256 'signed' with the issuer's public key."""
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": audience, "exp": now + 300, "iat": now, "jti": "h"}
    pem = EHR_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": "k1"}
    import base64
    import hashlib
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    signature = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


def _unsigned(audience: str) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": audience, "exp": now + 300, "iat": now, "jti": "n"}
    return jwt.encode(claims, None, algorithm="none")  # type: ignore[arg-type]


BAD_TOKENS = {
    "expired": lambda aud: token(aud, exp=int(time.time()) - 600, iat=int(time.time()) - 900),
    "wrong audience": lambda aud: token("https://other.example.org/cds-services/x"),
    "unknown issuer": lambda aud: token(aud, iss="https://rogue.example.org"),
    "alg none": _unsigned,
    "hmac": _hmac_with_the_public_key,
    "bad signature": lambda aud: token(aud, _key=OTHER_KEY),
    "no jti": lambda aud: token(aud, jti=None),
    "no exp": lambda aud: token(aud, exp=None),
    "issued in the future": lambda aud: token(aud, iat=int(time.time()) + 3600),
    "not a jwt": lambda aud: "not-a-jwt",
}


@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
def test_bad_tokens_get_401_and_nothing_is_logged(
    secured: str, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    bad = BAD_TOKENS[case](secured + SIGN)
    response = call(secured, bad)
    assert response.status_code == 401
    assert response.json() == {"detail": "the JWT was not accepted"}
    assert bad not in caplog.text
    assert PATIENT_ID not in caplog.text
    assert not [r for r in caplog.records if r.name.startswith("d3k2")]


def test_a_replayed_jti_gets_401(secured: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    once = token(secured + SIGN)
    assert call(secured, once).status_code == 200
    assert call(secured, once).status_code == 401
    assert once not in caplog.text and PATIENT_ID not in caplog.text


def test_a_missing_token_outside_development_mode_gets_401(
    secured: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = call(secured, None)
    assert response.status_code == 401
    assert PATIENT_ID not in caplog.text
    feedback = httpx.post(secured + SIGN + "/feedback", json={"feedback": []}, timeout=10)
    assert feedback.status_code == 401


def test_development_mode_accepts_unsigned_calls_from_loopback(serve, feedback_db) -> None:
    base = serve(create_cds_app(CdsSettings(development=True, feedback_db=feedback_db)))
    assert call(base, None).status_code == 200
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("10.1.2.3") and not is_loopback(None) and not is_loopback("ehr.org")


def test_keys_from_the_issuers_jwk_set_url(serve, feedback_db) -> None:
    jwks = {"keys": [public_jwk(RSA_KEY, "rsa-1"), public_jwk(EHR_KEY, "k1")]}
    keys_base = serve(fhir_app([], jwks=jwks))
    jwks_url = keys_base + "/.well-known/jwks.json"
    settings = CdsSettings(issuers={ISSUER: Issuer(jwks_url=jwks_url)}, feedback_db=feedback_db)
    base = serve(create_cds_app(settings))
    assert (
        call(base, token(base + SIGN, _key=RSA_KEY, _alg="RS384", _kid="rsa-1")).status_code == 200
    )
    assert call(base, token(base + SIGN)).status_code == 200
    assert call(base, token(base + SIGN, _key=OTHER_KEY, _kid="k1")).status_code == 401
    # a jku that is not the issuer's configured JWK Set URL is refused
    now = int(time.time())
    forged = jwt.encode(
        {"iss": ISSUER, "aud": base + SIGN, "exp": now + 60, "iat": now, "jti": "j"},
        OTHER_KEY,
        algorithm="ES384",
        headers={"kid": "k1", "jku": "http://127.0.0.1:9/keys.json"},
    )
    assert call(base, forged).status_code == 401


def test_the_replay_cache_forgets_expired_tokens() -> None:
    cache = ReplayCache(max_entries=2)
    assert cache.check_and_add("iss", "a", expires_at=10, now=0)
    assert not cache.check_and_add("iss", "a", expires_at=10, now=5)
    assert cache.check_and_add("iss", "a", expires_at=30, now=20)  # the first one expired
    assert cache.check_and_add("iss", "b", expires_at=40, now=20)
    assert cache.check_and_add("iss", "c", expires_at=40, now=20)  # bounded: oldest dropped
