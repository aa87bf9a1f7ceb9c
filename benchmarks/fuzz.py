"""Fuzz every door of the ``d3k2`` command with hostile input and print what happened.

Each target draws inputs with hypothesis and runs the command in-process (typer's
CliRunner, not a subprocess). A run is a *crash* when the exit code is not 0 or 2 (1 is an
internal error), when stderr is longer than :data:`MAX_STDERR_CHARS`, or when
``--format json`` succeeds with stdout that is not strict JSON (no NaN, no Infinity).

Per target it prints: inputs, exit-0 and exit-2 counts, crashes (must be 0), the slowest
input (its time and a truncated repr) and the peak resident memory of the process that
ran the target (each target runs in its own child process, so peaks do not add up).

    python benchmarks/fuzz.py                     # 10,000 inputs per target
    python benchmarks/fuzz.py --inputs 500        # a quick run
    python benchmarks/fuzz.py --targets sun,profile --seed 7

The test suite (tests/test_fuzz.py) runs the same targets with a small example count.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT / "src") not in sys.path:  # run from a clone without installing
    sys.path.insert(0, str(REPO_ROOT / "src"))

DEFAULT_INPUTS = 10_000
BATCH_INPUTS = 500
"""Inputs per hypothesis run (see fuzz_target)."""
TODAY = "2026-11-29"
MAX_STDERR_CHARS = 64 * 1024
"""Longest stderr accepted for one run: an error message is short, whatever the input."""
OK_OR_BAD_INPUT = frozenset({0, 2})
"""Exit codes a run may end with (errors.py): 0 success, 2 bad input; 1 is a bug."""
KNOWLEDGE_INVALID = 3
"""``knowledge validate --path FOLDER`` also exits 3 when FOLDER is not a valid base."""
SHOWN_INPUT_CHARS = 160
"""How much of the slowest input's repr is printed."""

# --------------------------------------------------------------------------- strategies
HOSTILE_CHARS = (
    "[]{}()<>:;,.-+*&!|>%@#'\"\\/`~=_ \t\n\r\x00\x01\x07\x1b\x7f\x85\u2028\ufeff"
    "µμ²³½IiUuGgMmLlKk0123456789eE"
)
hostile_text = st.text(alphabet=st.sampled_from(HOSTILE_CHARS) | st.characters(), max_size=40)
huge_ints = st.sampled_from([10**309, -(10**309), 10**20, 2**64, 10**4000])
numbers = st.one_of(
    st.integers(min_value=-10, max_value=200_000),
    st.floats(allow_nan=True, allow_infinity=True),
    huge_ints,
)
number_text = st.one_of(
    numbers.map(lambda n: repr(n) if isinstance(n, float) else str(n)),
    st.sampled_from(
        ["1,000", "50,000", "2,5", "1 000", "1'000", "1e400", "-0", ".5", "0", "1" + "0" * 400]
    ),
)


@st.composite
def _long_word(draw: st.DrawFn) -> str:
    return draw(st.sampled_from("xyz[")) * draw(st.integers(min_value=1, max_value=25_000))


def _vocabulary() -> dict[str, list[str]]:
    from d3k2.knowledge.loader import load_knowledge

    knowledge = load_knowledge()
    return {
        "medications": sorted({name for m in knowledge.medications for name in m.names[:2]}),
        "conditions": sorted({name for c in knowledge.conditions for name in c.names[:2]}),
        "labs": sorted({name for lab in knowledge.labs for name in lab.names[:2]}),
        "units": sorted({unit for lab in knowledge.labs for unit in lab.units}),
        "guidelines": sorted(knowledge.guidelines),
    }


VOCAB = _vocabulary()
AMOUNT_UNITS = ["IU", "iu", "units", "mcg", "µg", "ug", "mg", "g", "IE", "UI", "ml", "drops", ""]
FREQUENCIES = [
    "daily",
    "weekly",
    "monthly",
    "once",
    "twice weekly",
    "3 times daily",
    "every 2 weeks",
    "every 0 days",
    "every other day",
    "q2w",
    "biweekly",
    "bid",
    "1x/Woche",
    "täglich",
    "per day",
    "every 1" + "0" * 400 + " days",
    "",
]
NUTRIENT_WORDS = [
    "vitamin D3",
    "D3",
    "cholecalciferol",
    "[cholecalciferol]",
    "ergocalciferol",
    "vitamin K2",
    "MK-7",
    "calcium carbonate",
    "calcium",
    "magnesium",
    "Drisdol",
    "calcitriol",
    "multivitamin",
    "",
]


