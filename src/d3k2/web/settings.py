"""Settings of the web door: defaults < config file (TOML, ``[web]`` table) < environment
(``D3K2_HOST``, ``D3K2_PORT`` …) < explicit overrides (command-line options).

The config file is named by ``--config`` or the ``D3K2_CONFIG`` environment variable.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from d3k2.errors import InputError

ENV_PREFIX = "D3K2_"
CONFIG_ENV = "D3K2_CONFIG"
EXAMPLE_PROFILE = Path(__file__).parent / "static" / "example-profile.json"


class WebSettings(BaseSettings):
    """What the server can be told. Nothing here is a clinical number."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    """Requests with a larger body are refused with 413."""
    docs: bool = True
    """Serve /docs (Swagger UI, from local files) and /redoc-free OpenAPI at /openapi.json."""
    workers: int = Field(default=1, ge=1, le=32)
    """Worker processes (each builds its own engine once)."""
    log_level: str = "info"
    example_profile: Path = EXAMPLE_PROFILE
    """The profile the form offers as an example (``make run`` opens it)."""


def load_settings(config_file: Path | None = None, **overrides: Any) -> WebSettings:
    """Settings from the config file, the environment and ``overrides`` (highest)."""
    path = config_file or (Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV) else None)
    from_file: dict[str, Any] = {}
    if path is not None:
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(
                f"cannot read the config file {path}: {error}", where="--config"
            ) from None
        except tomllib.TOMLDecodeError as error:
            raise InputError(
                f"the config file {path} is not TOML: {error}", where="--config"
            ) from None
        web = table.get("web", table)
        if not isinstance(web, dict):
            raise InputError("[web] must be a table", where=str(path))
        # the environment wins over the file: drop what the environment sets
        from_file = {
            key: value
            for key, value in web.items()
            if f"{ENV_PREFIX}{key.upper()}" not in os.environ
        }
    given = {key: value for key, value in overrides.items() if value is not None}
    return WebSettings(**{**from_file, **given})
