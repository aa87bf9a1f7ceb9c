"""Content of the vocabularies in knowledge/data/vocab (medications, conditions, labs).

The files are loaded directly (no loader, no matcher) and validated with the schema, so a
failure here is a data error. Facts are asserted as literals: brand -> ingredient pairs from
the product labels, code -> concept pairs from RxNorm, SNOMED CT, ICD-10-CM and LOINC.
Check digits are recomputed with the published algorithms (Verhoeff for SNOMED CT
identifiers, mod 10 for LOINC codes).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from d3k2.knowledge import schema

DATA_DIR = Path(schema.__file__).parent / "data"
VOCAB_DIR = DATA_DIR / "vocab"
TERMINOLOGY_YAML = DATA_DIR / "references" / "terminology.yaml"


def _load_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path)


@cache
def medications() -> tuple[schema.Medication, ...]:
    data = _load_yaml(VOCAB_DIR / "medications.yaml")
    return tuple(schema.Medications.model_validate(data).medications)


@cache
def conditions() -> tuple[schema.Condition, ...]:
    data = _load_yaml(VOCAB_DIR / "conditions.yaml")
    return tuple(schema.Conditions.model_validate(data).conditions)


@cache
def labs() -> tuple[schema.LabTest, ...]:
    return tuple(schema.Labs.model_validate(_load_yaml(VOCAB_DIR / "labs.yaml")).labs)


def _medication(entry_id: str) -> schema.Medication:
    return next(m for m in medications() if m.id == entry_id)


def _condition(entry_id: str) -> schema.Condition:
    return next(c for c in conditions() if c.id == entry_id)


def _lab(entry_id: str) -> schema.LabTest:
    return next(lab for lab in labs() if lab.id == entry_id)


def _medication_terms() -> dict[str, str]:
    """Every name, brand and abbreviation (casefolded) -> the one entry id it names."""
    return {
        term.casefold(): m.id
        for m in medications()
        for term in (*m.names, *m.brands, *m.abbreviations)
    }


def _condition_terms() -> dict[str, str]:
    return {term.casefold(): c.id for c in conditions() for term in (*c.names, *c.abbreviations)}


def _codes(system: str, entries: tuple[Any, ...]) -> dict[str, str]:
    return {code.code: e.id for e in entries for code in e.codes if code.system == system}


# --------------------------------------------------------------------------- check digits
_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff_valid(number: str) -> bool:
    """True when the last digit of ``number`` is its Verhoeff check digit (SNOMED CT)."""
    check = 0
    for position, digit in enumerate(reversed(number)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[position % 8][int(digit)]]
    return check == 0


def loinc_check_digit_valid(code: str) -> bool:
    """True when the digit after the hyphen is the LOINC mod-10 check digit of the body."""
    body, check = code.split("-")
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit = digit // 10 + digit % 10
        total += digit
    return (10 - total % 10) % 10 == int(check)


def test_check_digit_helpers_agree_with_published_examples() -> None:
    # SNOMED CT root concept and "Chronic kidney disease stage 4 (disorder)".
    assert verhoeff_valid("138875005")
    assert verhoeff_valid("431857002")
    assert not verhoeff_valid("431857003")
    # LOINC 2160-0 (serum creatinine) is valid; 12180-8 is a commonly misquoted form.
    assert loinc_check_digit_valid("2160-0")
    assert loinc_check_digit_valid("12180-6")
    assert not loinc_check_digit_valid("12180-8")


# --------------------------------------------------------------------------- medications
MEDICATION_CLASSES = [
    "vitamin_k_antagonist",
    "doac",
    "anticoagulant",
    "thiazide",
    "cardiac_glycoside",
    "active_vitamin_d",
    "vitamin_d_supplement",
    "vitamin_k_supplement",
    "calcium_supplement",
    "magnesium_supplement",
    "multivitamin",
    "enzyme_inducing_anticonvulsant",
    "tuberculosis_drug",
    "glucocorticoid",
    "lipase_inhibitor",
    "bile_acid_sequestrant",
    "antibiotic",
    "thyroid_hormone",
    "quinolone",
    "tetracycline",
    "bisphosphonate",
    "bisphosphonate_iv",
    "statin",
    "proton_pump_inhibitor",
    "lithium",
    "diuretic_loop",
    "pth_analogue",
    "phosphate_binder",
    "calcimimetic",
    "integrase_inhibitor",
    "efavirenz",
    "oral_iron",
    "mineral_oil",
]


@pytest.mark.parametrize("medication_class", MEDICATION_CLASSES)
def test_every_medication_class_has_members(medication_class: str) -> None:
    members = [m.id for m in medications() if medication_class in m.classes]
    assert members, f"no medication in class {medication_class}"


def test_medication_classes_are_only_the_known_ones() -> None:
    used = {c for m in medications() for c in m.classes}
    assert used <= set(MEDICATION_CLASSES), used - set(MEDICATION_CLASSES)


def test_medication_ids_are_unique() -> None:
    ids = [m.id for m in medications()]
    assert len(ids) == len(set(ids))


def test_no_medication_term_names_two_entries() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for m in medications():
        for term in (*m.names, *m.brands, *m.abbreviations):
            owners[term.casefold()].add(m.id)
    clashes = {term: ids for term, ids in owners.items() if len(ids) > 1}
    assert clashes == {}


def test_hct_alone_is_not_a_medication_term() -> None:
    # "HCT" is also haematocrit: it may only appear inside brand names ("Diovan HCT").
    assert "hct" not in _medication_terms()
    assert _medication_terms()["diovan hct"] == "valsartan_hydrochlorothiazide"


@pytest.mark.parametrize(
    ("term", "entry_id"),
    [
        ("Jantoven", "warfarin"),
        ("Coumadin", "warfarin"),
        ("Marevan", "warfarin"),
        ("Sintrom", "acenocoumarol"),
        ("Marcoumar", "phenprocoumon"),
        ("fenprocoumon", "phenprocoumon"),
        ("Previscan", "fluindione"),
        ("Eliquis", "apixaban"),
        ("Xarelto", "rivaroxaban"),
        ("Lixiana", "edoxaban"),
        ("Pradaxa", "dabigatran"),
        ("Dilantin", "phenytoin"),
        ("Dilaudid", "hydromorphone"),
        ("phenobarb", "phenobarbital"),
        ("phenobarbitone", "phenobarbital"),
        ("Tegretol", "carbamazepine"),
        ("rifampicin", "rifampin"),
        ("RIF", "rifampin"),
        ("INH", "isoniazid"),
        ("HCTZ", "hydrochlorothiazide"),
        ("ASA", "aspirin"),
        ("APAP", "acetaminophen"),
        ("paracetamol", "acetaminophen"),
        ("LT4", "levothyroxine"),
        ("Synthroid", "levothyroxine"),
        ("colecalciferol", "cholecalciferol"),
        ("D3", "cholecalciferol"),
        ("MK-7", "menaquinone"),
        ("phylloquinone", "phytonadione"),
        ("Rocaltrol", "calcitriol"),
        ("Zemplar", "paricalcitol"),
        ("Lanoxin", "digoxin"),
        ("Questran", "cholestyramine"),
        ("Alli", "orlistat"),
        ("Fosamax", "alendronate"),
        ("Reclast", "zoledronic_acid"),
        ("Augmentin", "amoxicillin_clavulanate"),
        ("Zosyn", "piperacillin_tazobactam"),
        ("Keflex", "cephalexin"),
        ("Lasix", "furosemide"),
        ("Protonix", "pantoprazole"),
        ("Lipitor", "atorvastatin"),
        ("Hyzaar", "losartan_hydrochlorothiazide"),
        ("Zestoretic", "lisinopril_hydrochlorothiazide"),
        ("Prinzide", "lisinopril_hydrochlorothiazide"),
        ("Maxzide", "triamterene_hydrochlorothiazide"),
        ("Tenoretic", "atenolol_chlorthalidone"),
        ("Edarbyclor", "azilsartan_chlorthalidone"),
        ("Tribenzor", "olmesartan_amlodipine_hydrochlorothiazide"),
        ("Caltrate 600+D", "calcium_carbonate_cholecalciferol"),
        ("Tums", "calcium_carbonate"),
    ],
)
def test_medication_term_names_the_expected_entry(term: str, entry_id: str) -> None:
    assert _medication_terms()[term.casefold()] == entry_id


@pytest.mark.parametrize(
    ("brand", "ingredients"),
    [
        ("Hyzaar", ["losartan", "hydrochlorothiazide"]),
        ("Zestoretic", ["lisinopril", "hydrochlorothiazide"]),
        ("Dyazide", ["triamterene", "hydrochlorothiazide"]),
        ("Aldactazide", ["spironolactone", "hydrochlorothiazide"]),
        ("Lotensin HCT", ["benazepril", "hydrochlorothiazide"]),
        ("Diovan HCT", ["valsartan", "hydrochlorothiazide"]),
        ("Micardis HCT", ["telmisartan", "hydrochlorothiazide"]),
        ("Benicar HCT", ["olmesartan", "hydrochlorothiazide"]),
        ("Avalide", ["irbesartan", "hydrochlorothiazide"]),
        ("Atacand HCT", ["candesartan", "hydrochlorothiazide"]),
        ("Exforge HCT", ["amlodipine", "valsartan", "hydrochlorothiazide"]),
        ("Tribenzor", ["olmesartan", "amlodipine", "hydrochlorothiazide"]),
        ("Tekturna HCT", ["aliskiren", "hydrochlorothiazide"]),
        ("Lopressor HCT", ["metoprolol", "hydrochlorothiazide"]),
        ("Ziac", ["bisoprolol", "hydrochlorothiazide"]),
        ("Tenoretic", ["atenolol", "chlorthalidone"]),
        ("Edarbyclor", ["azilsartan", "chlorthalidone"]),
        ("Vaseretic", ["enalapril", "hydrochlorothiazide"]),
        ("Accuretic", ["quinapril", "hydrochlorothiazide"]),
        ("Fosamax Plus D", ["alendronate", "cholecalciferol"]),
        ("Os-Cal", ["calcium_carbonate", "cholecalciferol"]),
        # UK calcium + D3 brands (SmPC section 2): calcium carbonate + colecalciferol.
        ("Adcal-D3", ["calcium_carbonate", "cholecalciferol"]),
        ("Calcichew-D3", ["calcium_carbonate", "cholecalciferol"]),
        ("Calcichew D3 Forte", ["calcium_carbonate", "cholecalciferol"]),
        ("Cacit D3", ["calcium_carbonate", "cholecalciferol"]),
        ("Kalcipos-D", ["calcium_carbonate", "cholecalciferol"]),
        ("Rifater", ["rifampin", "isoniazid", "pyrazinamide"]),
    ],
)
def test_combination_brand_lists_its_ingredients(brand: str, ingredients: list[str]) -> None:
    entry = _medication(_medication_terms()[brand.casefold()])
    assert entry.ingredients == ingredients


@pytest.mark.parametrize("brand", ["Hyzaar", "Zestoretic", "Diovan HCT", "Ziac", "Tenoretic"])
def test_thiazide_combinations_are_thiazides(brand: str) -> None:
    assert "thiazide" in _medication(_medication_terms()[brand.casefold()]).classes


def test_combination_classes_are_the_union_of_their_ingredients() -> None:
    for m in medications():
        if not m.ingredients:
            continue
        union = {c for ingredient in m.ingredients for c in _medication(ingredient).classes}
        assert set(m.classes) == union, m.id


def test_ingredients_refer_to_existing_entries() -> None:
    ids = {m.id for m in medications()}
    missing = [(m.id, i) for m in medications() for i in m.ingredients if i not in ids]
    assert missing == []


@pytest.mark.parametrize("entry_id", ["apixaban", "rivaroxaban", "edoxaban", "dabigatran"])
def test_doacs_are_anticoagulants_but_not_vitamin_k_antagonists(entry_id: str) -> None:
    classes = _medication(entry_id).classes
    assert "doac" in classes
    assert "anticoagulant" in classes
    assert "vitamin_k_antagonist" not in classes


@pytest.mark.parametrize(
    "entry_id", ["warfarin", "acenocoumarol", "phenprocoumon", "fluindione", "dicoumarol"]
)
def test_coumarins_and_indandiones_are_vitamin_k_antagonists(entry_id: str) -> None:
    assert {"vitamin_k_antagonist", "anticoagulant"} <= set(_medication(entry_id).classes)


@pytest.mark.parametrize(
    ("entry_id", "expected"),
    [
        ("ciprofloxacin", {"quinolone", "antibiotic"}),
        ("doxycycline", {"tetracycline", "antibiotic"}),
        ("ceftriaxone", {"antibiotic"}),
        ("amoxicillin_clavulanate", {"antibiotic"}),
        ("meropenem", {"antibiotic"}),
        ("zoledronic_acid", {"bisphosphonate_iv"}),
        ("alendronate", {"bisphosphonate"}),
        ("phenytoin", {"enzyme_inducing_anticonvulsant"}),
        ("rifampin", {"tuberculosis_drug"}),
        ("calcitriol", {"active_vitamin_d"}),
        ("cholecalciferol", {"vitamin_d_supplement"}),
        ("calcifediol", {"vitamin_d_supplement"}),
        ("menaquinone", {"vitamin_k_supplement"}),
        ("calcium_citrate", {"calcium_supplement"}),
        ("lithium", {"lithium"}),
        ("furosemide", {"diuretic_loop"}),
        ("magnesium_oxide", {"magnesium_supplement"}),
        ("magnesium_citrate", {"magnesium_supplement"}),
        ("magnesium_glycinate", {"magnesium_supplement"}),
        ("magnesium_chloride", {"magnesium_supplement"}),
        ("magnesium_hydroxide", {"magnesium_supplement"}),
        ("magnesium", {"magnesium_supplement"}),
        ("hydrocortisone", {"glucocorticoid"}),
        ("betamethasone", {"glucocorticoid"}),
    ],
)
def test_medication_has_exactly_its_classes(entry_id: str, expected: set[str]) -> None:
    assert set(_medication(entry_id).classes) == expected


@pytest.mark.parametrize(
    "entry_id",
    [
        "metformin",
        "lisinopril",
        "amlodipine",
        "sertraline",
        "hydromorphone",
        "levetiracetam",
        "budesonide_inhaled",
        "budesonide_nasal",
        "fluticasone",
        "fluticasone_nasal",
        "hydrocortisone_topical",
        "betamethasone_topical",
        "azithromycin",
        "semaglutide",
    ],
)
def test_everyday_medicines_are_recognised_without_a_class(entry_id: str) -> None:
    assert _medication(entry_id).classes == []


@pytest.mark.parametrize(
    ("term", "entry_id"),
    [
        ("hydrocortisone cream", "hydrocortisone_topical"),
        ("hydrocortisone 1% cream", "hydrocortisone_topical"),
        ("betamethasone valerate cream", "betamethasone_topical"),
        ("budesonide inhaler", "budesonide_inhaled"),
        ("budesonide nasal spray", "budesonide_nasal"),
        ("Rhinocort", "budesonide_nasal"),
        ("fluticasone nasal spray", "fluticasone_nasal"),
        ("Flonase", "fluticasone_nasal"),
    ],
)
def test_topical_inhaled_and_nasal_corticosteroids_are_not_glucocorticoids(
    term: str, entry_id: str
) -> None:
    # Separate entries without the (systemic) glucocorticoid class; the matcher takes the
    # longest name, so "hydrocortisone cream" is this entry and not systemic hydrocortisone.
    assert _medication_terms()[term.casefold()] == entry_id
    assert "glucocorticoid" not in _medication(entry_id).classes


@pytest.mark.parametrize(
    ("term", "entry_id"),
    [
        ("magnesium oxide", "magnesium_oxide"),
        ("magnesium citrate", "magnesium_citrate"),
        ("magnesium glycinate", "magnesium_glycinate"),
        ("magnesium bisglycinate", "magnesium_glycinate"),
        ("magnesium chloride", "magnesium_chloride"),
        ("milk of magnesia", "magnesium_hydroxide"),
        ("magnesium", "magnesium"),
    ],
)
def test_magnesium_products_are_magnesium_supplements(term: str, entry_id: str) -> None:
    # The class lets the engine count a "magnesium citrate 400 mg daily" medication line as
    # magnesium taken (CKD G4-G5 and supplemental-UL rules).
    assert _medication_terms()[term.casefold()] == entry_id
    assert "magnesium_supplement" in _medication(entry_id).classes


@pytest.mark.parametrize(
    ("term", "entry_id"),
    [
        ("esomeprazole magnesium", "esomeprazole"),
        ("omeprazole magnesium", "omeprazole"),
        ("pantoprazole magnesium", "pantoprazole"),
    ],
)
def test_a_drugs_magnesium_salt_names_the_drug(term: str, entry_id: str) -> None:
    assert _medication_terms()[term.casefold()] == entry_id
    assert "magnesium_supplement" not in _medication(entry_id).classes


def test_there_are_many_everyday_medicines_without_a_class() -> None:
    assert sum(1 for m in medications() if not m.classes) >= 80


def test_rxnorm_codes_are_digits_and_unique() -> None:
    codes = [c.code for m in medications() for c in m.codes if c.system == "rxnorm"]
    assert all(re.fullmatch(r"[1-9][0-9]{1,7}", code) for code in codes)
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize(
    ("rxcui", "entry_id"),
    [
        ("11289", "warfarin"),
        ("855332", "warfarin"),  # warfarin sodium 5 MG Oral Tablet
        ("202421", "warfarin"),  # Coumadin
        ("405155", "warfarin"),  # Jantoven
        ("154", "acenocoumarol"),
        ("8150", "phenprocoumon"),
        ("1364430", "apixaban"),
        ("1114195", "rivaroxaban"),
        ("5487", "hydrochlorothiazide"),
        ("3407", "digoxin"),
        ("8183", "phenytoin"),
        ("6038", "isoniazid"),
        ("198201", "rifampin"),  # rifampin 150 MG Oral Capsule
        ("36567", "simvastatin"),
        ("7646", "omeprazole"),
        ("2551", "ciprofloxacin"),
        ("979464", "losartan_hydrochlorothiazide"),
    ],
)
def test_rxnorm_code_names_the_expected_entry(rxcui: str, entry_id: str) -> None:
    assert _codes("rxnorm", medications())[rxcui] == entry_id


# --------------------------------------------------------------------------- conditions
CONDITION_CLASSES = [
    "chronic_kidney_disease",
    "dialysis",
    "kidney_transplant",
    "kidney_stones",
    "hypercalcemia",
    "hypercalciuria",
    "primary_hyperparathyroidism",
    "hypoparathyroidism",
    "granulomatous_disease",
    "lymphoma",
    "malabsorption",
    "liver_disease",
    "williams_syndrome",
    "idiopathic_infantile_hypercalcemia",
    "milk_alkali_syndrome",
    "osteoporosis",
    "osteopenia",
    "obesity",
    "atrial_fibrillation",
    "venous_thromboembolism",
    "mechanical_heart_valve",
    "heart_failure",
    "hypothyroidism",
    "epilepsy",
    "pregnancy",
    "lactation",
]


@pytest.mark.parametrize("condition_class", CONDITION_CLASSES)
def test_every_condition_class_has_members(condition_class: str) -> None:
    assert [c.id for c in conditions() if condition_class in c.classes]


def test_condition_classes_are_only_the_known_ones() -> None:
    used = {cls for c in conditions() for cls in c.classes}
    assert used <= set(CONDITION_CLASSES), used - set(CONDITION_CLASSES)


def test_no_condition_term_names_two_entries() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for c in conditions():
        for term in (*c.names, *c.abbreviations):
            owners[term.casefold()].add(c.id)
    assert {term: ids for term, ids in owners.items() if len(ids) > 1} == {}


@pytest.mark.parametrize(
    ("term", "entry_id", "stage"),
    [
        ("CKD 4", "ckd_stage_4", "G4"),
        ("CKD stage 3b", "ckd_stage_3b", "G3b"),
        ("chronic kidney disease stage 4", "ckd_stage_4", "G4"),
        ("CKD stage 3", "ckd_stage_3", "G3a"),
        ("CKD 3a", "ckd_stage_3a", "G3a"),
        ("CKD stage 1", "ckd_stage_1", "G1"),
        ("CKD 5", "ckd_stage_5", "G5"),
        ("ESRD", "end_stage_renal_disease", "G5"),
        ("on dialysis", "dialysis", "G5"),
        ("haemodialysis", "haemodialysis", "G5"),
        ("peritoneal dialysis", "peritoneal_dialysis", "G5"),
        ("ESRD on dialysis", "esrd_on_dialysis", "G5"),
        ("end stage kidney disease", "end_stage_renal_disease", "G5"),
        ("end-stage renal failure", "end_stage_renal_disease", "G5"),
        ("kidney failure", "end_stage_renal_disease", "G5"),
    ],
)
def test_kidney_terms_carry_their_stage(term: str, entry_id: str, stage: str) -> None:
    assert _condition_terms()[term.casefold()] == entry_id
    assert _condition(entry_id).ckd_stage == stage
    assert "chronic_kidney_disease" in _condition(entry_id).classes


@pytest.mark.parametrize(
    "term",
    [
        "CKD",
        "chronic kidney disease",
        "renal insufficiency",
        "chronic renal insufficiency",
        "renal failure",
        "chronic renal failure",
    ],
)
def test_unstaged_kidney_terms_are_ckd_without_a_stage(term: str) -> None:
    # No stage: the rule ckd-stage-unknown-vitamin-d-or-calcium asks for an eGFR.
    entry = _condition(_condition_terms()[term.casefold()])
    assert entry.id == "chronic_kidney_disease"
    assert entry.ckd_stage is None
    assert "chronic_kidney_disease" in entry.classes


@pytest.mark.parametrize(
    "term", ["acute renal failure", "acute kidney failure", "acute kidney injury", "AKI"]
)
def test_acute_kidney_injury_is_not_chronic_kidney_disease(term: str) -> None:
    # Its own entry, so that "acute renal failure" is not read as CKD via "renal failure"
    # (nor "acute kidney failure" as stage G5 via "kidney failure").
    entry = _condition(_condition_terms()[term.casefold()])
    assert entry.id == "acute_kidney_injury"
    assert entry.ckd_stage is None
    assert entry.classes == []


def test_at_risk_of_ckd_is_not_a_condition_term() -> None:
    assert "at risk of ckd" not in _condition_terms()


@pytest.mark.parametrize("term", ["HD", "PD"])
def test_ambiguous_dialysis_abbreviations_are_not_condition_terms(term: str) -> None:
    # HD: haemodialysis or Hodgkin/Huntington disease; PD: peritoneal dialysis or Parkinson's.
    assert term.casefold() not in _condition_terms()


def test_every_dialysis_entry_is_stage_g5() -> None:
    dialysis = [c for c in conditions() if "dialysis" in c.classes]
    assert len(dialysis) >= 3
    assert {c.ckd_stage for c in dialysis} == {"G5"}


def test_only_kidney_entries_carry_a_ckd_stage() -> None:
    staged = [c.id for c in conditions() if c.ckd_stage is not None]
    assert all("chronic_kidney_disease" in _condition(i).classes for i in staged)


@pytest.mark.parametrize(
    ("term", "entry_id", "condition_class"),
    [
        ("kidney stones", "nephrolithiasis", "kidney_stones"),
        ("sarcoid", "sarcoidosis", "granulomatous_disease"),
        ("TB", "tuberculosis", "granulomatous_disease"),
        ("Wegener's granulomatosis", "granulomatosis_with_polyangiitis", "granulomatous_disease"),
        ("celiac disease", "coeliac_disease", "malabsorption"),
        ("gastric bypass", "gastric_bypass", "malabsorption"),
        ("Hodgkin's disease", "hodgkin_lymphoma", "lymphoma"),
        ("cirrhosis", "cirrhosis", "liver_disease"),
        ("AFib", "atrial_fibrillation", "atrial_fibrillation"),
        ("DVT", "deep_vein_thrombosis", "venous_thromboembolism"),
        ("mechanical heart valve", "mechanical_heart_valve", "mechanical_heart_valve"),
        ("hypercalcaemia", "hypercalcaemia", "hypercalcemia"),
        ("PHPT", "primary_hyperparathyroidism", "primary_hyperparathyroidism"),
        ("renal transplant", "kidney_transplant", "kidney_transplant"),
        ("milk-alkali syndrome", "milk_alkali_syndrome", "milk_alkali_syndrome"),
        ("hypercalciuria", "hypercalciuria", "hypercalciuria"),
        ("idiopathic hypercalciuria", "hypercalciuria", "hypercalciuria"),
        ("high urine calcium", "hypercalciuria", "hypercalciuria"),
    ],
)
def test_condition_term_names_the_expected_entry_and_class(
    term: str, entry_id: str, condition_class: str
) -> None:
    assert _condition_terms()[term.casefold()] == entry_id
    assert condition_class in _condition(entry_id).classes


def test_unqualified_hyperparathyroidism_is_not_put_in_the_primary_class() -> None:
    assert _condition_terms()["hyperparathyroidism"] == "hyperparathyroidism"
    assert _condition("hyperparathyroidism").classes == []


@pytest.mark.parametrize(
    "entry_id", ["hypertension", "type_2_diabetes", "asthma", "gord", "rheumatoid_arthritis"]
)
def test_common_conditions_are_recognised_without_a_class(entry_id: str) -> None:
    assert _condition(entry_id).classes == []


def test_there_are_many_common_conditions_without_a_class() -> None:
    assert sum(1 for c in conditions() if not c.classes) >= 30


def test_snomed_ids_are_well_formed_with_a_valid_check_digit() -> None:
    ids = [k.code for c in conditions() for k in c.codes if k.system == "snomed"]
    assert ids
    assert all(re.fullmatch(r"[1-9][0-9]{5,17}", i) for i in ids)
    assert [i for i in ids if not verhoeff_valid(i)] == []


def test_icd10cm_codes_are_well_formed() -> None:
    codes = [k.code for c in conditions() for k in c.codes if k.system == "icd10cm"]
    assert codes
    pattern = re.compile(r"[A-TV-Z][0-9][0-9AB](\.[0-9A-Z]{1,4})?")
    assert [code for code in codes if not pattern.fullmatch(code)] == []


def test_condition_codes_name_one_entry_each() -> None:
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in conditions():
        for k in c.codes:
            owners[(k.system, k.code)].add(c.id)
    assert {code: ids for code, ids in owners.items() if len(ids) > 1} == {}


@pytest.mark.parametrize(
    ("system", "code", "entry_id"),
    [
        ("snomed", "431857002", "ckd_stage_4"),
        ("icd10cm", "N18.4", "ckd_stage_4"),
        ("icd10cm", "N18.32", "ckd_stage_3b"),
        ("icd10cm", "N18.6", "end_stage_renal_disease"),
        ("icd10cm", "Z99.2", "dialysis"),
        ("icd10cm", "Z94.0", "kidney_transplant"),
        ("snomed", "31541009", "sarcoidosis"),
        ("icd10cm", "D86.9", "sarcoidosis"),
        ("snomed", "66931009", "hypercalcaemia"),
        ("icd10cm", "E83.52", "hypercalcaemia"),
        ("icd10cm", "E21.0", "primary_hyperparathyroidism"),
        ("snomed", "49436004", "atrial_fibrillation"),
        ("icd10cm", "Q93.82", "williams_syndrome"),
        ("icd10cm", "Z87.442", "history_of_kidney_stones"),
        ("icd10cm", "R82.994", "hypercalciuria"),
        # N18 is the ICD-10-CM category (not billable): CKD without a stage.
        ("icd10cm", "N18", "chronic_kidney_disease"),
        ("icd10cm", "N17.9", "acute_kidney_injury"),
    ],
)
def test_condition_code_names_the_expected_entry(system: str, code: str, entry_id: str) -> None:
    assert _codes(system, conditions())[code] == entry_id


# --------------------------------------------------------------------------- labs
LAB_UNITS = {
    "25ohd": ["nmol/L", "ng/mL"],
    "calcium_total": ["mmol/L", "mg/dL", "mEq/L"],
    "calcium_ionized": ["mmol/L", "mg/dL", "mEq/L"],
    "egfr": ["mL/min/1.73m2"],
    "creatinine": ["umol/L", "mg/dL"],
    "creatinine_clearance": ["mL/min"],
    "pth": ["pmol/L", "pg/mL"],
    "phosphate": ["mmol/L", "mg/dL"],
    "magnesium": ["mmol/L", "mg/dL", "mEq/L"],
    "albumin": ["g/L", "g/dL"],
    "inr": ["{INR}"],
    "calcitriol_serum": ["pmol/L", "pg/mL"],
}


def test_lab_ids_are_exactly_the_expected_ones() -> None:
    assert sorted(lab.id for lab in labs()) == sorted(LAB_UNITS)


@pytest.mark.parametrize(("lab_id", "units"), sorted(LAB_UNITS.items()))
def test_lab_units_first_is_si(lab_id: str, units: list[str]) -> None:
    assert _lab(lab_id).units == units


def test_every_lab_has_a_loinc_code() -> None:
    assert all(any(c.system == "loinc" for c in lab.codes) for lab in labs())


def test_loinc_codes_are_well_formed_with_a_valid_check_digit() -> None:
    codes = [c.code for lab in labs() for c in lab.codes if c.system == "loinc"]
    assert all(re.fullmatch(r"[1-9][0-9]{0,5}-[0-9]", code) for code in codes)
    assert [code for code in codes if not loinc_check_digit_valid(code)] == []
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize(
    ("loinc", "lab_id"),
    [
        ("62292-8", "25ohd"),
        ("1989-3", "25ohd"),
        ("35365-6", "25ohd"),
        ("17861-6", "calcium_total"),
        ("2000-8", "calcium_total"),
        ("1994-3", "calcium_ionized"),
        ("12180-6", "calcium_ionized"),
        ("33914-3", "egfr"),
        ("62238-1", "egfr"),
        ("98979-8", "egfr"),
        ("2160-0", "creatinine"),
        ("2731-8", "pth"),
        ("2777-1", "phosphate"),
        ("19123-9", "magnesium"),
        ("2601-3", "magnesium"),
        ("1751-7", "albumin"),
        ("6301-6", "inr"),
        ("34714-6", "inr"),
        ("62290-2", "calcitriol_serum"),
    ],
)
def test_loinc_code_names_the_expected_lab(loinc: str, lab_id: str) -> None:
    assert _codes("loinc", labs())[loinc] == lab_id


@pytest.mark.parametrize(
    ("name", "lab_id"),
    [
        ("25(OH)D", "25ohd"),
        ("vitamin D", "25ohd"),
        ("calcidiol", "25ohd"),
        ("serum calcium", "calcium_total"),
        ("ionised calcium", "calcium_ionized"),
        ("eGFR", "egfr"),
        ("PTH", "pth"),
        ("INR", "inr"),
        ("1,25-dihydroxyvitamin D", "calcitriol_serum"),
    ],
)
def test_lab_name_names_the_expected_lab(name: str, lab_id: str) -> None:
    owners = {n.casefold(): lab.id for lab in labs() for n in lab.names}
    assert owners[name.casefold()] == lab_id


def test_no_lab_name_names_two_labs() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for lab in labs():
        for name in lab.names:
            owners[name.casefold()].add(lab.id)
    assert {n: ids for n, ids in owners.items() if len(ids) > 1} == {}


# --------------------------------------------------------------------------- references
def test_terminology_references_validate_and_cover_the_code_systems() -> None:
    refs = schema.References.model_validate(_load_yaml(TERMINOLOGY_YAML)).references
    ids = {r.id for r in refs}
    assert {"rxnorm", "snomed-ct", "icd-10-cm", "loinc", "atc"} <= ids


def test_medication_sources_cite_existing_references() -> None:
    ids = {
        r.id
        for path in sorted((DATA_DIR / "references").glob("*.yaml"))
        for r in schema.References.model_validate(_load_yaml(path)).references
    }
    cited = {s.ref for m in medications() for s in m.sources}
    assert cited
    assert cited <= ids, cited - ids
