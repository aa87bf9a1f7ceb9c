"""Lab interpretation: place a result in the bands of the chosen guideline.

Bands are data (``knowledge/data/tables/lab_bands.yaml``, each with its source). For
25(OH)D the clinician chooses the guideline; a guideline that sets no thresholds
(Endocrine Society 2024) yields its statement, never an invented category.
"""

from __future__ import annotations

import re
from typing import Final

from d3k2.core.quantities import convert_lab_value, normalize_unit
from d3k2.core.screening.model import LabReading, LabResult
from d3k2.knowledge.schema import (
    ClearanceEquation,
    EgfrEquation,
    Knowledge,
    LabBand,
    LabCorrection,
    LabInterpretation,
)

DEFAULT_GUIDELINE = "default"
GUIDELINE_DEPENDENT_TESTS = frozenset({"25ohd"})
DAYS_PER_YEAR: Final = 365.25
"""Calendar arithmetic: age bounds of lab bands are in days since birth."""


def age_in_days(age_years: float | None) -> float | None:
    """Age in days, rounded to a millionth of a day: 28 days given as a birth date is
    28/365.25 years, which times 365.25 is 27.999999999999996 in floating point."""
    return None if age_years is None else round(age_years * DAYS_PER_YEAR, 6)


def interpretation_for(
    knowledge: Knowledge, test: str, guideline: str, *, age_years: float | None = None
) -> LabInterpretation | None:
    """The bands for ``test``: the chosen guideline's for guideline-dependent tests, else
    the default; among those, the ones for the person's age (a newborn's calcium is read
    against newborn intervals, not adult ones)."""
    age_days = age_in_days(age_years)
    if test in GUIDELINE_DEPENDENT_TESTS:
        chosen = knowledge.interpretation(test, guideline, age_days=age_days)
        if chosen is not None:
            return chosen
    return knowledge.interpretation(test, DEFAULT_GUIDELINE, age_days=age_days)


def band_for(
    value: float, interpretation: LabInterpretation, *, alt: bool = False
) -> LabBand | None:
    """The band holding ``value`` (in the interpretation's unit, or in ``alt_unit``)."""
    for band in interpretation.bands:
        lower, upper = (band.lower_alt, band.upper_alt) if alt else (band.lower, band.upper)
        if (lower is None or value >= lower) and (upper is None or value < upper):
            return band
    return None


def band_of(result: LabResult, interpretation: LabInterpretation) -> LabBand | None:
    """The band of a result, compared in the unit it was reported in when the guideline
    publishes its edges in that unit (no conversion rounding at the edges). A censored
    result ("<10", ">60") has a band only when every value it could be lies in one band."""
    if result.qualifier is not None:
        bands = possible_bands(result, interpretation)
        return bands[0] if len(bands) == 1 else None
    if interpretation.alt_unit and result.unit == normalize_unit(interpretation.alt_unit):
        return band_for(result.value, interpretation, alt=True)
    return band_for(value_in_unit(result, interpretation.unit), interpretation)


def possible_bands(result: LabResult, interpretation: LabInterpretation) -> list[LabBand]:
    """Every band the true value of ``result`` could lie in: one for a measured value;
    for a censored one ("<10": below 10; ">=90": 90 or more), each band that overlaps it
    (eGFR ">60" could be G2 or G1)."""
    alt = bool(interpretation.alt_unit and result.unit == normalize_unit(interpretation.alt_unit))
    value = result.value if alt else value_in_unit(result, interpretation.unit)
    if result.qualifier is None:
        band = band_for(value, interpretation, alt=alt)
        return [band] if band is not None else []
    found: list[LabBand] = []
    for band in interpretation.bands:
        lower, upper = (band.lower_alt, band.upper_alt) if alt else (band.lower, band.upper)
        if result.qualifier == "<":
            overlaps = lower is None or lower < value
        elif result.qualifier == "<=":
            overlaps = lower is None or lower <= value
        else:  # ">" or ">=": the band [lower, upper) holds values above ``value``
            overlaps = upper is None or upper > value
        if overlaps:
            found.append(band)
    return found


def surely_above(result: LabResult, threshold: float, unit: str) -> bool:
    """Every value ``result`` could be is above ``threshold`` (in ``unit``)."""
    value = value_in_unit(result, unit)
    if result.qualifier is None:
        return value > threshold
    if result.qualifier == ">":
        return value >= threshold
    if result.qualifier == ">=":
        return value > threshold
    return False


def surely_below(result: LabResult, threshold: float, unit: str) -> bool:
    """Every value ``result`` could be is below ``threshold`` (in ``unit``)."""
    value = value_in_unit(result, unit)
    if result.qualifier is None:
        return value < threshold
    if result.qualifier == "<":
        return value <= threshold
    if result.qualifier == "<=":
        return value < threshold
    return False


def value_in_unit(result: LabResult, unit: str) -> float:
    return convert_lab_value(result.test, result.value, result.unit, unit)


