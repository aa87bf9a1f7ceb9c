"""Projection of serum 25-hydroxyvitamin D [25(OH)D] under a vitamin D3 regimen.

Model ``d3k2-1cmt-adaptive`` (version 3): one compartment for serum 25(OH)D fed by a
saturable production term, behind a first-order pool of vitamin D3 awaiting
25-hydroxylation, with a clearance that adapts slowly to the level reached (catabolism by
CYP24A1 rises when 25(OH)D is high). In symbols (numbers refer to ``docs/projection.md``):

.. math::

    \\frac{dA}{dt} = -k_a A + \\sum_i Q_i \\, \\delta(t - t_i)                  \\quad (1)

    \\frac{dC}{dt} = k_e \\left[ G\\!\\left(u_{bg}(t) + m \\, \\frac{k_a A}{W}\\right)
                     - E \\, C \\right]                                        \\quad (2)

    G(u) = \\frac{C_{sat} \\, u}{u_{50} + u} + s_{lin} \\, u                     \\quad (3)

    \\frac{dE}{dt} = k_{ind} \\left[ E_{ss}(C) - E \\right], \\quad
    E_{ss}(C) = 1 + \\frac{\\max(0, C - C_{ind})}{S_{ind}}                        \\quad (4)

- ``A`` vitamin D3 waiting for 25-hydroxylation [IU]; ``Q_i`` the dose taken on day ``t_i``.
- ``C`` serum 25(OH)D [nmol/L]; ``k_e = ln 2 / t_half`` with t_half about 15 days
  (Jones 2008) while the level stays below ``C_ind``.
- ``k_a`` the first-order rate at which vitamin D3 reaches the 25(OH)D pool; chosen so a
  single oral dose peaks at about day 14 (Armas 2004).
- ``G`` the production of 25(OH)D for a vitamin D input ``u`` per kg of body mass
  [IU/kg/day], in units of the level it would hold at the basal clearance: a saturable
  (capacity-limited 25-hydroxylation, Heaney 2008) term plus a linear term, so the rise
  per 100 IU/day is larger from a low baseline (Ekwaru 2014; Zittermann 2014) while very
  high doses still raise 25(OH)D within weeks (Heaney 2003; Barger-Lux 1998).
- ``E`` the clearance relative to its basal value. Above ``C_ind`` the catabolism of
  25(OH)D rises with the level (CYP24A1; Jones 2008), slowly (half-time ``ln 2 /
  k_ind``), so a high daily dose overshoots at first and its long-term steady state is
  much flatter than its first months: Ekwaru 2014 found 1.1 nmol/L per 1,000 IU at
  15,000-20,000 IU/day in people supplementing for months to years, and Kimball 2017 about
  100 nmol/L on 6,000 IU/day (normal BMI) after 6-18 months. The steady state solves
  ``E_ss(C) C = G(u)`` (equation 5, closed form in :func:`steady_state_25ohd_nmol_l`).
- ``W`` body mass [kg] (dose is scaled per kg: Zittermann 2014; Drincic 2012), so people
  with obesity rise less.
- ``u_bg(t)`` the person's own input (sun, food, stores), found from the measured
  baseline by inverting the steady state; when the date of the baseline is known it
  follows the seasonal cycle of untreated 25(OH)D (Shoben 2011; Kasahara 2013), which is
  what placebo arms show.
- ``m`` an individual response multiplier, log-normal with mean 1 and the between-person
  coefficient of variation of Aloia 2008 (slope 0.66 ± 0.35); the prediction band also
  carries the within-person variation of a single measurement (Hofmann 2010).

Version 1 (``d3k2-1cmt-saturable``) is this model with ``E = 1`` (no adaptation): it
over-predicted long-term levels on 4,000-10,000 IU/day (``benchmarks/projection_accuracy.py``).
Version 3 has the equations of version 2; the adaptation half-time is a fixed convention
(1,500 days) instead of a fitted value, and only Kimball 2017's long-term level is fitted
with the trials (Ekwaru 2014's slope is a check), which makes the fit identifiable and its
leave-one-study-out score honest (``docs/projection.md``).

Everything here is pure: numbers in, numbers out; parameters come from
``knowledge/data/tables/projection.yaml`` through ``d3k2.knowledge.projection``.

References
----------
.. [1] Jones G. Pharmacokinetics of vitamin D toxicity. Am J Clin Nutr 2008;88:582S-586S.
   doi:10.1093/ajcn/88.2.582S
.. [2] Armas LAG, Hollis BW, Heaney RP. Vitamin D2 is much less effective than vitamin D3
   in humans. J Clin Endocrinol Metab 2004;89:5387-91. doi:10.1210/jc.2004-0360
.. [3] Heaney RP, Davies KM, Chen TC, Holick MF, Barger-Lux MJ. Human serum
   25-hydroxycholecalciferol response to extended oral dosing with cholecalciferol.
   Am J Clin Nutr 2003;77:204-10. doi:10.1093/ajcn/77.1.204
.. [4] Heaney RP, Armas LAG, Shary JR, Bell NH, Binkley N, Hollis BW. 25-Hydroxylation of
   vitamin D3: relation to circulating vitamin D3 under various input conditions.
   Am J Clin Nutr 2008;87:1738-42. doi:10.1093/ajcn/87.6.1738
.. [5] Zittermann A, Ernst JB, Gummert JF, Börgermann J. Vitamin D supplementation, body
   weight and human serum 25-hydroxyvitamin D response: a systematic review.
   Eur J Nutr 2014;53:367-74. doi:10.1007/s00394-013-0634-3
.. [6] Ekwaru JP, Zwicker JD, Holick MF, Giovannucci E, Veugelers PJ. The importance of
   body weight for the dose response relationship of oral vitamin D supplementation and
   serum 25-hydroxyvitamin D in healthy volunteers. PLoS One 2014;9:e111265.
   doi:10.1371/journal.pone.0111265
.. [7] Aloia JF, Patel M, DiMaano R, et al. Vitamin D intake to attain a desired serum
   25-hydroxyvitamin D concentration. Am J Clin Nutr 2008;87:1952-8.
   doi:10.1093/ajcn/87.6.1952
.. [8] Shoben AB, Kestenbaum B, Levin G, et al. Seasonal variation in 25-hydroxyvitamin D
   concentrations in the Cardiovascular Health Study. Am J Epidemiol 2011;174:1363-72.
   doi:10.1093/aje/kwr258
.. [9] Hofmann JN, Yu K, Horst RL, Hayes RB, Purdue MP. Long-term variation in serum
   25-hydroxyvitamin D concentration among participants in the Prostate, Lung,
   Colorectal, and Ovarian Cancer Screening Trial. Cancer Epidemiol Biomarkers Prev
   2010;19:927-31. doi:10.1158/1055-9965.EPI-09-1121
.. [10] Wagner CL, Howard C, Hulsey TC, et al. Circulating 25-hydroxyvitamin D levels in
   fully breastfed infants on oral vitamin D supplementation. Int J Endocrinol
   2010;2010:235035. doi:10.1155/2010/235035 (why infants are outside the model).
.. [11] Kimball SM, Mirhosseini N, Holick MF. Evaluation of vitamin D3 intakes up to
   15,000 international units/day and serum 25-hydroxyvitamin D concentrations up to
   300 nmol/L on calcium metabolism in a community setting. Dermatoendocrinol
   2017;9:e1300213. doi:10.1080/19381980.2017.1300213 (long-term steady state, eq. 4).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import TYPE_CHECKING, Any, Final

from d3k2.core.quantities import amount_in
from d3k2.core.regimen import Regimen, RegimenSegment
from d3k2.errors import InputError

MODEL_NAME: Final = "d3k2-1cmt-adaptive"
MODEL_VERSION: Final = 3
DAYS_PER_YEAR: Final = 365.25
"""Mean length of the (Julian) year, for the seasonal cycle."""
MAX_HORIZON_DAYS: Final = 3650
"""Projections are limited to ten years: the model has no long-term data beyond that."""

if TYPE_CHECKING:
    import numpy.typing as npt

    FloatArray = npt.NDArray[Any]


@dataclass(frozen=True)
class ProjectionParameters:
    """Parameters of the model, each with its source in ``tables/projection.yaml``.

    Units are in the names. ``sources`` lists the reference ids the values come from.
    """

    half_life_25ohd_days: float
    half_life_vitamin_d3_pool_days: float
    saturable_capacity_nmol_l: float
    saturable_half_intake_iu_per_kg_day: float
    linear_slope_nmol_l_per_iu_per_kg_day: float
    induction_threshold_nmol_l: float
    induction_scale_nmol_l: float
    induction_half_time_days: float
    reference_body_mass_kg: float
    reference_height_m: float
    body_mass_exponent: float
    response_cv: float
    within_person_cv: float
    seasonal_relative_amplitude: float
    seasonal_peak_day_of_year_north: float
    time_step_days: float
    band_quantile: float
    minimum_age_years: float
    adult_age_years: float
    sources: tuple[str, ...] = ()

    @property
    def elimination_rate_per_day(self) -> float:
        """k_e = ln 2 / t_half of serum 25(OH)D [1/day]."""
        return math.log(2.0) / self.half_life_25ohd_days

    @property
    def vitamin_d3_pool_rate_per_day(self) -> float:
        """k_a = ln 2 / t_half of the vitamin D3 pool [1/day]."""
        return math.log(2.0) / self.half_life_vitamin_d3_pool_days

    @property
    def induction_rate_per_day(self) -> float:
        """k_ind = ln 2 / half-time of the clearance adaptation, equation (4) [1/day]."""
        return math.log(2.0) / self.induction_half_time_days


@dataclass(frozen=True)
class DoseEvent:
    """One oral vitamin D3 dose: ``amount_iu`` taken on ``day`` (day 0 = baseline draw)."""

    day: float
    amount_iu: float


@dataclass(frozen=True)
class ProjectionPoint:
    """Serum 25(OH)D on one day [nmol/L]: central value and prediction band."""

    day: int
    serum_25ohd_nmol_l: float
    low: float
    high: float


@dataclass(frozen=True)
class Projection:
    """A projected trajectory.

    ``low``/``high`` of each point are the ``band_quantile`` and ``1 - band_quantile``
    quantiles of people like this one. ``steady_state_nmol_l`` is the level the
    maintenance intake (``maintenance_iu_per_day``) would hold on average, season aside.
    When nothing goes on being taken (``steady_state_on_treatment`` is False: a single
    dose, or a regimen that ends) there is no treated steady state, and
    ``steady_state_nmol_l`` is the untreated level the person returns to.
    """

    model: str
    sources: tuple[str, ...]
    points: tuple[ProjectionPoint, ...]
    steady_state_nmol_l: float
    steady_state_low_nmol_l: float
    steady_state_high_nmol_l: float
    maintenance_iu_per_day: float
    band_quantile: float
    body_mass_kg: float
    body_mass_assumed: bool
    assumptions: tuple[str, ...] = ()
    steady_state_on_treatment: bool = True

    def at(self, day: int) -> ProjectionPoint:
        """The point of ``day`` (0 <= day <= horizon)."""
        if not 0 <= day < len(self.points):
            raise InputError(f"day {day} is outside the projection (0 to {len(self.points) - 1})")
        return self.points[day]


# --------------------------------------------------------------------------- equations (3)-(5)
def production_level_nmol_l(
    intake_iu_per_kg_day: float | FloatArray, parameters: ProjectionParameters
) -> float | FloatArray:
    """G(u), equation (3): 25(OH)D production for a sustained input, expressed as the level
    it would hold at the basal clearance [nmol/L].

    Parameters
    ----------
    intake_iu_per_kg_day
        All-source vitamin D input per kg of (reference-scaled) body mass [IU/kg/day].
    parameters
        Model parameters.
    """
    p = parameters
    u: float | FloatArray
    if isinstance(intake_iu_per_kg_day, int | float):
        u = max(float(intake_iu_per_kg_day), 0.0)
    else:
        import numpy as np  # arrays only (batch simulation, benchmarks)

        u = np.maximum(intake_iu_per_kg_day, 0.0)
    value = p.saturable_capacity_nmol_l * u / (p.saturable_half_intake_iu_per_kg_day + u)
    return value + p.linear_slope_nmol_l_per_iu_per_kg_day * u


def intake_for_production_iu_per_kg_day(
    production_nmol_l: float | FloatArray, parameters: ProjectionParameters
) -> float | FloatArray:
    """Inverse of equation (3): the input whose production is ``production_nmol_l``.

    G(u) = g solves the quadratic ``s u^2 + (C_sat + s u50 - g) u - g u50 = 0`` whose
    positive root is returned [IU/kg/day].
    """
    p = parameters
    s = p.linear_slope_nmol_l_per_iu_per_kg_day
    u50 = p.saturable_half_intake_iu_per_kg_day
    if isinstance(production_nmol_l, int | float):
        g = max(float(production_nmol_l), 0.0)
        b = p.saturable_capacity_nmol_l + s * u50 - g
        return (-b + math.sqrt(b * b + 4.0 * s * g * u50)) / (2 * s)
    import numpy as np  # arrays only (batch simulation, benchmarks)

    ga = np.maximum(production_nmol_l, 0.0)
    ba = p.saturable_capacity_nmol_l + s * u50 - ga
    root: FloatArray = (-ba + np.sqrt(ba * ba + 4.0 * s * ga * u50)) / (2 * s)
    return root


def clearance_factor_at_steady_state(
    serum_25ohd_nmol_l: float | FloatArray, parameters: ProjectionParameters
) -> float | FloatArray:
    """E_ss(C), equation (4): clearance relative to basal once adapted to level C [-].

    1 up to ``induction_threshold_nmol_l``; above it rises by 1 per
    ``induction_scale_nmol_l`` of 25(OH)D (induced catabolism, Jones 2008).
    """
    p = parameters
    if isinstance(serum_25ohd_nmol_l, int | float):
        excess = max(float(serum_25ohd_nmol_l) - p.induction_threshold_nmol_l, 0.0)
        return 1.0 + excess / p.induction_scale_nmol_l
    import numpy as np  # arrays only (batch simulation, benchmarks)

    excess_a = np.maximum(np.asarray(serum_25ohd_nmol_l) - p.induction_threshold_nmol_l, 0.0)
    factor: FloatArray = 1.0 + excess_a / p.induction_scale_nmol_l
    return factor


def steady_state_25ohd_nmol_l(
    intake_iu_per_kg_day: float | FloatArray, parameters: ProjectionParameters
) -> float | FloatArray:
    """Equation (5): steady-state serum 25(OH)D for a sustained input [nmol/L].

    Solves ``E_ss(C) C = G(u)``: ``C = G`` up to the induction threshold ``T``; above it
    the positive root of ``C^2 + (S - T) C - S G = 0`` (``S`` the induction scale), so
    the long-term level grows about as the square root of the production. Takes the
    same arguments as :func:`production_level_nmol_l` (input in IU/kg/day).
    """
    p = parameters
    threshold = p.induction_threshold_nmol_l
    scale = p.induction_scale_nmol_l
    production = production_level_nmol_l(intake_iu_per_kg_day, p)
    if isinstance(production, float):
        if production <= threshold:
            return production
        b = scale - threshold
        return (-b + math.sqrt(b * b + 4.0 * scale * production)) / 2.0
    import numpy as np  # arrays only (batch simulation, benchmarks)

    b_a = scale - threshold
    adapted = (-b_a + np.sqrt(b_a * b_a + 4.0 * scale * production)) / 2.0
    level: FloatArray = np.where(production <= threshold, production, adapted)
    return level


def intake_for_steady_state_iu_per_kg_day(
    serum_25ohd_nmol_l: float | FloatArray, parameters: ProjectionParameters
) -> float | FloatArray:
    """Inverse of equation (5): the sustained input that holds a given level [IU/kg/day]."""
    p = parameters
    if isinstance(serum_25ohd_nmol_l, int | float):
        level = max(float(serum_25ohd_nmol_l), 0.0)
        production = level * float(clearance_factor_at_steady_state(level, p))
        return intake_for_production_iu_per_kg_day(production, p)
    import numpy as np  # arrays only (batch simulation, benchmarks)

    level_a = np.maximum(serum_25ohd_nmol_l, 0.0)
    return intake_for_production_iu_per_kg_day(
        level_a * np.asarray(clearance_factor_at_steady_state(level_a, p)), p
    )


# --------------------------------------------------------------------------- body mass
def effective_body_mass_kg(
    parameters: ProjectionParameters,
    *,
    weight_kg: float | None = None,
    bmi_kg_m2: float | None = None,
) -> tuple[float, bool]:
    """Body mass used to scale the dose, and whether it was assumed.

    Weight wins when given; BMI alone is turned into a mass with the reference height;
    with neither, the reference body mass is used (and flagged as assumed).
    """
    if weight_kg is not None:
        return weight_kg, False
    if bmi_kg_m2 is not None:
        return bmi_kg_m2 * parameters.reference_height_m**2, False
    return parameters.reference_body_mass_kg, True


def _per_kg_factor(body_mass_kg: float, parameters: ProjectionParameters) -> float:
    """Factor turning IU/day into model input u [IU/kg/day] (Zittermann 2014 dose per kg)."""
    p = parameters
    scale = float((p.reference_body_mass_kg / body_mass_kg) ** p.body_mass_exponent)
    return scale / p.reference_body_mass_kg


# --------------------------------------------------------------------------- season
def seasonal_factor(
    day_of_year: float | FloatArray, parameters: ProjectionParameters, *, southern: bool
) -> float | FloatArray:
    """Untreated 25(OH)D relative to its annual mean on a day of the year (Shoben 2011).

    A cosine with its peak in mid-August in the northern hemisphere (Kasahara 2013),
    shifted by half a year south of the equator.
    """
    peak = parameters.seasonal_peak_day_of_year_north + (DAYS_PER_YEAR / 2 if southern else 0.0)
    amplitude = parameters.seasonal_relative_amplitude
    if isinstance(day_of_year, int | float):
        return 1.0 + amplitude * math.cos(2.0 * math.pi * (day_of_year - peak) / DAYS_PER_YEAR)
    import numpy as np  # arrays only (batch simulation, benchmarks)

    angle = 2.0 * np.pi * (np.asarray(day_of_year, dtype=np.float64) - peak) / DAYS_PER_YEAR
    value: FloatArray = 1.0 + amplitude * np.cos(angle)
    return value


# --------------------------------------------------------------------------- simulation
def untreated_clearance(
    untreated_nmol_l: Sequence[float], parameters: ProjectionParameters
) -> list[float]:
    """E along an untreated trajectory (equation 4 driven by the untreated level) [-].

    Starts adapted to the first level (the person was at their own steady state when the
    baseline was drawn) and follows the level with the induction half-time.
    """
    p = parameters
    decay = math.exp(-p.induction_rate_per_day * p.time_step_days)
    factor = float(clearance_factor_at_steady_state(untreated_nmol_l[0], p))
    out = [factor]
    for level in untreated_nmol_l[:-1]:
        target = float(clearance_factor_at_steady_state(level, p))
        factor = target + (factor - target) * decay
        out.append(factor)
    return out


def _production_reproducing(
    level_nmol_l: float, next_level_nmol_l: float, clearance: float, p: ProjectionParameters
) -> float:
    """Production G over one step that takes the integrator from one untreated level to
    the next exactly (the discrete inverse of equation 2) [nmol/L]."""
    decay = math.exp(-p.elimination_rate_per_day * clearance * p.time_step_days)
    return clearance * (next_level_nmol_l - level_nmol_l * decay) / (1.0 - decay)


def simulate_25ohd_nmol_l(
    baseline_nmol_l: FloatArray,
    dose_iu_per_step: FloatArray,
    *,
    parameters: ProjectionParameters,
    per_kg_factor: FloatArray,
    response_multiplier: FloatArray,
    untreated_nmol_l: FloatArray | None = None,
) -> FloatArray:
    """Integrate equations (1)-(4) for several people at once.

    Parameters
    ----------
    baseline_nmol_l
        Serum 25(OH)D at day 0, shape (n,) [nmol/L].
    dose_iu_per_step
        IU taken at the start of each time step, shape (n, steps) [IU]; a step lasts
        ``parameters.time_step_days``.
    parameters
        Model parameters.
    per_kg_factor
        Factor turning IU/day into u [IU/kg/day] per person, shape (n,).
    response_multiplier
        Individual response multiplier ``m`` per person, shape (n,).
    untreated_nmol_l
        Untreated trajectory on the step grid, shape (n, steps + 1) [nmol/L]; ``None``
        keeps each person at their baseline (no seasonal drift).

    Returns
    -------
    Serum 25(OH)D at every step boundary, shape (n, steps + 1) [nmol/L].

    Notes
    -----
    The vitamin D3 pool (1) is solved exactly between steps; (2) is advanced with the
    exponential integrator ``C <- C e^{-k E dt} + (1 - e^{-k E dt}) G(u) / E`` using the
    mean pool flux over the step and the clearance ``E`` at the start of the step, and
    (4) with ``E <- E_ss(C) + (E - E_ss(C)) e^{-k_ind dt}``; first-order in ``dt`` (a
    quarter of a day by default). The person's own input is the one that makes the
    integrator reproduce the untreated trajectory exactly when no dose is taken.
    """
    import numpy as np  # the batch form only; one person uses simulate_one_25ohd_nmol_l

    p = parameters
    dt = p.time_step_days
    n, steps = dose_iu_per_step.shape
    k_e = p.elimination_rate_per_day
    _, decay_a, mean_flux_per_pool = _step_constants(p)
    decay_e = math.exp(-p.induction_rate_per_day * dt)
    if untreated_nmol_l is None:
        start = np.asarray(baseline_nmol_l, dtype=np.float64)
        clearance = np.asarray(clearance_factor_at_steady_state(start, p), dtype=np.float64)
        background = np.asarray(intake_for_production_iu_per_kg_day(start * clearance, p))
        background_steps = np.broadcast_to(background[:, None], (n, steps))
    else:
        untreated = np.asarray(untreated_nmol_l, dtype=np.float64)
        clearance_path = np.empty_like(untreated)
        clearance_path[:, 0] = clearance_factor_at_steady_state(untreated[:, 0], p)
        for j in range(steps):
            target_u = np.asarray(clearance_factor_at_steady_state(untreated[:, j], p))
            clearance_path[:, j + 1] = target_u + (clearance_path[:, j] - target_u) * decay_e
        decay_u = np.exp(-k_e * clearance_path[:, :-1] * dt)
        production_u = (
            clearance_path[:, :-1]
            * (untreated[:, 1:] - untreated[:, :-1] * decay_u)
            / (1.0 - decay_u)
        )
        background_steps = np.asarray(
            intake_for_production_iu_per_kg_day(np.maximum(production_u, 0.0), p)
        )
        clearance = clearance_path[:, 0].copy()
    pool = np.zeros(n)
    level = np.array(baseline_nmol_l, dtype=np.float64)
    out = np.empty((n, steps + 1))
    out[:, 0] = level
    gain = per_kg_factor * response_multiplier
    for j in range(steps):
        pool = pool + dose_iu_per_step[:, j]
        flux_iu_per_day = pool * mean_flux_per_pool
        pool = pool * decay_a
        u = background_steps[:, j] + gain * flux_iu_per_day
        production = np.asarray(production_level_nmol_l(u, p))
        decay_c = np.exp(-k_e * clearance * dt)
        target = np.asarray(clearance_factor_at_steady_state(level, p))
        level = level * decay_c + (1.0 - decay_c) * production / clearance
        clearance = target + (clearance - target) * decay_e
        out[:, j + 1] = level
    result: FloatArray = out
    return result


def _step_constants(p: ProjectionParameters) -> tuple[float, float, float]:
    """Per-step basal decay of C, decay of A, and the mean pool flux per IU in A over a step."""
    dt = p.time_step_days
    decay_a = math.exp(-p.vitamin_d3_pool_rate_per_day * dt)
    return math.exp(-p.elimination_rate_per_day * dt), decay_a, (1.0 - decay_a) / dt


def background_per_step(
    baseline_nmol_l: float,
    parameters: ProjectionParameters,
    untreated_nmol_l: Sequence[float] | None,
) -> list[float] | float:
    """The person's own input u_bg for each step [IU/kg/day], or one constant.

    Constant when the untreated level is held at baseline (the input that holds it at
    steady state, equation 5); otherwise, step by step, the input that makes the
    integrator reproduce the untreated trajectory exactly, with the clearance adapting
    along it (:func:`untreated_clearance`).
    """
    p = parameters
    if untreated_nmol_l is None:
        return float(intake_for_steady_state_iu_per_kg_day(baseline_nmol_l, p))
    clearance = untreated_clearance(untreated_nmol_l, p)
    return [
        float(
            intake_for_production_iu_per_kg_day(
                max(_production_reproducing(a, b, clearance[j], p), 0.0), p
            )
        )
        for j, (a, b) in enumerate(itertools.pairwise(untreated_nmol_l))
    ]


def simulate_one_25ohd_nmol_l(
    baseline_nmol_l: float,
    dose_iu_per_step: Sequence[float],
    *,
    parameters: ProjectionParameters,
    gains: Sequence[float],
    background: Sequence[float] | float,
) -> list[list[float]]:
    """Equations (1)-(4) for one person under several response multipliers, on plain floats.

    The same integrator as :func:`simulate_25ohd_nmol_l` (results agree to 1e-9 nmol/L; a
    test checks it), written for one person: no array set-up, and the pool, which is the
    same for every multiplier, is advanced once.

    Parameters
    ----------
    baseline_nmol_l
        Serum 25(OH)D at day 0 [nmol/L].
    dose_iu_per_step
        IU taken at the start of each step [IU].
    parameters
        Model parameters.
    gains
        ``per_kg_factor * response_multiplier`` for each trajectory [1/kg].
    background
        The person's own input per step, or one constant (:func:`background_per_step`)
        [IU/kg/day].

    Returns
    -------
    One list per gain: serum 25(OH)D at every step boundary [nmol/L].
    """
    p = parameters
    _, decay_a, mean_flux_per_pool = _step_constants(p)
    rate = p.elimination_rate_per_day * p.time_step_days
    decay_e = math.exp(-p.induction_rate_per_day * p.time_step_days)
    threshold = p.induction_threshold_nmol_l
    scale = p.induction_scale_nmol_l
    c_sat = p.saturable_capacity_nmol_l
    u50 = p.saturable_half_intake_iu_per_kg_day
    slope = p.linear_slope_nmol_l_per_iu_per_kg_day
    steps = len(dose_iu_per_step)
    own_input = (
        [float(background)] * steps if isinstance(background, int | float) else list(background)
    )
    # The pool (1) does not depend on the response multiplier: its mean flux per step is
    # computed once and shared by every trajectory.
    flux: list[float] = []
    pool = 0.0
    for dose in dose_iu_per_step:
        pool += dose
        flux.append(pool * mean_flux_per_pool)
        pool *= decay_a
    start_clearance = float(clearance_factor_at_steady_state(baseline_nmol_l, p))
    exp = math.exp
    basal_decay = exp(-rate)
    basal_keep = 1.0 - basal_decay
    outputs: list[list[float]] = []
    for gain in gains:
        level = baseline_nmol_l
        clearance = start_clearance
        out = [level]
        append = out.append
        for flux_step, u_bg in zip(flux, own_input, strict=True):
            u = u_bg + gain * flux_step
            u = u if u > 0.0 else 0.0
            production = c_sat * u / (u50 + u) + slope * u
            if clearance == 1.0:
                # Basal clearance (never adapted yet): no exponential to compute.
                if level > threshold:
                    target = 1.0 + (level - threshold) / scale
                    clearance = target + (1.0 - target) * decay_e
                level = level * basal_decay + basal_keep * production
            else:
                decay_c = exp(-rate * clearance)
                excess = level - threshold
                target = 1.0 + excess / scale if excess > 0.0 else 1.0
                level = level * decay_c + (1.0 - decay_c) * production / clearance
                clearance = target + (clearance - target) * decay_e
            append(level)
        outputs.append(out)
    return outputs


def applicability_assumptions(
    parameters: ProjectionParameters,
    *,
    age_years: float | None,
    weight_kg: float | None,
) -> tuple[str, ...]:
    """Whether the model applies to this person; the caveats to show when it does.

    The model is calibrated on adult trials only (``docs/projection.md``). Below
    ``parameters.minimum_age_years`` (infants) it is refused: it scales the dose per kg of
    body mass, but in breast-fed infants on 400 IU/day 25(OH)D did not fall between months
    4 and 7 although the dose per kg fell (Wagner 2010). From that age up to
    ``parameters.adult_age_years`` a measured weight is required (a BMI cannot stand in:
    the reference height is an adult's, and no body mass is assumed for a child) and the
    projection carries a caveat.

    Raises
    ------
    InputError
        An infant (``where="age"``), or a child without a measured weight (``where="weight"``).
    """
    p = parameters
    if age_years is None:
        return ("no age given: an adult is assumed (the model is calibrated on adults)",)
    if age_years < p.minimum_age_years:
        raise InputError(
            f"the 25(OH)D projection is not available below {p.minimum_age_years:g} year "
            f"of age (age {age_years:g}): the model is calibrated on adults, and in infants "
            "the response does not follow body mass as the model assumes (Wagner 2010)",
            where="age",
            hint="an infant's vitamin D dose and monitoring are a paediatric decision",
        )
    if age_years < p.adult_age_years:
        if weight_kg is None:
            raise InputError(
                f"a projection for a child or adolescent (age {age_years:g}) needs the "
                "measured body weight: the dose effect is scaled per kg, and no adult "
                "body mass may be assumed",
                where="weight",
                hint='give the weight with its unit, for example --weight "14 kg"',
            )
        return (
            f"age {age_years:g}: the model is calibrated on adult trials only; for a child "
            "or adolescent this projection is outside its calibration and is a rough guide",
        )
    return ()


def _validate_inputs(
    parameters: ProjectionParameters,
    baseline_nmol_l: float,
    events: Sequence[DoseEvent],
    horizon_days: int,
    weight_kg: float | None,
    bmi_kg_m2: float | None,
    age_years: float | None,
    background_iu_per_day: float,
) -> tuple[str, ...]:
    """Check the inputs; return the applicability caveats (age is checked before body
    size, so an infant is told why, not that the weight is implausible)."""
    if not math.isfinite(baseline_nmol_l) or baseline_nmol_l <= 0:
        raise InputError(
            f"baseline serum 25(OH)D must be more than zero, got {baseline_nmol_l}",
            where="baseline",
            hint='give the measured level with its unit, for example "18 ng/mL"',
        )
    if isinstance(horizon_days, bool) or not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise InputError(
            f"the projection must cover 1 to {MAX_HORIZON_DAYS} days, got {horizon_days}",
            where="days",
        )
    for index, event in enumerate(events):
        if not math.isfinite(event.amount_iu) or event.amount_iu < 0:
            raise InputError(
                f"a dose cannot be negative: {event.amount_iu} IU on day {event.day}",
                where=f"dose_events[{index}]",
            )
        if not math.isfinite(event.day) or event.day < 0:
            raise InputError(
                f"dose on day {event.day} is before the baseline measurement (day 0)",
                where=f"dose_events[{index}]",
                hint="count days from the date of the baseline blood test",
            )
    if age_years is not None and not 0.0 <= age_years <= 125.0:
        raise InputError(f"age {age_years} years is not plausible", where="age")
    applicability = applicability_assumptions(parameters, age_years=age_years, weight_kg=weight_kg)
    if weight_kg is not None and not 2.0 <= weight_kg <= 400.0:
        raise InputError(f"body weight {weight_kg} kg is not plausible", where="weight")
    if bmi_kg_m2 is not None and not 10.0 <= bmi_kg_m2 <= 90.0:
        raise InputError(f"BMI {bmi_kg_m2} kg/m2 is not plausible", where="bmi")
    if not math.isfinite(background_iu_per_day) or background_iu_per_day < 0:
        raise InputError(
            f"background intake cannot be negative, got {background_iu_per_day} IU/day",
            where="background",
        )
    return applicability


def _doses_on_grid(
    events: Sequence[DoseEvent], steps: int, dt: float, background_iu_per_day: float
) -> list[float]:
    grid = [background_iu_per_day * dt if background_iu_per_day > 0 else 0.0] * steps
    for event in events:
        index = math.floor(event.day / dt + 1e-9)
        if index < steps:
            grid[index] += event.amount_iu
    return grid


def _z(quantile: float) -> float:
    """Standard normal deviate of the upper band edge (``-Phi^-1(quantile)``)."""
    return -NormalDist().inv_cdf(quantile)


def band_multipliers(parameters: ProjectionParameters) -> tuple[float, float, float]:
    """Response multipliers (low, central, high) for the band quantile.

    ``m`` is log-normal with mean 1 and coefficient of variation ``response_cv``:
    ``sigma^2 = ln(1 + cv^2)``, ``mu = -sigma^2 / 2``.
    """
    sigma = math.sqrt(math.log1p(parameters.response_cv**2))
    z = _z(parameters.band_quantile)
    mu = -0.5 * sigma**2
    return math.exp(mu - z * sigma), 1.0, math.exp(mu + z * sigma)


def _combine_band(
    central: float, low_response: float, high_response: float, p: ProjectionParameters
) -> tuple[float, float]:
    """Add within-person variation to the response band, in quadrature on the log scale."""
    z = _z(p.band_quantile)
    sigma_w2 = math.log1p(p.within_person_cv**2)
    safe = max(central, 1e-9)
    sigma_low = math.log(safe / max(low_response, 1e-9)) / z
    sigma_high = math.log(max(high_response, 1e-9) / safe) / z
    low = safe * math.exp(-z * math.sqrt(sigma_low**2 + sigma_w2))
    high = safe * math.exp(z * math.sqrt(sigma_high**2 + sigma_w2))
    return low, high


def schedule_iu_per_day(events: Sequence[DoseEvent], horizon_days: float) -> float:
    """Average intake of the schedule still running at the end of the horizon [IU/day].

    Reads the events as one regular schedule: the amount taken on the last dose day
    divided by the interval since the dose day before it. It is 0 for a single dose and
    when the schedule stopped (its last dose is more than one interval before the end of
    the horizon). Used by :func:`project` when the caller does not give the maintenance
    intake; callers that know the regimen use :func:`regimen_maintenance_iu_per_day`
    (several schedules taken together cannot be told apart from their merged events).
    """
    days = sorted({e.day for e in events if e.day < horizon_days})
    if len(days) < 2:
        return 0.0
    last, previous = days[-1], days[-2]
    interval = last - previous
    if last + interval < horizon_days - 1e-9:
        return 0.0
    return sum(e.amount_iu for e in events if e.day == last) / interval


def regimen_maintenance_iu_per_day(regimens: Sequence[Regimen]) -> float:
    """Vitamin D intake of the regimens' final (maintenance) phase [IU/day].

    For each regimen, its last vitamin D segment: dose / interval (``"100,000 IU every 3
    months"`` = 100,000 / 90 = 1,111 IU/day; a month is 30 days, as in
    :mod:`d3k2.core.regimen`). A single dose, or a final segment with an end ("for 8
    weeks"), holds nothing: a regimen that ends has no treated steady state, whatever the
    length of the projection. Regimens taken together add up.
    """
    total = 0.0
    for regimen in regimens:
        final = _final_vitamin_d_segment(regimen)
        if final is None or final.per_day_average is None or final.end_day is not None:
            continue
        total += amount_in(final.per_day_average, final.unit, "IU", nutrient="vitamin_d")
    return total


def regimen_end_day(regimens: Sequence[Regimen]) -> float | None:
    """Day (from the start of the regimens) after which no more vitamin D is taken [days].

    ``None`` when a regimen goes on (its final vitamin D phase has no end) or when there is
    no vitamin D at all.
    """
    ends: list[float] = []
    for regimen in regimens:
        final = _final_vitamin_d_segment(regimen)
        if final is None:
            continue
        if final.end_day is None:
            return None
        ends.append(max(s.end_day or 0.0 for s in regimen.segments if s.nutrient == "vitamin_d"))
    return max(ends) if ends else None


def _final_vitamin_d_segment(regimen: Regimen) -> RegimenSegment | None:
    segments = [s for s in regimen.segments if s.nutrient == "vitamin_d"]
    if not segments:
        return None
    return max(enumerate(segments), key=lambda item: (item[1].start_day, item[0]))[1]


def baseline_age_caution(days_since_test: int, max_age_days: int) -> str | None:
    """A caution when the baseline result is older than ``max_age_days`` [days], else None.

    The model starts from the measured level and holds it (or its season) until the first
    dose; an old result may no longer describe the person (``docs/projection.md``).
    """
    if days_since_test <= max_age_days:
        return None
    return (
        f"the baseline 25(OH)D result is {days_since_test:,} days old (more than "
        f"{max_age_days:,}): re-measure before planning; this projection assumes the level "
        "has not changed since the test"
    )


def project(
    baseline_nmol_l: float,
    dose_events: Sequence[DoseEvent | tuple[float, float]],
    horizon_days: int,
    *,
    parameters: ProjectionParameters,
    weight_kg: float | None = None,
    bmi_kg_m2: float | None = None,
    age_years: float | None = None,
    background_iu_per_day: float = 0.0,
    baseline_day_of_year: int | None = None,
    southern_hemisphere: bool = False,
    maintenance_iu_per_day: float | None = None,
) -> Projection:
    """Project serum 25(OH)D day by day with a prediction band (equations 1-3).

    Parameters
    ----------
    baseline_nmol_l
        Measured serum 25(OH)D on day 0 [nmol/L].
    dose_events
        Vitamin D3 doses as :class:`DoseEvent` or ``(day, IU)`` pairs; day 0 is the day of
        the baseline blood test.
    horizon_days
        Last day projected [days].
    parameters
        Model parameters (``Engine.projection_parameters``, from ``tables/projection.yaml``).
    weight_kg, bmi_kg_m2
        Body mass [kg] or BMI [kg/m2]; the dose effect scales per kg (Zittermann 2014).
    age_years
        Checked for plausibility and applicability (:func:`applicability_assumptions`:
        no projection below 1 year; a measured weight and a caveat below 19); it does not
        enter the equations (no consistent, independent age effect on the response in
        adults: see ``docs/projection.md``).
    background_iu_per_day
        Regular intake that starts on day 0 and is NOT reflected in the baseline (e.g. a
        multivitamin started with the regimen) [IU/day]. Intake the person already had
        when the baseline was drawn is part of the baseline.
    baseline_day_of_year
        Day of the year (1-366) of the baseline blood test; when given, the untreated
        level follows the seasonal cycle (Shoben 2011), otherwise it stays at baseline.
    southern_hemisphere
        Shift the seasonal cycle by half a year.
    maintenance_iu_per_day
        Average intake of the regimen's final phase [IU/day], for the steady state
        (:func:`regimen_maintenance_iu_per_day`); ``None`` reads it from the events
        (:func:`schedule_iu_per_day`).

    Raises
    ------
    InputError
        Negative or non-finite doses, doses before day 0, implausible body size, a
        non-positive baseline, a horizon outside 1 to 3650 days, an infant, or a child
        without a measured weight.
    """
    events = [
        e if isinstance(e, DoseEvent) else DoseEvent(float(e[0]), float(e[1])) for e in dose_events
    ]
    applicability = _validate_inputs(
        parameters,
        baseline_nmol_l,
        events,
        horizon_days,
        weight_kg,
        bmi_kg_m2,
        age_years,
        background_iu_per_day,
    )
    if maintenance_iu_per_day is not None and (
        not math.isfinite(maintenance_iu_per_day) or maintenance_iu_per_day < 0
    ):
        raise InputError(
            f"maintenance intake cannot be negative, got {maintenance_iu_per_day} IU/day",
            where="maintenance",
        )
    if baseline_day_of_year is not None and not 1 <= baseline_day_of_year <= 366:
        raise InputError(
            f"day of the year must be 1 to 366, got {baseline_day_of_year}", where="baseline_date"
        )
    p = parameters
    body_mass_kg, assumed = effective_body_mass_kg(p, weight_kg=weight_kg, bmi_kg_m2=bmi_kg_m2)
    factor = _per_kg_factor(body_mass_kg, p)
    steps_per_day = round(1.0 / p.time_step_days)
    steps = horizon_days * steps_per_day
    grid = _doses_on_grid(events, steps, p.time_step_days, background_iu_per_day)
    multipliers = band_multipliers(p)
    untreated: list[float] | None = None
    assumptions: list[str] = list(applicability)
    if baseline_day_of_year is not None:
        season = [
            float(
                seasonal_factor(
                    baseline_day_of_year + step * p.time_step_days, p, southern=southern_hemisphere
                )
            )
            for step in range(steps + 1)
        ]
        untreated = [baseline_nmol_l * value / season[0] for value in season]
    else:
        assumptions.append("no seasonal drift: the untreated level is held at the baseline")
    if assumed:
        assumptions.append(f"no weight or BMI: a body mass of {body_mass_kg:g} kg is assumed")
    low_m, central_m, high_m = simulate_one_25ohd_nmol_l(
        baseline_nmol_l,
        grid,
        parameters=p,
        gains=[factor * m for m in multipliers],
        background=background_per_step(baseline_nmol_l, p, untreated),
    )
    points = []
    for day in range(horizon_days + 1):
        step = day * steps_per_day
        low, high = _combine_band(central_m[step], low_m[step], high_m[step], p)
        points.append(ProjectionPoint(day, central_m[step], low, high))
    if maintenance_iu_per_day is None:
        maintenance_iu_per_day = schedule_iu_per_day(events, horizon_days)
    maintenance = maintenance_iu_per_day + background_iu_per_day
    annual_mean_nmol_l = baseline_nmol_l
    if baseline_day_of_year is not None:
        annual_mean_nmol_l = baseline_nmol_l / float(
            seasonal_factor(baseline_day_of_year, p, southern=southern_hemisphere)
        )
    background = float(intake_for_steady_state_iu_per_kg_day(annual_mean_nmol_l, p))
    steady = [
        float(steady_state_25ohd_nmol_l(background + m * factor * maintenance, p))
        for m in multipliers
    ]
    ss_low, ss_high = _combine_band(steady[1], steady[0], steady[2], p)
    return Projection(
        model=f"{MODEL_NAME} v{MODEL_VERSION}",
        sources=p.sources,
        points=tuple(points),
        steady_state_nmol_l=steady[1],
        steady_state_low_nmol_l=ss_low,
        steady_state_high_nmol_l=ss_high,
        maintenance_iu_per_day=maintenance,
        band_quantile=p.band_quantile,
        body_mass_kg=body_mass_kg,
        body_mass_assumed=assumed,
        assumptions=tuple(assumptions),
        steady_state_on_treatment=maintenance > 0,
    )


def days_to_target(
    projection: Projection, target_nmol_l: float, *, bound: str = "central"
) -> int | None:
    """First day on which the projection reaches ``target_nmol_l`` [nmol/L], or None.

    ``bound`` is ``"central"`` (the central line), ``"low"`` (the lower band: most people
    like this one) or ``"high"``.
    """
    if not math.isfinite(target_nmol_l) or target_nmol_l <= 0:
        raise InputError(f"target must be more than zero, got {target_nmol_l}", where="target")
    for point in projection.points:
        value = {"central": point.serum_25ohd_nmol_l, "low": point.low, "high": point.high}.get(
            bound
        )
        if value is None:
            raise InputError(f"bound must be central, low or high, got {bound!r}")
        if value >= target_nmol_l:
            return point.day
    return None
