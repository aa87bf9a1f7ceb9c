"""Units and quantities: parsing what people type, and explicit, named conversions.

A number without a unit is an error, never a guess. Conversions that need a property of
the substance (a molar mass, the vitamin D IU definition) are named here, each with its
source, and are never written as a bare factor elsewhere.

References
----------
.. [1] Institute of Medicine. Dietary Reference Intakes for Calcium and Vitamin D.
   Washington, DC: National Academies Press; 2011. doi:10.17226/13050 (1 µg vitamin D
   = 40 IU).
.. [2] NIH Office of Dietary Supplements. Vitamin D — Fact Sheet for Health
   Professionals (1 nmol/L = 0.4 ng/mL, i.e. 1 ng/mL = 2.5 nmol/L, rounded).
   https://ods.od.nih.gov/factsheets/VitaminD-HealthProfessional/
.. [3] PubChem, National Library of Medicine: calcifediol (CID 5283731) 400.6 g/mol;
   calcium (CID 5460341) 40.078 g/mol; magnesium (CID 5462224) 24.305 g/mol;
   phosphorus (CID 5462309) 30.974 g/mol; creatinine (CID 588) 113.12 g/mol;
   calcitriol (CID 5280453) 416.6 g/mol. https://pubchem.ncbi.nlm.nih.gov/
.. [4] Young DS. Implementation of SI units for clinical laboratory data. Ann Intern Med
   1987;106:114-29. doi:10.7326/0003-4819-106-1-114 (PTH 1-84 about 9425 g/mol;
   creatinine mg/dL x 88.4 = µmol/L).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from d3k2.errors import InputError, shown

MAX_ABS_NUMBER: Final = 1e12
"""Largest magnitude of any number d3k2 reads. An input guard, not a clinical limit: no
age, weight, lab value, amount or count comes near it (10^12 µg is a tonne), and beyond
it the arithmetic of totals and projections could overflow."""

IU_PER_MCG_VITAMIN_D: Final = 40.0
"""1 µg cholecalciferol or ergocalciferol = 40 IU [1]."""

MOLAR_MASS_G_PER_MOL: Final[dict[str, float]] = {
    "25ohd": 400.64,  # 25-hydroxyvitamin D3 (calcifediol) [3]
    "calcium": 40.078,  # [3]
    "magnesium": 24.305,  # [3]
    "phosphorus": 30.974,  # phosphate reported as phosphorus [3]
    "creatinine": 113.12,  # [3]
    "calcitriol": 416.64,  # [3]
    "pth": 9425.0,  # PTH 1-84 [4]
}

NMOL_L_PER_NG_ML_25OHD: Final = 1000.0 / MOLAR_MASS_G_PER_MOL["25ohd"]
"""1 ng/mL of 25(OH)D = 2.496 nmol/L (molar mass 400.64 g/mol) [2, 3]."""

LAB_SUBSTANCE: Final[dict[str, str]] = {
    "25ohd": "25ohd",
    "calcium_total": "calcium",
    "calcium_ionized": "calcium",
    "magnesium": "magnesium",
    "phosphate": "phosphorus",
    "creatinine": "creatinine",
    "calcitriol_serum": "calcitriol",
    "pth": "pth",
}
"""Which substance's molar mass converts each lab test between mass and molar units."""

VALENCE: Final[dict[str, int]] = {"calcium": 2, "magnesium": 2}
"""Charge of the ion, for mEq/L <-> mmol/L."""

KG_PER_LB: Final = 0.45359237
"""International avoirdupois pound (exact by definition, 1959)."""
CM_PER_INCH: Final = 2.54
"""International inch (exact by definition, 1959)."""
INCHES_PER_FOOT: Final = 12