def interpret(
    result: LabResult, knowledge: Knowledge, guideline: str, *, age_years: float | None = None
) -> LabReading:
    """Place a result in its bands (those for the person's age); say so plainly when there
    are none to use."""
    interpretation = interpretation_for(knowledge, result.test, guideline, age_years=age_years)
    note: str | None = None
    band: LabBand | None = None
    if interpretation is None:
        used = guideline if result.test in GUIDELINE_DEPENDENT_TESTS else DEFAULT_GUIDELINE
        label = None
        note = "no interpretation bands for this test in the knowledge base"
    elif not interpretation.bands:
        used, label = interpretation.guideline, interpretation.no_thresholds_statement
    else:
        used = interpretation.guideline
        band = band_of(result, interpretation)
        label = band.label if band else None
        if result.qualifier is not None and band is None:
            bands = possible_bands(result, interpretation)
            label = " or ".join(b.label for b in bands) or None
            note = (
                f"a censored result ({result.qualifier}{result.value:g} {result.unit}): it "
                "could lie in any of these bands; no rule reads it as one of them"
            )
    return LabReading(
        input=result.input,
        test=result.test,
        name=result.test_name if result.derived else (result.name_as_written or result.test_name),
        value=result.value,
        unit=result.unit,
        value_si=result.value_si,
        unit_si=result.unit_si,
        interpretation=label,
        category=band.category if band else None,
        guideline=used,
        date=result.date,
        note=note,
        qualifier=result.qualifier,
    )


def latest(results: tuple[LabResult, ...], test: str) -> LabResult | None:
    """The most recent measured result of ``test`` (by date, then input order)."""
    matching = [r for r in results if r.test == test and r.adjusts is None]
    if not matching:
        return None
    return max(matching, key=lambda r: (r.date or "", r.order))


def latest_readings(results: tuple[LabResult, ...], test: str) -> list[LabResult]:
    """The results a rule reads for ``test``: the latest measured one, any undated ones
    (their date is unknown, so they might be the latest: screening them is the
    conservative choice), and the adjusted values derived from those."""
    measured = latest(results, test)
    if measured is None:
        return []
    chosen = [measured] + [
        r
        for r in results
        if r.test == test and r.adjusts is None and r.date is None and r is not measured
    ]
    orders = {r.order for r in chosen}
    return chosen + [r for r in results if r.test == test and r.adjusts in orders]


def undated_alongside_dated(results: tuple[LabResult, ...]) -> list[str]:
    """Tests that have both dated and undated results (the report says so)."""
    tests = sorted({r.test for r in results if r.adjusts is None})
    return [
        t
        for t in tests
        if any(r.test == t and r.date is None for r in results)
        and any(r.test == t and r.date is not None for r in results)
    ]


def adjusted_results(
    results: tuple[LabResult, ...], corrections: tuple[LabCorrection, ...]
) -> tuple[LabResult, ...]:
    """Adjusted values (albumin-adjusted calcium) for each measured result that has its
    companion test from the same day (or both undated).

    ``adjusted = value + coefficient x (reference - companion)`` with the coefficient,
    reference and units of the cited correction (Payne 1973; 0.02 mmol/L per g/L of
    albumin below 40 g/L).
    """
    derived: list[LabResult] = []
    for correction in corrections:
        for result in results:
            if result.test != correction.test or result.adjusts is not None:
                continue
            if re.search(r"correct|adjust", result.input, re.I):
                continue  # the laboratory already reported an adjusted value
            if result.qualifier is not None:
                continue  # no arithmetic on a censored value
            companions = [
                r
                for r in results
                if r.test == correction.using and r.date == result.date and r.qualifier is None
            ]
            if not companions:
                continue
            companion = max(companions, key=lambda r: r.order)
            using_value = value_in_unit(companion, correction.using_unit)
            value = value_in_unit(result, correction.unit)
            adjusted = value + correction.coefficient * (correction.using_reference - using_value)
            derived.append(
                LabResult(
                    input=(
                        f"{correction.name}: {adjusted:.2f} {correction.unit} (from {result.input};"
                        f" {companion.input})"
                    ),
                    test=result.test,
                    test_name=correction.name,
                    value=adjusted,
                    unit=correction.unit,
                    value_si=convert_lab_value(
                        result.test, adjusted, correction.unit, result.unit_si
                    ),
                    unit_si=result.unit_si,
                    date=result.date,
                    code=None,
                    order=result.order,
                    derived=True,
                    adjusts=result.order,
                )
            )
    return tuple(derived)