@st.composite
def regimen_text(draw: st.DrawFn) -> str:
    """Regimen phrases as people write them, with hostile pieces mixed in."""
    segments = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        pieces = [
            draw(st.sampled_from(NUTRIENT_WORDS)),
            draw(st.sampled_from(["", "2 x", "two", "1/2", "0 x"])),
            draw(number_text),
            draw(st.sampled_from(AMOUNT_UNITS)),
            draw(st.sampled_from(FREQUENCIES)),
            draw(st.sampled_from(["", "for 8 weeks", "for 0 days", "x 12 weeks", "for 3 doses"])),
        ]
        if draw(st.booleans()):
            pieces.insert(draw(st.integers(0, len(pieces))), draw(hostile_text))
        segments.append(" ".join(p for p in pieces if p))
    joiner = draw(st.sampled_from([", then ", "; ", " + ", " then ", " and "]))
    text = joiner.join(segments)
    if draw(st.integers(0, 20)) == 0:
        text += " " + draw(_long_word())
    return text


scalar = st.one_of(
    numbers, hostile_text, st.booleans(), st.none(), st.sampled_from(["2026-10-01", "2026-02-30"])
)
json_values = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=8,
)


def _quantity(units: Sequence[str]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.builds(lambda n, u: f"{n} {u}".strip(), number_text, st.sampled_from(units)),
        st.fixed_dictionaries({"value": numbers | number_text, "unit": st.sampled_from(units)}),
        numbers,
        json_values,
    )


lab_entry = st.one_of(
    st.fixed_dictionaries(
        {
            "test": st.sampled_from(VOCAB["labs"]) | hostile_text,
            "value": numbers | number_text,
            "unit": st.sampled_from(VOCAB["units"]) | hostile_text,
        },
        optional={
            "date": st.sampled_from(["2026-10-01", "2027-01-01", "10/01/2026", ""]),
            "loinc": st.sampled_from(["1989-3", "0000-0", ""]),
            "flag": hostile_text,
        },
    ),
    json_values,
)
structured_plan_item = st.fixed_dictionaries(
    {
        "nutrient": st.sampled_from(NUTRIENT_WORDS) | hostile_text,
        "amount": numbers | number_text,
        "unit": st.sampled_from(AMOUNT_UNITS),
        "every": st.sampled_from(["day", "week", "month", "2 weeks", "once", "fortnight", ""]),
    },
    optional={"times": numbers, "form": hostile_text, "for": st.sampled_from(["8 weeks", "x"])},
)
profile_dicts = st.fixed_dictionaries(
    {  # mostly readable, so that the fuzzer also reaches the report and its renderers
        "age": st.integers(min_value=1, max_value=100)
        | st.sampled_from(["9 months", "67 years", "0"])
        | numbers
        | number_text
        | json_values,
        "sex": st.sampled_from(["female", "male", "F", "other", ""]) | hostile_text,
    },
    optional={
        "birth_date": st.sampled_from(["1960-05-01", "2030-01-01", "0001-01-01"]),
        "as_of": st.sampled_from(["2026-11-29", "9999-12-31", "0001-01-01"]),
        "pregnant": st.booleans() | hostile_text,
        "lactating": st.booleans() | hostile_text,
        "weight": _quantity(["kg", "lb", "lbs", "g", ""]),
        "height": st.sampled_from(["170 cm", "1.70 m", "5 ft 7 in", "0 cm"]) | number_text,
        "bmi": numbers | number_text,
        "conditions": st.lists(st.sampled_from(VOCAB["conditions"]) | hostile_text, max_size=4),
        "medications": st.lists(
            st.sampled_from(VOCAB["medications"]) | regimen_text() | hostile_text, max_size=5
        ),
        "labs": st.lists(lab_entry, max_size=4),
        "diet": st.dictionaries(
            st.sampled_from(["calcium", "vitamin_d", "vitamin_k", "magnesium", "iron"]),
            _quantity(["mg", "mcg", "IU", ""]),
            max_size=3,
        ),
        "plan": st.lists(regimen_text() | structured_plan_item | json_values, max_size=4),
        "options": st.fixed_dictionaries({"guideline": st.sampled_from(VOCAB["guidelines"])})
        | json_values,
        "name": hostile_text,
        "mrn": json_values,
    },
)

