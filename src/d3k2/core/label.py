"""Checks of a Supplement Facts label: units, %DV, forms, daily dose and upper limits.

Pure: a label already read (:mod:`d3k2.reading.label`) and the knowledge tables in, findings
out. Every number comes from the knowledge tables (``tables/daily_values.yaml`` for the
Daily Values and %DV rounding, ``tables/dri.csv`` for the ULs, ``vocab/nutrients.yaml`` for
the plausible amount of one dose); every finding names its source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from d3k2.core.quantities import amount_in
from d3k2.errors import InputError
from d3k2.knowledge.labels import LabelRules
from d3k2.knowledge.schema import DriRow, NutrientForm

Status = Literal["pass", "problem", "warning", "info"]

ADULT_FROM_MONTHS = 228
"""19 years: the first adult DRI life stage (tables/dri.csv)."""

K_FORMS_NAMED = frozenset({"mk7", "mk4", "phylloquinone"})
"""Vitamin K forms a label names precisely; 'vitamin K2' alone does not say MK-4 or MK-7."""
CALCIUM_SALTS = frozenset(
    {"calcium_carbonate", "calcium_citrate", "calcium_acetate", "calcium_gluconate"}
)


@dataclass(frozen=True)
class LabelRow:
    """One dietary ingredient line of the panel, per serving, as printed."""

    name: str
    nutrient: str | None
    """d3k2 nutrient id, or None for an ingredient d3k2 does not check."""
    form: str | None
    """Form id (cholecalciferol, mk7, calcium_carbonate…) when the line names one."""
    amount: float | None
    unit: str | None
    """As printed: mcg, mg, g or IU."""
    iu: float | None = None
    """IU printed next to the amount (vitamin D)."""
    percent_dv: float | None = None
    percent_dv_text: str | None = None
    """The %DV as printed when it is not a number ("<1%", "†")."""


@dataclass(frozen=True)
class Label:
    product: str
    source: str
    """Where the label comes from (``DSLD 12345`` or the file)."""
    serving: str
    servings_per_day: tuple[float, float] | None
    """(fewest, most) servings a day from the directions; None when not stated."""
    directions: str | None
    rows: tuple[LabelRow, ...]


@dataclass(frozen=True)
class LabelFinding:
    check: str
    status: Status
    row: str | None
    message: str
    source: str | None = None
    """``reference-id: locator``."""


@dataclass(frozen=True)
class DailyDose:
    nutrient: str
    unit: str
    per_serving: float
    per_day_max: float | None


def _in_dri_unit(row: LabelRow, dri_unit: str) -> float | None:
    """The row's amount in the nutrient's DRI unit (the same conversion as every regimen,
    :func:`d3k2.core.quantities.amount_in`); None when it cannot be converted."""
    if row.amount is None or row.unit is None or row.nutrient is None:
        return None
    try:
        return amount_in(row.amount, row.unit, dri_unit, nutrient=row.nutrient)
    except InputError:
        return None


def expected_percent_dv(amount: float, daily_value: float) -> float:
    """%DV to the nearest whole percent (21 CFR 101.36(b)(2)(iii)), half up."""
    return float(int(amount / daily_value * 100 + 0.5))


def check_label(
    label: Label,
    rules: LabelRules,
    dri: Sequence[DriRow],
    forms: Mapping[tuple[str, str | None], NutrientForm],
    dri_units: Mapping[str, str],
) -> tuple[list[LabelFinding], list[DailyDose]]:
    """Every check on every line; findings of status 'pass' say what was checked."""
    findings: list[LabelFinding] = []
    doses: list[DailyDose] = []
    # nutrient id -> ([(line name, amount a day), ...], DRI unit), for the upper-limit check
    per_nutrient: dict[str, tuple[list[tuple[str, float]], str]] = {}
    d_rule = rules.vitamin_d_units
    d_source = d_rule.cited
    dv_rule = rules.percent_dv
    for row in label.rows:
        if row.nutrient is None:
            continue
        dri_unit = dri_units[row.nutrient]
        amount = _in_dri_unit(row, dri_unit)
        # vitamin D in mcg (IU optional in parentheses)
        if row.nutrient == "vitamin_d":
            unit = (row.unit or "").lower()
            if unit == "iu":
                findings.append(
                    LabelFinding(
                        "vitamin_d_unit",
                        "problem",
                        row.name,
                        "vitamin D is declared in IU only; US labels must declare it in mcg "
                        "(IU optional in parentheses) since the 2016 rule",
                        d_source,
                    )
                )
            elif unit in ("mcg", "µg", "μg"):
                findings.append(
                    LabelFinding(
                        "vitamin_d_unit", "pass", row.name, "vitamin D declared in mcg", d_source
                    )
                )
                if row.iu is not None and row.amount is not None:
                    expected_iu = row.amount * d_rule.iu_per_mcg
                    if abs(row.iu - expected_iu) > max(1.0, 0.02 * expected_iu):
                        findings.append(
                            LabelFinding(
                                "vitamin_d_unit",
                                "problem",
                                row.name,
                                f"{row.amount:g} mcg is {expected_iu:g} IU, but the label says "
                                f"{row.iu:g} IU",
                                d_source,
                            )
                        )
            else:
                findings.append(
                    LabelFinding(
                        "vitamin_d_unit",
                        "problem",
                        row.name,
                        f"vitamin D declared in {row.unit!r}; expected mcg",
                        d_source,
                    )
                )
        # %DV
        daily_value = rules.daily_value(row.nutrient)
        if daily_value is not None and amount is not None:
            dv_source = f"{dv_rule.cited}; DV {daily_value.amount:g} {daily_value.unit} "
            dv_source += f"({daily_value.cited})"
            expected = expected_percent_dv(amount, daily_value.amount)
            if expected < 1:
                ok = (row.percent_dv_text or "").strip() in dv_rule.below_one_percent_text
                text = "'" + "' or '".join(dv_rule.below_one_percent_text) + "'"
                findings.append(
                    LabelFinding(
                        "percent_dv",
                        "pass" if ok else "problem",
                        row.name,
                        f"below 1% of the DV: declared as {text}"
                        + ("" if ok else f", not {row.percent_dv_text or row.percent_dv}"),
                        dv_source,
                    )
                )
            elif row.percent_dv is None:
                findings.append(
                    LabelFinding(
                        "percent_dv",
                        "problem",
                        row.name,
                        f"no %DV declared; {amount:g} {dri_unit} is {expected:g}% of the DV "
                        f"of {daily_value.amount:g} {daily_value.unit}",
                        dv_source,
                    )
                )
            elif abs(row.percent_dv - expected) > dv_rule.tolerance_percent_points:
                findings.append(
                    LabelFinding(
                        "percent_dv",
                        "problem",
                        row.name,
                        f"%DV declared {row.percent_dv:g}%, expected {expected:g}% "
                        f"({amount:g} {dri_unit} of a DV of {daily_value.amount:g} "
                        f"{daily_value.unit}); the %DV was computed from another reference "
                        "(a US Daily Value older than the 2016 rule, a non-US reference value) "
                        "or miscalculated",
                        dv_source,
                    )
                )
            else:
                findings.append(
                    LabelFinding(
                        "percent_dv",
                        "pass",
                        row.name,
                        f"%DV {row.percent_dv:g}% matches {expected:g}%",
                        dv_source,
                    )
                )
        # forms
        if row.nutrient == "vitamin_k":
            named = row.form in K_FORMS_NAMED
            findings.append(
                LabelFinding(
                    "vitamin_k_form",
                    "pass" if named else "warning",
                    row.name,
                    "vitamin K form named"
                    if named
                    else "the vitamin K form is not named (K1 phylloquinone, MK-4 or MK-7): their "
                    "half-lives and doses differ",
                    None,
                )
            )
        if row.nutrient == "calcium":
            named = row.form in CALCIUM_SALTS
            findings.append(
                LabelFinding(
                    "calcium_salt",
                    "pass" if named else "warning",
                    row.name,
                    "calcium salt named; the amount is read as elemental calcium"
                    if named
                    else "the calcium salt is not named (carbonate, citrate…): its "
                    "absorption and the elemental share differ",
                    None,
                )
            )
        if amount is None:
            findings.append(
                LabelFinding(
                    "amount",
                    "warning",
                    row.name,
                    f"no usable amount ({row.amount} {row.unit})",
                    None,
                )
            )
            continue
        # implausible amounts (probable unit slip)
        form = forms.get((row.nutrient, row.form)) or forms.get((row.nutrient, None))
        if form is not None and amount > form.plausible_max_per_dose:
            source = "; ".join(f"{s.ref}: {s.locator}" for s in form.sources) or None
            findings.append(
                LabelFinding(
                    "implausible_amount",
                    "problem",
                    row.name,
                    f"{amount:g} {dri_unit} per serving is above the plausible "
                    f"{form.plausible_max_per_dose:g} {dri_unit} for one dose: probably a unit "
                    "slip (mg for mcg, IU for mcg)",
                    source,
                )
            )
        # per day and upper limits
        most = None if label.servings_per_day is None else label.servings_per_day[1]
        per_day = None if most is None else amount * most
        doses.append(DailyDose(row.nutrient, dri_unit, amount, per_day))
        if per_day is None:
            findings.append(
                LabelFinding(
                    "daily_dose",
                    "warning",
                    row.name,
                    "the directions give no number of servings a day; the upper-limit check "
                    "assumes one serving a day",
                    None,
                )
            )
            per_day = amount
        else:
            findings.append(
                LabelFinding(
                    "daily_dose",
                    "info",
                    row.name,
                    f"{amount:g} {dri_unit} per serving × up to {most:g} a day = "
                    f"{per_day:g} {dri_unit}/day",
                    None,
                )
            )
        per_nutrient.setdefault(row.nutrient, ([], dri_unit))[0].append((row.name, per_day))
    # The UL is for the nutrient, whatever line of the label it is on: vitamin D3 60 mcg and
    # vitamin D2 60 mcg in one serving are 120 mcg of vitamin D a day.
    for nutrient, (lines, dri_unit) in per_nutrient.items():
        per_day = sum(amount for _, amount in lines)
        name = " + ".join(name for name, _ in lines)
        above = [
            r for r in dri if r.nutrient == nutrient and r.ul is not None and per_day > r.ul + 1e-9
        ]
        adults = [r for r in above if r.age_from_months >= ADULT_FROM_MONTHS]
        if above:
            stages = ", ".join(
                f"{r.life_stage}{'' if r.sex == 'any' else ' ' + r.sex} (UL {r.ul:g})"
                for r in above
            )
            who = "" if adults else " (children only: keep out of their reach)"
            findings.append(
                LabelFinding(
                    "upper_limit",
                    "warning" if adults else "info",
                    name,
                    f"{per_day:g} {dri_unit}/day from this product alone is above the UL "
                    f"for: {stages}{who}",
                    f"{above[0].source}: {above[0].locator}",
                )
            )
        else:
            findings.append(
                LabelFinding(
                    "upper_limit",
                    "pass",
                    name,
                    f"{per_day:g} {dri_unit}/day is within the UL of every life stage",
                    None,
                )
            )
    return findings, doses
