"""Progress of a long screen on standard error: resources and patients per second, time left."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Progress:
    total_patients: int
    stream: TextIO | None = field(default_factory=lambda: sys.stderr)
    every_seconds: float = 2.0
    patients: int = 0
    resources: int = 0
    started: float = field(default_factory=time.monotonic)
    _last: float = 0.0

    def say(self, text: str) -> None:
        if self.stream is not None:
            print(text, file=self.stream, flush=True)

    def advance(self, patients: int, resources: int) -> None:
        self.patients += patients
        self.resources += resources
        now = time.monotonic()
        if now - self._last >= self.every_seconds or self.patients >= self.total_patients:
            self._last = now
            self.say(self.line(now))

    def line(self, now: float | None = None) -> str:
        elapsed = max((now or time.monotonic()) - self.started, 1e-9)
        rate = self.patients / elapsed
        left = (self.total_patients - self.patients) / rate if rate > 0 else float("nan")
        return (
            f"screened {self.patients}/{self.total_patients} patients "
            f"({self.patients / max(self.total_patients, 1):.0%}), "
            f"{self.resources / elapsed:,.0f} resources/s, {rate:,.0f} patients/s, "
            f"about {left:,.0f} s left"
        )