REAL_REGIMENS = [
    "vitamin D3 1000 IU daily",
    "vitamin D3 50,000 IU weekly for 8 weeks, then 2000 IU daily",
    "vitamin K2 MK-7 100 mcg daily",
    "calcium carbonate 500 mg twice daily",
    "magnesium 200 mg daily",
    "D3 [cholecalciferol] 800 IU daily",
]
VITAMIN_D_REGIMENS = [
    "vitamin D3 1000 IU daily",
    "2000 IU daily",
    "vitamin D3 50,000 IU weekly for 8 weeks, then 2000 IU daily",
    "D3 4000 IU daily for 12 weeks",
    "cholecalciferol 20,000 IU every 2 weeks",
]
readable_profile_dicts = st.fixed_dictionaries(
    {
        "age": st.integers(min_value=1, max_value=100),
        "sex": st.sampled_from(["female", "male"]),
    },
    optional={
        "weight": st.integers(min_value=3, max_value=200).map(lambda n: f"{n} kg"),
        "conditions": st.lists(st.sampled_from(VOCAB["conditions"]), max_size=3),
        "medications": st.lists(
            st.sampled_from(VOCAB["medications"] + REAL_REGIMENS) | hostile_text, max_size=4
        ),
        "labs": st.lists(
            st.fixed_dictionaries(
                {
                    "test": st.sampled_from(["25-hydroxyvitamin D", "calcium", "eGFR"]),
                    "value": st.floats(min_value=0.5, max_value=120),
                    "unit": st.sampled_from(["ng/mL", "mmol/L", "mL/min/1.73m2"]),
                }
            ),
            max_size=3,
        ),
        "plan": st.lists(st.sampled_from(REAL_REGIMENS) | regimen_text(), max_size=3),
        "name": hostile_text,
    },
)
"""Profiles that mostly read, so that the report and its renderers see hostile text."""

YAML_TAGS = [
    "!!set {a, b}",
    "!!bool maybe",
    "!!int",
    "!!float x",
    "!!binary aGVsbG8=",
    "!!timestamp 2026-13-45",
    "!!python/object/apply:os.system [echo]",
    "!foo bar",
    "!!str 67",
    "!!omap [a: 1]",
]
ALIAS_BOMB = "".join(
    f"l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else 'lol'] * 9)}]\n" for i in range(9)
)
"""Nine levels of nine aliases: 342 bytes that would expand to 387 million strings."""


def _dump_yaml(data: Any) -> str:
    import io

    from ruamel.yaml import YAML

    stream = io.StringIO()
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.dump(data, stream)
    return stream.getvalue()


@st.composite
def profile_text(draw: st.DrawFn) -> str:
    """A profile file: YAML or JSON text of a fuzzed profile, then perhaps mutated."""
    data = draw(readable_profile_dicts | profile_dicts)
    if draw(st.booleans()):
        text = json.dumps(data, ensure_ascii=draw(st.booleans()))  # NaN/Infinity included
    else:
        try:
            text = _dump_yaml(data)
        except Exception:  # a value the emitter cannot write: fall back to JSON
            text = json.dumps(data)
    mutation = draw(
        st.sampled_from(
            ["none"] * 4
            + ["insert", "delete", "deep", "tag", "alias", "long", "digits", "control", "big"]
        )
    )
    position = draw(st.integers(min_value=0, max_value=len(text)))
    if mutation == "insert":
        text = text[:position] + draw(hostile_text) + text[position:]
    elif mutation == "delete":
        text = text[:position] + text[position + draw(st.integers(1, 20)) :]
    elif mutation == "deep":
        depth = draw(st.integers(min_value=1, max_value=5000))
        text += f"\nx: {'[' * depth}{']' * depth}\n"
    elif mutation == "tag":
        text += f"\n{draw(st.sampled_from(['age', 'sex', 'labs', 'plan', 'pregnant']))}: "
        text += draw(st.sampled_from(YAML_TAGS)) + "\n"
    elif mutation == "alias":
        text = draw(st.sampled_from([ALIAS_BOMB, "a: &x\n  b: *x\n", "a: &x 1\nb: *x\n"])) + text
    elif mutation == "long":
        text += f"\nname: {draw(_long_word())}\n"
    elif mutation == "digits":
        text += f"\nweight: {{value: {'9' * draw(st.integers(300, 6000))}, unit: kg}}\n"
    elif mutation == "control":
        text = text[:position] + chr(draw(st.integers(0, 31))) + text[position:]
    elif mutation == "big":
        text += "\n# " + "x" * (1024 * 1024) + "\n"
    return text


