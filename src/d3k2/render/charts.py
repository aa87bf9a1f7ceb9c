"""Charts of a 25(OH)D projection (adapter: matplotlib's Agg canvas, SVG or PNG).

The chart shows the central line, the prediction band, the target, and the guideline's
levels of concern; days on the x axis, nmol/L on the left axis and ng/mL on the right.
It uses :class:`matplotlib.figure.Figure` directly (no pyplot state), so it is safe to
call from a server or a test, and the SVG is reproducible (fixed hash salt, no date).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from d3k2.core.kinetics.dosing import GuidelineLine
from d3k2.core.kinetics.projection import Projection
from d3k2.core.quantities import NMOL_L_PER_NG_ML_25OHD
from d3k2.errors import InputError

ChartFormat = Literal["svg", "png"]
_LINE_COLOURS = ("#b8860b", "#b22222", "#6a0dad")


def _nmol_to_ng(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64) / NMOL_L_PER_NG_ML_25OHD


def _ng_to_nmol(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    return np.asarray(values, dtype=np.float64) * NMOL_L_PER_NG_ML_25OHD


def projection_figure(
    projection: Projection,
    *,
    target_nmol_l: float | None = None,
    guideline_lines: Sequence[GuidelineLine] = (),
    title: str = "Projected serum 25(OH)D",
    regimen_start_day: int = 0,
) -> Figure:
    """A matplotlib Figure of the projection (not yet saved).

    Before ``regimen_start_day`` (days from the test to the first dose) nothing is
    projected (the untreated level is assumed from the result), and that stretch is shaded
    and labelled.
    """
    days = [point.day for point in projection.points]
    central = [point.serum_25ohd_nmol_l for point in projection.points]
    low = [point.low for point in projection.points]
    high = [point.high for point in projection.points]
    figure = Figure(figsize=(8.0, 4.8), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    share = 100.0 * (1.0 - 2.0 * projection.band_quantile)
    axes.fill_between(
        days,
        low,
        high,
        color="#4682b4",
        alpha=0.25,
        linewidth=0,
        label=f"{share:.0f}% of people like this",
    )
    axes.plot(days, central, color="#1f4e79", linewidth=2.0, label="projection (central)")
    if regimen_start_day > 0:
        axes.axvspan(
            0,
            regimen_start_day,
            color="#999999",
            alpha=0.15,
            linewidth=0,
            label=f"before the first dose (day {regimen_start_day}): untreated, assumed",
        )
    top = max(high)
    if target_nmol_l is not None:
        axes.axhline(
            target_nmol_l,
            color="#2e8b57",
            linestyle="--",
            linewidth=1.5,
            label=f"target {target_nmol_l:.0f} nmol/L",
        )
        top = max(top, target_nmol_l)
    for colour, line in zip(_LINE_COLOURS, guideline_lines, strict=False):
        axes.axhline(
            line.serum_25ohd_nmol_l,
            color=colour,
            linestyle=":",
            linewidth=1.5,
            label=f"{line.label}: {line.serum_25ohd_nmol_l:.0f} nmol/L",
        )
        top = max(top, line.serum_25ohd_nmol_l)
    axes.set_xlim(0, days[-1])
    axes.set_ylim(0, top * 1.1)
    axes.set_xlabel("days since the baseline blood test [days]")
    axes.set_ylabel("serum 25(OH)D [nmol/L]")
    secondary = axes.secondary_yaxis("right", functions=(_nmol_to_ng, _ng_to_nmol))
    secondary.set_ylabel("serum 25(OH)D [ng/mL]")
    axes.set_title(title)
    axes.grid(True, alpha=0.3)
    axes.legend(loc="center right", fontsize="small", framealpha=0.9)
    figure.text(
        0.01,
        0.01,
        f"model {projection.model}; decision support only",
        fontsize="x-small",
        color="#555555",
    )
    figure.tight_layout()
    return figure


def render_projection_chart(
    projection: Projection,
    *,
    chart_format: ChartFormat,
    target_nmol_l: float | None = None,
    guideline_lines: Sequence[GuidelineLine] = (),
    title: str = "Projected serum 25(OH)D",
    regimen_start_day: int = 0,
) -> bytes:
    """The chart as SVG or PNG bytes."""
    if chart_format not in ("svg", "png"):
        raise InputError(f"chart format must be svg or png, got {chart_format!r}", where="--format")
    figure = projection_figure(
        projection,
        target_nmol_l=target_nmol_l,
        guideline_lines=guideline_lines,
        title=title,
        regimen_start_day=regimen_start_day,
    )
    buffer = io.BytesIO()
    metadata: dict[str, str | None] = (
        {"Date": None, "Creator": "d3k2"} if chart_format == "svg" else {"Software": "d3k2"}
    )
    with rc_context({"svg.hashsalt": "d3k2", "svg.fonttype": "path"}):
        figure.savefig(buffer, format=chart_format, metadata=metadata)
    return buffer.getvalue()
