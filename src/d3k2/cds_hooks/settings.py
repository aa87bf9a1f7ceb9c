"""Settings of the CDS Hooks service (all optional; environment variables for the CLI).

- ``issuers`` (``D3K2_CDS_ISSUERS``, JSON ``{"iss": {"jwks_url": "..."}}`` or
  ``{"iss": {"keys": [JWK, ...]}}``): the EHRs allowed to call, and their public keys.
- ``public_base_url`` (``D3K2_CDS_PUBLIC_URL``): this service's base URL as the EHR calls
  it; the JWT ``aud`` must be ``<base>/cds-services/<id>``. Default: the request's URL.
- ``development`` (``D3K2_CDS_DEV=1``): accept calls without a JWT, from loopback only.
- ``report_url`` (``D3K2_CDS_REPORT_URL``): base URL of the d3k2 web app; cards link to
  ``<report_url>/rules/<rule id>``; no link when unset.
- ``feedback_db`` (``D3K2_CDS_FEEDBACK_DB``): SQLite file for issued cards and feedback.
  Default: ``$XDG_STATE_HOME/d3k2/cds-feedback.sqlite3`` (``~/.local/state`` when unset), so
  running the service never writes into the current folder (a source checkout, say).
- ``cors_origins`` (``D3K2_CDS_CORS_ORIGINS``, comma-separated): browser origins allowed
  (EHR sandboxes); default ``*``, never with credentials.
- ``fhir_timeout_s`` (``D3K2_CDS_FHIR_TIMEOUT``): seconds to wait for the EHR's FHIR
  server (default 4).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Issuer:
    """One allowed issuer: a JWK Set URL or configured public keys (JWK dicts)."""

    jwks_url: str | None = None
    keys: tuple[Mapping[str, Any], ...] = ()


def default_feedback_db(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user state file for feedback (XDG Base Directory Specification 0.8)."""
    env = os.environ if environ is None else environ
    state_home = env.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state_home) / "d3k2" / "cds-feedback.sqlite3"


@dataclass(frozen=True)
class CdsSettings:
    issuers: Mapping[str, Issuer] = field(default_factory=dict)
    public_base_url: str | None = None
    development: bool = False
    report_url: str | None = None
    feedback_db: Path = field(default_factory=default_feedback_db)
    cors_origins: tuple[str, ...] = ("*",)
    fhir_timeout_s: float = 4.0
    clock_skew_s: int = 30
    """Leeway for exp and iat (clocks of the EHR and of this service differ a little)."""
    replay_cache_size: int = 100_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> CdsSettings:
        env = os.environ if environ is None else environ
        issuers: dict[str, Issuer] = {}
        raw = env.get("D3K2_CDS_ISSUERS")
        if raw:
            for iss, spec in json.loads(raw).items():
                issuers[iss] = Issuer(
                    jwks_url=spec.get("jwks_url"), keys=tuple(spec.get("keys") or ())
                )
        origins = tuple(
            o.strip() for o in env.get("D3K2_CDS_CORS_ORIGINS", "*").split(",") if o.strip()
        )
        return cls(
            issuers=issuers,
            public_base_url=env.get("D3K2_CDS_PUBLIC_URL") or None,
            development=env.get("D3K2_CDS_DEV", "") in {"1", "true", "yes"},
            report_url=env.get("D3K2_CDS_REPORT_URL") or None,
            feedback_db=Path(env["D3K2_CDS_FEEDBACK_DB"])
            if env.get("D3K2_CDS_FEEDBACK_DB")
            else default_feedback_db(env),
            cors_origins=origins or ("*",),
            fhir_timeout_s=float(env.get("D3K2_CDS_FHIR_TIMEOUT", "4")),
        )