def estimated_egfr(
    results: tuple[LabResult, ...], equation: EgfrEquation | None, *, age_years: float, sex: str
) -> tuple[LabResult, ...]:
    """eGFR from the latest serum creatinine when no eGFR was given (adults only).

    CKD-EPI 2021 (Inker et al., N Engl J Med 2021;385:1737, race-free):
    eGFR = 142 x min(Scr/k, 1)^a x max(Scr/k, 1)^-1.200 x 0.9938^age x 1.012 [female],
    Scr in mg/dL; the coefficients come from the knowledge base.
    """
    if equation is None or age_years < equation.min_age_years:
        return ()
    creatinine = latest(results, "creatinine")
    if creatinine is None or creatinine.qualifier is not None:
        return ()  # no estimate from a censored creatinine ("<0.5 mg/dL")
    if _reported_since(results, "egfr", creatinine):
        return ()
    scr_mg_dl = value_in_unit(creatinine, "mg/dL")
    female = sex == "female"
    kappa = equation.kappa_female if female else equation.kappa_male
    alpha = equation.alpha_female if female else equation.alpha_male
    ratio = scr_mg_dl / kappa
    egfr = (
        equation.coefficient
        * min(ratio, 1.0) ** alpha
        * max(ratio, 1.0) ** equation.exponent_above
        * equation.age_base**age_years
        * (equation.female_factor if female else 1.0)
    )
    return (
        _derived_from(
            creatinine,
            input=f"eGFR {egfr:.0f} mL/min/1.73m2 ({equation.name}, from {creatinine.input})",
            test="egfr",
            test_name=f"eGFR ({equation.name})",
            value=egfr,
            unit="mL/min/1.73m2",
        ),
    )


def _reported_since(results: tuple[LabResult, ...], test: str, creatinine: LabResult) -> bool:
    """A result of ``test`` (eGFR, clearance) was reported with or after ``creatinine``, so
    d3k2 does not compute its own. An older one does not stop the estimate from a newer
    creatinine: a 2021 clearance of 60 mL/min must not hide a 2026 creatinine that gives 32.
    Undated results count as reported with it (the input gave no way to order them)."""
    reported = latest(results, test)
    if reported is None:
        return False
    if reported.date is None or creatinine.date is None:
        return True
    return reported.date >= creatinine.date


def _derived_from(
    creatinine: LabResult, *, input: str, test: str, test_name: str, value: float, unit: str
) -> LabResult:
    """A value d3k2 computed from a creatinine result: dated and ordered like it, no code."""
    return LabResult(
        input=input,
        test=test,
        test_name=test_name,
        value=value,
        unit=unit,
        value_si=value,
        unit_si=unit,
        date=creatinine.date,
        code=None,
        order=creatinine.order,
        derived=True,
    )


def creatinine_clearance_cockcroft_gault(
    *,
    scr_mg_dl: float,
    age_years: float,
    weight_kg: float,
    female: bool,
    equation: ClearanceEquation,
) -> float:
    """Creatinine clearance in mL/min by Cockcroft and Gault.

    ``CrCl = (140 - age) x weight / (72 x Scr)``, x 0.85 for women (Cockcroft DW, Gault MH.
    Prediction of creatinine clearance from serum creatinine. Nephron 1976;16(1):31-41,
    doi:10.1159/000180580; the constants come from the knowledge base). Age in years, body
    weight in kg (the actual weight, as the equation was published), serum creatinine in
    mg/dL. The result is an absolute clearance, not normalised to 1.73 m2 of body surface.
    """
    male_clearance = (
        (equation.age_offset_years - age_years) * weight_kg / (equation.divisor * scr_mg_dl)
    )
    return male_clearance * (equation.female_factor if female else 1.0)


def estimated_creatinine_clearance(
    results: tuple[LabResult, ...],
    equation: ClearanceEquation | None,
    *,
    age_years: float,
    sex: str,
    weight_kg: float | None,
) -> tuple[LabResult, ...]:
    """Cockcroft-Gault creatinine clearance from the latest serum creatinine, when no
    clearance was given and age (adult), sex and weight are known; a derived result."""
    if equation is None or weight_kg is None or age_years < equation.min_age_years:
        return ()
    if age_years >= equation.age_offset_years:
        return ()  # outside the equation's domain
    creatinine = latest(results, "creatinine")
    if creatinine is None or creatinine.qualifier is not None:
        return ()  # no estimate from a censored creatinine ("<0.5 mg/dL")
    if _reported_since(results, "creatinine_clearance", creatinine):
        return ()
    scr_mg_dl = value_in_unit(creatinine, "mg/dL")
    if scr_mg_dl <= 0:
        return ()
    clearance = creatinine_clearance_cockcroft_gault(
        scr_mg_dl=scr_mg_dl,
        age_years=age_years,
        weight_kg=weight_kg,
        female=sex == "female",
        equation=equation,
    )
    return (
        _derived_from(
            creatinine,
            input=(
                f"creatinine clearance {clearance:.1f} mL/min ({equation.name}, {equation.weight}"
                f" body weight {weight_kg:g} kg, from {creatinine.input})"
            ),
            test="creatinine_clearance",
            test_name=f"creatinine clearance ({equation.name})",
            value=clearance,
            unit="mL/min",
        ),
    )