# --------------------------------------------------------------------------- unit names
_UNIT_ALIASES: Final[dict[str, str]] = {
    # amounts
    "mcg": "mcg",
    "µg": "mcg",
    "μg": "mcg",
    "ug": "mcg",
    "microgram": "mcg",
    "micrograms": "mcg",
    "mg": "mg",
    "milligram": "mg",
    "milligrams": "mg",
    "g": "g",
    "gram": "g",
    "grams": "g",
    "iu": "IU",
    "i.u.": "IU",
    "[iu]": "IU",
    "units": "IU",
    "unit": "IU",
    "international units": "IU",
    # body mass
    "kg": "kg",
    "kgs": "kg",
    "kilogram": "kg",
    "kilograms": "kg",
    "lb": "lb",
    "lbs": "lb",
    "pound": "lb",
    "pounds": "lb",
    "[lb_av]": "lb",
    # concentrations
    "nmol/l": "nmol/L",
    "ng/ml": "ng/mL",
    "µg/l": "ng/mL",
    "μg/l": "ng/mL",
    "ug/l": "ng/mL",
    "mcg/l": "ng/mL",
    "mmol/l": "mmol/L",
    "mg/dl": "mg/dL",
    "meq/l": "mEq/L",
    "pmol/l": "pmol/L",
    "pg/ml": "pg/mL",
    "ng/l": "pg/mL",
    "umol/l": "umol/L",
    "µmol/l": "umol/L",
    "μmol/l": "umol/L",
    "g/l": "g/L",
    "g/dl": "g/dL",
    "ml/min/1.73m2": "mL/min/1.73m2",
    "ml/min/1.73 m2": "mL/min/1.73m2",
    "ml/min/1.73m²": "mL/min/1.73m2",
    "ml/min/1.73 m²": "mL/min/1.73m2",
    "ml/min/{1.73_m2}": "mL/min/1.73m2",
    "ml/min/per 1.73m2": "mL/min/1.73m2",
    "ml/min": "mL/min",
    "{inr}": "{INR}",
    "inr": "{INR}",
    "ratio": "{INR}",
    "1": "{INR}",
}

KNOWN_UNITS: Final = frozenset(_UNIT_ALIASES.values())


@lru_cache(maxsize=4096)
def normalize_unit(unit: str) -> str:
    """The canonical spelling of ``unit`` ("ng/ml" -> "ng/mL", "µg" -> "mcg").

    Raises
    ------
    InputError
        If the unit is not one d3k2 knows.
    """
    key = re.sub(r"\s+", " ", unit.strip().lower())
    if key in _UNIT_ALIASES:
        return _UNIT_ALIASES[key]
    compact = key.replace(" ", "")
    if compact in _UNIT_ALIASES:
        return _UNIT_ALIASES[compact]
    raise InputError(
        f"unknown unit {shown(unit)}",
        hint="use one of: " + ", ".join(sorted(KNOWN_UNITS)),
    )


@dataclass(frozen=True)
class Quantity:
    """A value with its (canonical) unit."""

    value: float
    unit: str

    def __str__(self) -> str:
        return f"{format_number(self.value)} {self.unit}"


_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+,\d{1,2}(?!\d)|\d+)(?:\.\d+)?|[-+]?\.\d+"
_QUANTITY_RE: Final = re.compile(rf"^\s*(?P<number>{_NUMBER})\s*(?P<unit>.*?)\s*$")


def parse_number(text: str) -> float:
    """A number as people write it: ``50,000`` (thousands), ``2.85``, ``2,85`` (decimal).

    A comma followed by exactly three digits groups thousands; a comma followed by one or
    two digits is a decimal comma.
    """
    raw = text.strip()
    raw = raw.replace(",", ".") if re.fullmatch(r"[-+]?\d+,\d{1,2}", raw) else raw.replace(",", "")
    try:
        number = float(raw)
    except ValueError:
        raise InputError(f"{shown(text)} is not a number") from None
    return checked_number(number, written=text)


def checked_number(value: float, *, written: str | None = None) -> float:
    """``value`` as a float, refused when it is not finite or beyond :data:`MAX_ABS_NUMBER`
    (integers too large for a float are refused, not overflowed). ``written``: the text
    the value was read from, quoted in the message."""
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        number = math.inf if value > 0 else -math.inf
    if math.isinf(number) or abs(number) > MAX_ABS_NUMBER:
        raise InputError(
            f"{shown(value if written is None else written)} is far too large "
            f"(more than {MAX_ABS_NUMBER:g})",
            hint="check the number and its unit",
        )
    if math.isnan(number):
        raise InputError(
            f"{shown(value if written is None else written)} is not a number",
            hint="check the number",
        )
    return number