# --------------------------------------------------------------------------- running
@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str
    seconds: float


def invoke(args: Sequence[str], files: dict[str, str] | None = None) -> Outcome:
    """Run ``d3k2 ARGS`` in-process; ``{name}`` in an argument is replaced by the path of a
    temporary file holding ``files[name]``."""
    from typer.testing import CliRunner

    from d3k2.cli import app

    with tempfile.TemporaryDirectory(prefix="d3k2-fuzz-") as folder:
        paths = {}
        for name, text in (files or {}).items():
            path = Path(folder) / name
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
            paths[name] = str(path)
        real_args = [paths.get(a, a) for a in args]
        start = time.perf_counter()
        result = CliRunner().invoke(app, real_args)
        seconds = time.perf_counter() - start
    return Outcome(result.exit_code, result.stdout, result.stderr, seconds)


def _strict_json(text: str) -> None:
    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not JSON")

    json.loads(text, parse_constant=refuse)


def problems_of(
    outcome: Outcome, *, json_output: bool, allowed_exit_codes: frozenset[int] = OK_OR_BAD_INPUT
) -> list[str]:
    """Why this run counts as a crash (empty: it does not)."""
    problems = []
    if outcome.exit_code not in allowed_exit_codes:
        problems.append(f"exit {outcome.exit_code}: {outcome.stderr[-300:]!r}")
    if len(outcome.stderr) > MAX_STDERR_CHARS:
        problems.append(f"stderr of {len(outcome.stderr):,} characters")
    if json_output and outcome.exit_code == 0:
        try:
            _strict_json(outcome.stdout)
        except ValueError as error:
            problems.append(f"stdout is not strict JSON: {error}")
    return problems


@dataclass(frozen=True)
class Case:
    """One input: the arguments, the files they name, and whether stdout must be JSON."""

    args: tuple[str, ...]
    files: tuple[tuple[str, str], ...] = ()

    @property
    def json_output(self) -> bool:
        args = list(self.args)
        for flag in ("--format", "-f"):
            if flag in args and args.index(flag) + 1 < len(args):
                return args[args.index(flag) + 1] == "json"
        return False

    @property
    def allowed_exit_codes(self) -> frozenset[int]:
        if self.args[:2] == ("knowledge", "validate"):
            return OK_OR_BAD_INPUT | {KNOWLEDGE_INVALID}
        return OK_OR_BAD_INPUT

    def problems(self, outcome: Outcome) -> list[str]:
        return problems_of(
            outcome, json_output=self.json_output, allowed_exit_codes=self.allowed_exit_codes
        )

    def run(self) -> Outcome:
        return invoke(self.args, dict(self.files))

    def short_repr(self) -> str:
        text = repr((self.args, self.files))
        if len(text) <= SHOWN_INPUT_CHARS:
            return text
        return text[: SHOWN_INPUT_CHARS - 1] + f"… ({len(text):,} chars)"


formats = st.sampled_from(["text", "json"])


def _assess_case(text: str, output_format: str) -> Case:
    return Case(
        ("assess", "profile.yaml", "--format", output_format, "--today", TODAY),
        (("profile.yaml", text),),
    )


def _regimen_case(text: str, output_format: str, door: str) -> Case:
    if door == "project":
        return Case(
            ("project", "--baseline", "18 ng/mL", "--regimen", text, "--format", output_format)
        )
    profile = json.dumps({"age": 50, "sex": "female", door: [text]})
    return _assess_case(profile, output_format)


def _options(pairs: dict[str, Any]) -> tuple[str, ...]:
    args: list[str] = []
    for option, value in pairs.items():
        if isinstance(value, bool):
            args.append(option if value else option.replace("--", "--no-", 1))
        else:
            args += [option, value]
    return tuple(args)


