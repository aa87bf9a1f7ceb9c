"""Tests of the ``d3k2 sun`` command (typer CliRunner on a local app with register())."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import typer
from typer.testing import CliRunner

from d3k2.cli.sun import register
from d3k2.core.screening.model import DISCLAIMER
from d3k2.errors import InputError
from d3k2.reading.sun_options import moment_utc, parse_percent, parse_skin_type, parse_zone

EXAMPLE = [
    "sun",
    "--lat",
    "52.4",
    "--lon",
    "4.9",
    "--date",
    "2026-06-21",
    "--time",
    "12:30",
    "--skin-type",
    "III",
    "--exposed",
    "25%",
    "--minutes",
    "20",
]


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    application = typer.Typer()
    register(application)

    @application.callback()
    def _root() -> None:
        """d3k2 (test harness)."""

    return application


def run(app: typer.Typer, *args: str) -> tuple[int, str, BaseException | None]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output, result.exception


def test_issue_example_text(app: typer.Typer) -> None:
    code, output, _ = run(app, *EXAMPLE, "--uv-index", "6")
    assert code == 0
    assert DISCLAIMER in output
    # Skin type III (300 J/m2) at UVI 6: 300 / (6 x 0.025 W/m2) / 60 s = 33 min.
    assert "Sunburn (one MED) for skin type III at UV index 6.0 comes after about 33 min" in output
    assert "Oral equivalent" in output


def test_json_has_the_documented_fields(app: typer.Typer) -> None:
    code, output, _ = run(app, *EXAMPLE, "--uv-index", "6", "--format", "json")
    assert code == 0
    data = json.loads(output)
    for key in (
        "solar_zenith_deg",
        "uv_index",
        "uv_index_source",
        "vitamin_d_weighted_dose_j_m2",
        "oral_equivalent_iu",
        "minutes_to_med",
        "warnings",
        "sources",
    ):
        assert key in data
    assert data["uv_index_source"] == "given"
    assert data["uv_index"] == 6
    assert data["minutes_to_med"] == pytest.approx(33.3, abs=0.05)
    assert data["oral_equivalent_iu"]["low"] <= data["oral_equivalent_iu"]["high"]
    assert {"id", "citation", "url", "locator"} <= set(data["sources"][0])
    assert all(s["url"].startswith("http") for s in data["sources"])
    assert data["disclaimer"] == DISCLAIMER
    for key in ("daylight_minutes_left", "noon_solar_zenith_deg", "vitamin_d_winter"):
        assert key in data


def test_text_sources_show_id_locator_and_url(app: typer.Typer) -> None:
    code, output, _ = run(app, *EXAMPLE, "--uv-index", "6")
    assert code == 0
    sources = output.split("\nSources\n", 1)[1].splitlines()
    assert sources
    assert (
        "  - webb-kline-holick1988: Results (Boston: none November to February) "
        "https://doi.org/10.1210/jcem-67-2-373"
    ) in sources
    assert all(line.startswith("  - ") and " http" in line for line in sources)


def test_amsterdam_early_morning_in_june_gives_vitamin_d(app: typer.Typer) -> None:
    # Reviewer's case: 07:30 (solar time), UVI 2.6, 73 min = 95% of one MED for type III.
    args = [*EXAMPLE, "--time", "07:30", "--minutes", "73", "--uv-index", "2.6"]
    code, output, _ = run(app, *args, "--format", "json")
    assert code == 0
    data = json.loads(output)
    assert data["fraction_of_med"] == pytest.approx(0.95, abs=0.005)
    assert data["little_or_no_vitamin_d"] is False
    assert data["oral_equivalent_iu"]["low"] > 0
    # The plan approaches the burn time: the clear warning stays.
    assert "burn-time" in [w["code"] for w in data["warnings"]]
    code, text, _ = run(app, *args)
    assert "little or no vitamin D" not in text
    assert "Time to sunburn    about 77 min" in text


def test_oslo_in_january_has_no_impossible_burn_warning(app: typer.Typer) -> None:
    args = [*EXAMPLE, "--lat", "59.91", "--lon", "10.75", "--date", "2026-01-15"]
    args += ["--time", "noon", "--skin-type", "II"]
    code, output, _ = run(app, *args)
    assert code == 0
    assert "cover up" not in output
    assert "Sunburn is unlikely" in output
    assert "more than the daylight left" in output
    assert "Vitamin D winter" in output


def test_clear_sky_estimate_without_uv_index(app: typer.Typer) -> None:
    code, output, _ = run(app, *EXAMPLE, "--ozone", "300", "--format", "json")
    assert code == 0
    data = json.loads(output)
    assert data["uv_index_source"] == "clear-sky"
    assert data["ozone_du"] == 300
    assert "clear-sky-estimate" in [w["code"] for w in data["warnings"]]


def test_winter_at_high_latitude_says_little_or_no_vitamin_d(app: typer.Typer) -> None:
    # Engelsen 2005: no synthesis at 51 N and higher in part of the year (clear sky).
    args = [*EXAMPLE, "--format", "json"]
    args[args.index("2026-06-21")] = "2026-12-21"
    code, output, _ = run(app, *args)
    assert code == 0
    data = json.loads(output)
    assert data["little_or_no_vitamin_d"] is True
    assert data["oral_equivalent_iu"]["low"] == 0


def test_default_time_is_solar_noon() -> None:
    # At 15 E on 2026-11-03 solar noon is 11:00 UTC less the equation of time (~16.4 min).
    when = moment_utc(dt.date(2026, 11, 3), None, None, 15.0)
    expected = dt.datetime(2026, 11, 3, 10, 43, 36, tzinfo=dt.UTC)
    assert abs(when - expected) < dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("zone", "expected_utc"),
    [
        ("solar", dt.datetime(2026, 6, 21, 12, 10, 24, tzinfo=dt.UTC)),  # 4.9 E: -19.6 min
        ("UTC", dt.datetime(2026, 6, 21, 12, 30, tzinfo=dt.UTC)),
        ("+02:00", dt.datetime(2026, 6, 21, 10, 30, tzinfo=dt.UTC)),
        ("Europe/Amsterdam", dt.datetime(2026, 6, 21, 10, 30, tzinfo=dt.UTC)),  # CEST
    ],
)
def test_time_zone_options(zone: str, expected_utc: dt.datetime) -> None:
    when = moment_utc(dt.date(2026, 6, 21), dt.time(12, 30), parse_zone(zone), 4.9)
    assert when == expected_utc


def test_lenient_spellings() -> None:
    assert parse_skin_type("3") == "III"
    assert parse_skin_type("iv") == "IV"
    assert parse_percent("25%") == 25.0
    assert parse_percent(" 40 ") == 40.0
    assert parse_percent("1.5") == 1.5


@pytest.mark.parametrize(("text", "percent"), [("0.25", "25"), ("0.4", "40"), ("1", "100")])
def test_exposed_fraction_without_percent_sign_is_refused(text: str, percent: str) -> None:
    # 0.25 is almost certainly a fraction (25%), not 0.25% of the skin.
    with pytest.raises(InputError) as raised:
        parse_percent(text)
    assert raised.value.where == "exposed"  # the request field; the CLI names --exposed
    assert "looks like a fraction" in raised.value.message
    assert raised.value.hint is not None
    assert raised.value.hint.startswith(f"write {percent}% or {percent};")
    assert f"write {text}%" in raised.value.hint


def test_small_exposed_share_is_accepted_with_an_explicit_percent_sign() -> None:
    assert parse_percent("0.25%") == 0.25
    assert parse_percent("1 %") == 1.0


def test_exposed_fraction_exits_2_with_the_hint() -> None:
    cli = pytest.importorskip("d3k2.cli")
    args = [*EXAMPLE]
    args[args.index("--exposed") + 1] = "0.25"
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 2
    assert "--exposed" in result.output
    assert "write 25% or 25" in result.output


def test_uv_index_given_while_the_sun_is_down_gives_zero(app: typer.Typer) -> None:
    # Reviewer's case: 23:00 (solar time) in Amsterdam in June with --uv-index 6.
    args = [*EXAMPLE, "--time", "23:00", "--uv-index", "6"]
    code, output, _ = run(app, *args, "--format", "json")
    assert code == 0
    data = json.loads(output)
    assert data["uv_index"] == 0
    assert data["uv_index_ignored"] == 6
    assert data["oral_equivalent_iu"] == {"low": 0, "central": 0, "high": 0}
    codes = [w["code"] for w in data["warnings"]]
    assert codes[0] == "uv-index-at-night"
    assert "burn-time" not in codes
    code, text, _ = run(app, *args)
    assert "The sun is down at that place and time" in text
    assert "UV index           0.0 (given 6 ignored: the sun is down)" in text
    assert "Oral equivalent    about 0 IU (range 0-0 IU)" in text


def test_low_midnight_sun_is_not_called_winter(app: typer.Typer) -> None:
    # 89 N on 25 March: the sun circles just above the horizon all day.
    args = [*EXAMPLE, "--lat", "89", "--lon", "0", "--date", "2026-03-25", "--time", "noon"]
    code, output, _ = run(app, *args)
    assert code == 0
    assert "winter" not in output.lower()
    assert "The sun stays low: little vitamin D is made." in output
    assert "midnight sun, but the sun stays low" in output
    code, output, _ = run(app, *args, "--format", "json")
    data = json.loads(output)
    assert data["vitamin_d_winter"] is False
    assert data["midnight_sun"] is True
    assert data["little_or_no_vitamin_d"] is True
    assert data["oral_equivalent_iu"]["central"] == 0


@pytest.mark.parametrize(
    ("option", "value", "where"),
    [
        ("--lat", "91", "--lat"),
        ("--lat", "-90.5", "--lat"),
        ("--lon", "181", "--lon"),
        ("--date", "2026-02-30", "--date"),
        ("--time", "25:00", "--time"),
        ("--tz", "Mars/Olympus", "--tz"),
        ("--skin-type", "VII", "--skin-type"),
        ("--exposed", "0%", "--exposed"),
        ("--exposed", "120%", "--exposed"),
        ("--exposed", "lots", "--exposed"),
        ("--exposed", "0.25", "--exposed"),
        ("--minutes", "-5", "--minutes"),
        ("--minutes", "100000", "--minutes"),
        ("--minutes", "1441", "--minutes"),
        ("--uv-index", "-1", "--uv-index"),
        ("--format", "xml", "--format"),
        # Crashes found by fuzzing: the calendar's ends, a tiny ozone column (overflow),
        # a huge UV index (Infinity in the JSON).
        ("--date", "0001-01-01", "--date"),
        ("--date", "9999-12-31", "--date"),
        ("--ozone", "1e-300", "--ozone"),
        ("--ozone", "0.0001", "--ozone"),
        ("--uv-index", "1e308", "--uv-index"),
        ("--uv-index", "46", "--uv-index"),
        ("--tz", "1" * 400, "--tz"),  # found by the fuzzer: OSError "File name too long"
        ("--tz", "../../etc/passwd", "--tz"),
        ("--altitude", "7000", "--altitude"),
        ("--cloud", "2", "--cloud"),
    ],
)
def test_bad_input_raises_input_error_naming_the_option(
    app: typer.Typer, option: str, value: str, where: str
) -> None:
    args = [*EXAMPLE]
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    code, _, exception = run(app, *args)
    assert code != 0
    assert isinstance(exception, InputError)
    assert exception.where == where


def test_real_cli_maps_bad_input_to_exit_code_2_without_traceback() -> None:
    cli = pytest.importorskip("d3k2.cli")
    args = [*EXAMPLE]
    args[args.index("--lat") + 1] = "95"
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 2
    assert "--lat" in result.output
    assert "Traceback" not in result.output


def test_minutes_past_sunset_are_capped_and_said(app: typer.Typer) -> None:
    # 21 June at 18:00 solar time in Amsterdam: the sun sets a few hours later.
    args = [*EXAMPLE, "--time", "18:00", "--minutes", "600"]
    code, output, _ = run(app, *args, "--format", "json")
    assert code == 0, output
    data = json.loads(output)
    assert data["minutes"] == 600
    assert data["minutes_counted"] == pytest.approx(data["daylight_minutes_left"], abs=0.5)
    assert data["minutes_counted"] < 600
    assert "exposure-past-sunset" in [w["code"] for w in data["warnings"]]
    code, text, _ = run(app, *args)
    assert "before sunset counted" in text and "only those minutes" in text


@pytest.mark.parametrize(
    "extra",
    [
        ("--date", "1900-01-01", "--uv-index", "45"),
        ("--date", "2100-12-31", "--ozone", "50", "--tz", "+14:00", "--time", "23:59"),
        ("--date", "2026-06-21", "--ozone", "1000", "--minutes", "1440"),
    ],
)
def test_json_at_the_edges_of_the_accepted_inputs_is_strict(
    app: typer.Typer, extra: tuple[str, ...]
) -> None:
    args = [*EXAMPLE]
    for option, value in zip(extra[::2], extra[1::2], strict=True):
        if option in args:
            args[args.index(option) + 1] = value
        else:
            args += [option, value]
    code, output, exception = run(app, *args, "--format", "json")
    assert code == 0, exception

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the JSON")

    json.loads(output, parse_constant=refuse)


def test_altitude_and_cloud_options(app: typer.Typer) -> None:
    code, output, _ = run(app, *EXAMPLE, "--altitude", "1500", "--cloud", "0.7", "--format", "json")
    assert code == 0
    data = json.loads(output)
    assert data["altitude_m"] == 1500.0
    assert data["cloud_modification_factor"] == 0.7
    assert data["noon_minutes_to_standard_vitamin_d_dose"] > 0
    assert 0.96 < data["earth_sun_distance_factor"] < 0.97


def test_cloud_with_a_given_uv_index_names_the_option(app: typer.Typer) -> None:
    code, _, exception = run(app, *EXAMPLE, "--uv-index", "5", "--cloud", "0.5")
    assert code != 0
    assert isinstance(exception, InputError)
    assert exception.where == "--cloud"


def test_the_text_names_the_altitude_and_cloud_it_used(app: typer.Typer) -> None:
    code, output, _ = run(app, *EXAMPLE, "--altitude", "2000", "--cloud", "0.5")
    assert code == 0
    assert "300 DU ozone, altitude 2000 m, cloud factor 0.5)" in output
    assert "scaled by the cloud factor given (0.5), at 2000 m" in output
    assert "broken cloud, snow, sand, water and altitude can raise it" not in output


def test_a_cloud_factor_of_zero_is_named_as_the_reason(app: typer.Typer) -> None:
    code, output, _ = run(app, *EXAMPLE, "--cloud", "0")
    assert code == 0
    assert "No vitamin D is made now: the cloud factor given (0) lets no UV through." in output
    assert "It is made only in daylight" not in output