def parse_quantity(text: str | float | int) -> Quantity:
    """Parse ``"82 kg"``, ``"50,000 IU"``, ``"2.85 mmol/L"``.

    Raises
    ------
    InputError
        If there is no number, no unit ("a number without a unit is an error"), or the unit
        is unknown.
    """
    if isinstance(text, bool):
        raise InputError(f"expected a value with a unit, got {shown(text)}")
    if isinstance(text, int | float):
        raise InputError(
            f"the number {text} has no unit",
            hint='write the unit too, for example "82 kg" or "18 ng/mL"',
        )
    if not isinstance(text, str):
        raise InputError(
            f"expected a value with a unit, got {shown(text)}", hint='for example "82 kg"'
        )
    match = _QUANTITY_RE.match(text)
    if not match:
        raise InputError(
            f"expected a number followed by a unit, got {shown(text)}",
            hint='for example "82 kg", "18 ng/mL", "2000 IU"',
        )
    unit_text = match.group("unit")
    if not unit_text:
        raise InputError(
            f"{shown(text)} has no unit",
            hint='write the unit too, for example "82 kg" or "18 ng/mL"',
        )
    return Quantity(parse_number(match.group("number")), normalize_unit(unit_text))


def format_number(value: float) -> str:
    """Compact human formatting: 50000 -> "50,000", 2.5 -> "2.5", 0.125 -> "0.125"."""
    if value == int(value) and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:,.3g}" if abs(value) < 1 else f"{value:,.4g}"


# --------------------------------------------------------------------------- amounts
_MASS_IN_MCG: Final[dict[str, float]] = {"mcg": 1.0, "mg": 1000.0, "g": 1_000_000.0}


def amount_in(value: float, unit: str, target_unit: str, *, nutrient: str) -> float:
    """Convert a supplement amount to ``target_unit`` (mcg or mg).

    IU is accepted only for vitamin D (1 µg = 40 IU [1]); vitamin K, calcium and
    magnesium have no IU in current labelling, so IU for them is an error.
    """
    unit = normalize_unit(unit)
    target_unit = normalize_unit(target_unit)
    if unit == "IU":
        if nutrient != "vitamin_d":
            raise InputError(
                f"IU is not a unit for {nutrient.replace('_', ' ')}",
                hint="give the amount in mcg or mg",
            )
        value, unit = value / IU_PER_MCG_VITAMIN_D, "mcg"
    if target_unit == "IU":
        if nutrient != "vitamin_d":
            raise InputError(f"IU is not a unit for {nutrient.replace('_', ' ')}")
        return amount_in(value, unit, "mcg", nutrient=nutrient) * IU_PER_MCG_VITAMIN_D
    if unit not in _MASS_IN_MCG or target_unit not in _MASS_IN_MCG:
        raise InputError(
            f"{shown(unit)} is not an amount unit for {nutrient.replace('_', ' ')}",
            hint="use mcg, mg, g (or IU for vitamin D)",
        )
    return value * _MASS_IN_MCG[unit] / _MASS_IN_MCG[target_unit]


# --------------------------------------------------------------------------- body mass
def body_mass_kg(quantity: Quantity) -> float:
    """Body mass in kg from kg or lb."""
    if quantity.unit == "kg":
        kg = quantity.value
    elif quantity.unit == "lb":
        kg = quantity.value * KG_PER_LB
    else:
        raise InputError(f"{quantity.unit!r} is not a unit of body weight", hint="use kg or lb")
    if kg <= 0:
        raise InputError(f"body weight must be positive, got {quantity}")
    return kg


def parse_body_mass_kg(text: str) -> float:
    """``"82 kg"`` -> 82.0; ``"180 lb"`` -> 81.6."""
    return body_mass_kg(parse_quantity(text))