OptionSpec = tuple[st.SearchStrategy[Any], Sequence[str]]
"""An option's usual values, and its edge values (out of range, ends of the calendar…)."""


def _spec(usual: Sequence[str] | st.SearchStrategy[Any], edges: Sequence[str] = ()) -> OptionSpec:
    strategy = usual if isinstance(usual, st.SearchStrategy) else st.sampled_from(list(usual))
    return strategy, edges


@st.composite
def command_case(
    draw: st.DrawFn,
    command: str,
    required: dict[str, OptionSpec],
    optional: dict[str, OptionSpec],
    output_formats: Sequence[str] = ("text", "json"),
) -> Case:
    """Usual values for every required option and some optional ones, then a few options
    (none, at first) replaced by an edge value, a number as text or hostile text."""
    chosen = {name: draw(spec[0]) for name, spec in required.items()}
    for name in draw(st.lists(st.sampled_from(sorted(optional)), unique=True, max_size=4)):
        chosen[name] = draw(optional[name][0])
    specs = required | optional
    for name in draw(st.lists(st.sampled_from(sorted(specs)), unique=True, max_size=3)):
        if isinstance(chosen.get(name), bool):
            continue
        edges = list(specs[name][1])
        bad = st.sampled_from(edges) | number_text if edges else number_text
        if name == "--regimen":
            bad = bad | regimen_text()
        chosen[name] = draw(bad | hostile_text)
    output_format = draw(st.sampled_from(list(output_formats)))
    return Case((command, *_options(chosen), "--format", output_format))


project_case = command_case(
    "project",
    {
        "--baseline": _spec(["18 ng/mL", "45 nmol/L", "30 ng/mL"], ["0 ng/mL", "18", "-5 ng/mL"]),
        "--regimen": _spec(VITAMIN_D_REGIMENS, ["D3 1000 IU every 0 days", "calcium 500 mg"]),
    },
    {
        "--weight": _spec(["82 kg", "180 lb"], ["0 kg", "1e12 kg"]),
        "--bmi": _spec(["25", "31.5"], ["-1", "1e308", "nan"]),
        "--age": _spec(["50", "8"], ["0", "130", "inf"]),
        "--days": _spec(["30", "365"], ["0", "100000", "-1"]),
        "--target": _spec(["30 ng/mL", "75 nmol/L"], ["0 ng/mL", "1e308 ng/mL"]),
        "--baseline-date": _spec(["2026-01-15", "2026-07-01"], ["0001-01-01", "9999-12-31"]),
        "--latitude": _spec(["52", "-33"], ["91", "-90", "nan"]),
        "--background": _spec(["400 IU", "0 IU"], ["1e308 IU", "-400 IU"]),
        "--start": _spec(["2026-02-01"], ["9999-12-31", "2025-01-01"]),
    },
)
plan_dose_case = command_case(
    "plan-dose",
    {
        "--baseline": _spec(["18 ng/mL", "45 nmol/L", "10 ng/mL"], ["0 ng/mL", "-1 ng/mL"]),
        "--target": _spec(["30 ng/mL", "75 nmol/L"], ["300 ng/mL", "1e308 ng/mL"]),
    },
    {
        "--weight": _spec(["82 kg", "25 kg"], ["0 kg", "9 kg", "1e12 lb"]),
        "--bmi": _spec(["25"], ["1e308", "0"]),
        "--age": _spec(["50", "10", "75"], ["0.5", "130", "-1"]),
        "--sex": _spec(["female", "male"], ["x", ""]),
        "--supervised": _spec(st.booleans()),
        "--pregnant": _spec(st.booleans()),
        "--lactating": _spec(st.booleans()),
    },
)
sun_case = command_case(
    "sun",
    {
        "--lat": _spec(["52.4", "-33.9", "0", "78"], ["-90", "90", "1e308", "nan", "91"]),
        "--lon": _spec(["4.9", "-70", "151.2"], ["-180", "180", "inf", "181"]),
        "--date": _spec(
            ["2026-06-21", "2026-12-21", "2026-03-20"],
            ["0001-01-01", "9999-12-31", "1900-01-01", "2100-12-31", "2026-02-30"],
        ),
        "--skin-type": _spec(["I", "III", "6"], ["VII", "0"]),
        "--exposed": _spec(["25%", "40"], ["0.25", "100%", "0%", "1e308%"]),
        "--minutes": _spec(["20", "45"], ["0", "1440", "1e308", "-1"]),
    },
    {
        "--time": _spec(["12:30", "noon", "09:00"], ["00:00", "23:59:59", "25:00"]),
        "--tz": _spec(["solar", "UTC", "Europe/Amsterdam"], ["+14:00", "-12:00", "Mars/Base"]),
        "--uv-index": _spec(["6", "2"], ["0", "45", "1e308", "1e-300"]),
        "--ozone": _spec(["300", "280"], ["1e-300", "50", "1000", "1e308"]),
        "--altitude": _spec(["0", "1500"], ["-500", "6000", "-501", "1e308", "nan"]),
        "--cloud": _spec(["1", "0.6"], ["0", "1.5", "-0.1", "1e308"]),
    },
    ("text", "json", "xml"),
)
small_command_case = st.one_of(
    st.builds(lambda f: Case(("sources", "--format", f)), st.sampled_from(["text", "json", "x"])),
    st.builds(
        lambda f: Case(("knowledge", "rules", "--format", f)), st.sampled_from(["text", "json"])
    ),
    st.builds(lambda p: Case(("knowledge", "validate", "--path", p)), hostile_text),
    st.builds(lambda p: Case(("knowledge", "validate", "--path", p)), _long_word()),
    st.builds(lambda p: Case(("assess", p)), hostile_text | _long_word()),
    st.just(Case(("version",))),
    st.builds(lambda a: Case(tuple(a)), st.lists(hostile_text, max_size=3)),
)


