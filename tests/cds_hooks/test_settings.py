"""Where the CDS Hooks service keeps its feedback file by default."""

from __future__ import annotations

from pathlib import Path

from d3k2.cds_hooks.feedback import FeedbackStore
from d3k2.cds_hooks.settings import CdsSettings, default_feedback_db


def test_the_default_feedback_file_is_in_the_users_state_folder_not_the_current_one() -> None:
    path = default_feedback_db({"XDG_STATE_HOME": "/srv/state"})
    assert path == Path("/srv/state/d3k2/cds-feedback.sqlite3")
    home_default = default_feedback_db({})
    assert home_default == Path.home() / ".local" / "state" / "d3k2" / "cds-feedback.sqlite3"


def test_the_environment_variable_wins_over_the_default(tmp_path: Path) -> None:
    chosen = tmp_path / "chosen.sqlite3"
    settings = CdsSettings.from_env(
        {"D3K2_CDS_FEEDBACK_DB": str(chosen), "XDG_STATE_HOME": str(tmp_path / "x")}
    )
    assert settings.feedback_db == chosen
    unset = CdsSettings.from_env({"XDG_STATE_HOME": str(tmp_path / "x")})
    assert unset.feedback_db == tmp_path / "x" / "d3k2" / "cds-feedback.sqlite3"


def test_the_store_creates_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "there.sqlite3"
    store = FeedbackStore(path)
    try:
        assert path.exists()
    finally:
        store.close()
