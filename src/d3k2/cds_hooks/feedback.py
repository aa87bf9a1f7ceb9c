"""Issued cards and clinicians' feedback in one SQLite file, and accept/override rates.

Only what is needed to learn which rules are noise is stored: the card's uuid, the
service, the rule id, the time, and the outcome with its override reason code. No patient
id, no free-text comment (``userComment`` may hold patient details), no token.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS card (
  uuid TEXT PRIMARY KEY,
  service TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  severity TEXT NOT NULL,
  issued_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  card_uuid TEXT NOT NULL,
  service TEXT NOT NULL,
  rule_id TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  reason_code TEXT,
  reason_display TEXT,
  accepted_suggestions INTEGER NOT NULL DEFAULT 0,
  outcome_timestamp TEXT,
  received_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_rule ON feedback (rule_id);
"""


@dataclass(frozen=True)
class IssuedCard:
    uuid: str
    service: str
    rule_id: str
    severity: str


class FeedbackError(ValueError):
    """A feedback item that does not follow CDS Hooks 2.0 (answered 400)."""


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._connection = sqlite3.connect(str(path), check_same_thread=False)
        with self._lock:
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=NORMAL")
            self._connection.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def record_cards(self, cards: Iterable[IssuedCard], issued_at: float) -> None:
        rows = [(c.uuid, c.service, c.rule_id, c.severity, issued_at) for c in cards]
        if not rows:
            return
        with self._lock, self._connection:
            self._connection.executemany("INSERT OR IGNORE INTO card VALUES (?, ?, ?, ?, ?)", rows)

    def record_feedback(self, service: str, items: Any, received_at: float) -> int:
        """Store a ``feedback`` array; returns how many items were stored."""
        if not isinstance(items, list) or not items:
            raise FeedbackError("feedback must be a non-empty array")
        rows = []
        for item in items:
            if not isinstance(item, Mapping):
                raise FeedbackError("each feedback item must be an object")
            card = item.get("card")
            outcome = item.get("outcome")
            if not isinstance(card, str) or outcome not in ("accepted", "overridden"):
                raise FeedbackError("feedback needs card (uuid) and outcome accepted|overridden")
            reason = item.get("overrideReason") or {}
            coding = reason.get("reason") if isinstance(reason, Mapping) else None
            code = coding.get("code") if isinstance(coding, Mapping) else None
            display = coding.get("display") if isinstance(coding, Mapping) else None
            accepted = item.get("acceptedSuggestions") or []
            rows.append(
                (
                    card,
                    service,
                    outcome,
                    code if isinstance(code, str) else None,
                    display if isinstance(display, str) else None,
                    len(accepted) if isinstance(accepted, list) else 0,
                    str(item.get("outcomeTimestamp") or "") or None,
                    received_at,
                )
            )
        with self._lock, self._connection:
            for row in rows:
                self._connection.execute(
                    "INSERT INTO feedback (card_uuid, service, rule_id, outcome, reason_code, "
                    "reason_display, accepted_suggestions, outcome_timestamp, received_at) "
                    "VALUES (?, ?, (SELECT rule_id FROM card WHERE uuid = ?), ?, ?, ?, ?, ?, ?)",
                    (row[0], row[1], row[0], *row[2:]),
                )
        return len(rows)

    def rates(self) -> dict[str, Any]:
        """Cards issued, accepted and overridden per rule, and overrides per reason."""
        with self._lock:
            issued = dict(
                self._connection.execute(
                    "SELECT rule_id, COUNT(*) FROM card GROUP BY rule_id"
                ).fetchall()
            )
            outcomes = self._connection.execute(
                "SELECT COALESCE(rule_id, '(unknown card)'), outcome, COUNT(*) FROM feedback "
                "GROUP BY 1, 2"
            ).fetchall()
            reasons = self._connection.execute(
                "SELECT COALESCE(rule_id, '(unknown card)'), COALESCE(reason_code, '(none)'), "
                "COALESCE(MAX(reason_display), ''), COUNT(*) FROM feedback "
                "WHERE outcome = 'overridden' GROUP BY 1, 2 ORDER BY 4 DESC"
            ).fetchall()
        rules: dict[str, dict[str, Any]] = {}
        for rule_id, count in issued.items():
            rules.setdefault(rule_id, {"issued": 0, "accepted": 0, "overridden": 0})
            rules[rule_id]["issued"] = count
        for rule_id, outcome, count in outcomes:
            entry = rules.setdefault(rule_id, {"issued": 0, "accepted": 0, "overridden": 0})
            entry[outcome] = count
        for entry in rules.values():
            answered = entry["accepted"] + entry["overridden"]
            entry["accept_rate"] = round(entry["accepted"] / answered, 3) if answered else None
            entry["override_rate"] = round(entry["overridden"] / answered, 3) if answered else None
        return {
            "rules": dict(sorted(rules.items())),
            "override_reasons": [
                {"rule_id": r, "reason": code, "display": display, "count": n}
                for r, code, display, n in reasons
            ],
        }