def _file_command_case(text: str, output_format: str, command: str) -> Case:
    return Case((command, "input.yaml", "--format", output_format), (("input.yaml", text),))


diet_label_case = st.builds(
    _file_command_case,
    profile_text() | hostile_text,
    formats,
    st.sampled_from(["diet", "label"]),
)


@dataclass(frozen=True)
class Target:
    name: str
    strategy: st.SearchStrategy[Case]
    ci_examples: int
    """Examples in the test suite (small, so the suite stays fast)."""


TARGETS: tuple[Target, ...] = (
    Target("profile", st.builds(_assess_case, profile_text(), formats), 50),
    Target(
        "regimen",
        st.builds(
            _regimen_case,
            regimen_text(),
            formats,
            st.sampled_from(["plan", "medications", "project"]),
        ),
        40,
    ),
    Target("project", project_case, 15),
    Target("plan-dose", plan_dose_case, 15),
    Target("sun", sun_case, 30),
    Target("sources-knowledge-version", small_command_case, 10),
    Target("diet-label", diet_label_case, 20),
)
"""Every command: assess (profile, regimen), project, plan-dose, sun, sources, knowledge,
version, diet and label (their files). ``knowledge validate`` of the bundled base is slow
and is run only with --path."""


# --------------------------------------------------------------------------- statistics
@dataclass
class Stats:
    target: str
    inputs: int = 0
    exit_0: int = 0
    exit_2: int = 0
    crashes: int = 0
    crash_examples: list[str] = field(default_factory=list)
    slowest_seconds: float = 0.0
    slowest_input: str = ""
    peak_rss_mib: float = 0.0
    largest_rss_rise_mib: float = 0.0
    largest_rss_rise_input: str = ""
    input_peak_mib: float = 0.0
    input_peak_input: str = ""
    seconds: float = 0.0

    def add(self, case: Case, outcome: Outcome, rss_rise_mib: float = 0.0) -> None:
        self.inputs += 1
        if rss_rise_mib > self.largest_rss_rise_mib:
            self.largest_rss_rise_mib = rss_rise_mib
            self.largest_rss_rise_input = case.short_repr()
        self.exit_0 += outcome.exit_code == 0
        self.exit_2 += outcome.exit_code == 2
        problems = case.problems(outcome)
        if problems:
            self.crashes += 1
            if len(self.crash_examples) < 5:
                self.crash_examples.append(f"{case.short_repr()} -> {'; '.join(problems)}")
        if outcome.seconds > self.slowest_seconds:
            self.slowest_seconds = outcome.seconds
            self.slowest_input = case.short_repr()