# --------------------------------------------------------------------------- lab values
def _molar_factor(test: str) -> float:
    """nmol per ng (= µmol per mg) for the substance measured by ``test``."""
    substance = LAB_SUBSTANCE.get(test)
    if substance is None:
        raise InputError(f"no mass/molar conversion is known for lab test {test!r}")
    return 1000.0 / MOLAR_MASS_G_PER_MOL[substance]


def convert_lab_value(test: str, value: float, from_unit: str, to_unit: str) -> float:
    """Convert a lab result between units, using the substance's molar mass.

    Supported: nmol/L <-> ng/mL; mmol/L <-> mg/dL <-> mEq/L; pmol/L <-> pg/mL;
    umol/L <-> mg/dL (creatinine); g/L <-> g/dL. For example 25(OH)D 18 ng/mL = 44.9 nmol/L;
    calcium 10.2 mg/dL = 2.545 mmol/L.
    """
    src = normalize_unit(from_unit)
    dst = normalize_unit(to_unit)
    if src == dst:
        return value
    # Express the value as a molar concentration in mol/L, or a mass in g/L.
    per_litre_in = _to_si(test, value, src)
    return _from_si(test, per_litre_in, dst)


_MOLAR_PER_L: Final[dict[str, float]] = {
    "nmol/L": 1e-9,
    "pmol/L": 1e-12,
    "mmol/L": 1e-3,
    "umol/L": 1e-6,
}
_MASS_G_PER_L: Final[dict[str, float]] = {
    "ng/mL": 1e-6,
    "pg/mL": 1e-9,
    "mg/dL": 1e-2,
    "g/L": 1.0,
    "g/dL": 10.0,
}


def _to_si(test: str, value: float, unit: str) -> float:
    """Value in mol/L (molar units) — mass units are converted through the molar mass."""
    if unit in _MOLAR_PER_L:
        return value * _MOLAR_PER_L[unit]
    if unit == "mEq/L":
        return value * 1e-3 / _valence(test)
    if unit in _MASS_G_PER_L:
        if test in ("albumin",):
            return value * _MASS_G_PER_L[unit]  # albumin stays a mass concentration
        return value * _MASS_G_PER_L[unit] * _molar_factor(test) * 1e-3
    raise InputError(f"cannot convert {shown(unit)} for lab test {test!r}")


def _from_si(test: str, si_value: float, unit: str) -> float:
    if unit in _MOLAR_PER_L:
        return si_value / _MOLAR_PER_L[unit]
    if unit == "mEq/L":
        return si_value * 1e3 * _valence(test)
    if unit in _MASS_G_PER_L:
        if test in ("albumin",):
            return si_value / _MASS_G_PER_L[unit]
        return si_value / (_MASS_G_PER_L[unit] * _molar_factor(test) * 1e-3)
    raise InputError(f"cannot convert to {shown(unit)} for lab test {test!r}")


def _valence(test: str) -> int:
    substance = LAB_SUBSTANCE.get(test, "")
    if substance not in VALENCE:
        raise InputError(f"mEq/L is not a unit for lab test {test!r}")
    return VALENCE[substance]


def serum_25ohd_to_nmol_l(value: float, unit: str) -> float:
    """Serum 25(OH)D in nmol/L from nmol/L or ng/mL (x 2.496) [2, 3]."""
    return convert_lab_value("25ohd", value, unit, "nmol/L")


def parse_serum_25ohd_nmol_l(text: str) -> float:
    """``"18 ng/mL"`` -> 44.93 nmol/L. Rejects negative values."""
    quantity = parse_quantity(text)
    if quantity.value < 0:
        raise InputError(f"a serum 25(OH)D level cannot be negative: {shown(text)}")
    if quantity.unit not in ("nmol/L", "ng/mL"):
        raise InputError(
            f"{quantity.unit!r} is not a unit for serum 25(OH)D", hint="use ng/mL or nmol/L"
        )
    return serum_25ohd_to_nmol_l(quantity.value, quantity.unit)
