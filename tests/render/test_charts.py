"""The projection chart: band, target, guideline lines, units on both axes; SVG and PNG."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from d3k2.api import Engine
from d3k2.core.kinetics.projection import DoseEvent, Projection, project
from d3k2.errors import InputError
from d3k2.render.charts import projection_figure, render_projection_chart


@pytest.fixture(scope="module")
def projection() -> Projection:
    events = [DoseEvent(float(d), 50_000) for d in range(0, 56, 7)]
    events += [DoseEvent(float(d), 2000) for d in range(56, 180)]
    return project(
        44.9, events, 180, parameters=Engine.default().projection_parameters, weight_kg=82
    )


def test_figure_has_band_target_guideline_lines_and_both_units(projection: Projection) -> None:
    figure = projection_figure(
        projection, target_nmol_l=75.0, guideline_lines=Engine.default().guideline_lines
    )
    axes = figure.axes[0]
    assert "nmol/L" in axes.get_ylabel()
    assert "days" in axes.get_xlabel()
    assert any("ng/mL" in a.get_ylabel() for a in axes.child_axes)
    levels = [np.asarray(line.get_ydata(), dtype=float) for line in axes.get_lines()]
    horizontal = sorted(round(float(y[0]), 1) for y in levels if len(set(y.tolist())) == 1)
    assert horizontal == [75.0, 125.0, 375.0]
    assert axes.collections, "the prediction band is drawn"
    assert any("80% of people" in label for label in _legend(figure))


def test_secondary_axis_converts_with_the_molar_mass(projection: Projection) -> None:
    figure = projection_figure(projection)
    figure.canvas.draw()
    axes = figure.axes[0]
    secondary = axes.child_axes[0]
    # 1 ng/mL 25(OH)D = 2.496 nmol/L (molar mass 400.64 g/mol): the right axis is the left / 2.496.
    assert secondary.get_ylim()[1] == pytest.approx(axes.get_ylim()[1] / 2.496, rel=1e-3)


def test_svg_is_reproducible_and_png_is_a_png(projection: Projection) -> None:
    lines = Engine.default().guideline_lines
    first = render_projection_chart(
        projection, chart_format="svg", target_nmol_l=75.0, guideline_lines=lines
    )
    second = render_projection_chart(
        projection, chart_format="svg", target_nmol_l=75.0, guideline_lines=lines
    )
    assert first == second
    assert b"<svg" in first
    png = render_projection_chart(projection, chart_format="png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_format(projection: Projection) -> None:
    with pytest.raises(InputError):
        render_projection_chart(projection, chart_format="gif")  # type: ignore[arg-type]


def test_the_stretch_before_the_first_dose_is_labelled() -> None:
    # A regimen starting long after the test: the flat stretch is not a projection.
    events = [DoseEvent(float(d), 2000) for d in range(400, 500)]
    late = project(
        44.9, events, 500, parameters=Engine.default().projection_parameters, weight_kg=82
    )
    figure = projection_figure(late, regimen_start_day=400)
    assert any("before the first dose (day 400)" in label for label in _legend(figure))
    assert not any("before the first dose" in label for label in _legend(projection_figure(late)))


def _legend(figure: Figure) -> list[str]:
    legend = figure.axes[0].get_legend()
    assert legend is not None
    return [text.get_text() for text in legend.get_texts()]