def fuzz_target(
    target: Target, inputs: int, random_seed: int, *, trace_memory: bool = False
) -> Stats:
    """Run ``inputs`` hypothesis-drawn inputs of ``target``; never stops on a crash.
    ``trace_memory``: also measure, with tracemalloc (slower), the most Python memory any
    single input allocated at once."""
    stats = Stats(target.name)
    if trace_memory:
        tracemalloc.start()
    # Warm up (knowledge base, vocabularies, imports) so that the first input is not
    # charged for them.
    Case(("version",)).run()
    Case(
        ("assess", "p.yaml", "--format", "json", "--today", TODAY),
        (("p.yaml", "age: 50\nsex: female\nmedications: [warfarin]\n"),),
    ).run()
    start = time.perf_counter()

    def run(case: Case) -> None:
        before = _peak_rss_mib()
        if trace_memory:
            tracemalloc.reset_peak()
            traced_before = tracemalloc.get_traced_memory()[0]
        outcome = case.run()
        if trace_memory:
            input_peak_mib = (tracemalloc.get_traced_memory()[1] - traced_before) / 2**20
            if input_peak_mib > stats.input_peak_mib:
                stats.input_peak_mib = input_peak_mib
                stats.input_peak_input = case.short_repr()
        stats.add(case, outcome, _peak_rss_mib() - before)

    # Hypothesis remembers every example of a run (hundreds of MiB over 10,000 profiles):
    # batches, each its own run with its own seed, keep that out of the peak memory.
    for batch, first in enumerate(range(0, inputs, BATCH_INPUTS)):
        count = min(BATCH_INPUTS, inputs - first)
        settings(
            max_examples=count,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )(seed(random_seed * 1_000_003 + batch)(given(case=target.strategy)(run)))()
    stats.seconds = time.perf_counter() - start
    stats.peak_rss_mib = _peak_rss_mib()
    return stats


def _peak_rss_mib() -> float:
    """Peak resident memory of this (child) process so far; ru_maxrss is KiB on Linux."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(target_name: str, inputs: int, random_seed: int, trace_memory: bool) -> Stats:
    target = next(t for t in TARGETS if t.name == target_name)
    return fuzz_target(target, inputs, random_seed, trace_memory=trace_memory)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--inputs", type=int, default=DEFAULT_INPUTS, help="inputs per target (10,000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument(
        "--targets",
        default=",".join(t.name for t in TARGETS),
        help="comma-separated targets: " + ", ".join(t.name for t in TARGETS),
    )
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="also measure each input's own peak of Python memory (tracemalloc; slower)",
    )
    options = parser.parse_args(argv)
    names = [n.strip() for n in options.targets.split(",") if n.strip()]
    unknown = sorted(set(names) - {t.name for t in TARGETS})
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")
    print(f"d3k2 fuzz: {options.inputs:,} inputs per target, seed {options.seed}")
    header = (
        f"{'target':<27}{'inputs':>8}{'exit 0':>8}{'exit 2':>8}{'crashes':>8}"
        f"{'slowest s':>10}{'peak MiB':>9}{'total s':>9}  slowest input"
    )
    print(header)
    total_crashes = 0
    context = multiprocessing.get_context("fork")
    for name in names:
        with context.Pool(1) as pool:  # one child per target: its own peak memory
            stats = pool.apply(_child, (name, options.inputs, options.seed, options.trace_memory))
        total_crashes += stats.crashes
        print(
            f"{stats.target:<27}{stats.inputs:>8,}{stats.exit_0:>8,}{stats.exit_2:>8,}"
            f"{stats.crashes:>8,}{stats.slowest_seconds:>10.2f}{stats.peak_rss_mib:>9.0f}"
            f"{stats.seconds:>9.0f}  {stats.slowest_input}",
            flush=True,
        )
        if options.trace_memory:
            print(
                f"    most Python memory one input took: {stats.input_peak_mib:.1f} MiB "
                f"on {stats.input_peak_input}"
            )
        if stats.largest_rss_rise_mib >= 1:
            print(
                f"    largest rise of the peak memory: {stats.largest_rss_rise_mib:.0f} MiB "
                f"on {stats.largest_rss_rise_input}"
            )
        for example in stats.crash_examples:
            print(f"    CRASH {example}")
    print("crashes: " + ("none" if total_crashes == 0 else f"{total_crashes} (must be 0)"))
    return 1 if total_crashes else 0


if __name__ == "__main__":
    sys.exit(main())
