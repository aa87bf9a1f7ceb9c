"""The HTML report of a screen: tables and charts drawn as inline SVG (no script, no
network), so it opens anywhere and can be mailed as one file."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from d3k2.population.export import Export
    from d3k2.population.screening import ScreenSettings

SEVERITY_COLOURS: Final = {
    "major": "#b2182b",
    "moderate": "#ef8a62",
    "minor": "#fddbc7",
    "info": "#67a9cf",
}
CATEGORY_COLOURS: Final = ("#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac")


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def stacked_bars(
    rows: Sequence[tuple[str, dict[str, int]]],
    keys: Sequence[str],
    colours: dict[str, str],
    *,
    title: str,
) -> str:
    """Horizontal stacked bars (one row per label), as an SVG element."""
    if not rows:
        return f"<p class=empty>{_e(title)}: none.</p>"
    label_width, bar_width, row_height = 330, 420, 22
    top = max(sum(parts.values()) for _, parts in rows) or 1
    height = 30 + row_height * len(rows) + 26
    out = [
        f'<svg role="img" aria-label="{_e(title)}" width="{label_width + bar_width + 70}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" '
        'font-size="12">',
        f'<text x="0" y="16" font-weight="bold">{_e(title)}</text>',
    ]
    for i, (label, parts) in enumerate(rows):
        y = 30 + i * row_height
        out.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{_e(label[:48])}</text>'
        )
        x = float(label_width)
        for key in keys:
            count = parts.get(key, 0)
            if not count:
                continue
            width = bar_width * count / top
            out.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{max(width, 1):.1f}" height="16" '
                f'fill="{colours.get(key, "#999")}"><title>{_e(label)} — {_e(key)}: '
                f"{count}</title></rect>"
            )
            x += width
        out.append(f'<text x="{x + 4:.1f}" y="{y + 14}">{sum(parts.values())}</text>')
    legend_y = 30 + row_height * len(rows) + 14
    x = float(label_width)
    for key in keys:
        out.append(
            f'<rect x="{x:.0f}" y="{legend_y - 10}" width="10" height="10" '
            f'fill="{colours.get(key, "#999")}"/><text x="{x + 14:.0f}" y="{legend_y}">'
            f"{_e(key)}</text>"
        )
        x += 16 + 7 * len(key) + 14
    out.append("</svg>")
    return "".join(out)


def _grouped(records: list[tuple[Any, Any, int]]) -> list[tuple[str, dict[str, int]]]:
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for label, key, count in records:
        table[str(label)][str(key)] = int(count)
    return sorted(table.items(), key=lambda item: -sum(item[1].values()))


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e('' if c is None else c)}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_html(
    con: Any,
    export: Export,
    settings: ScreenSettings,
    plan_text: str | None,
    engine: str,
) -> str:
    """The report, from the run's tables (``findings``, ``summary``, ``errors``)."""

    def q(sql: str) -> list[tuple[Any, ...]]:
        return list(con.execute(sql).fetchall())

    status = dict(q("SELECT status, count(*) FROM summary GROUP BY status"))
    severities = [s for s in SEVERITY_COLOURS]
    per_rule = _grouped(
        q("SELECT rule_id, severity, count(DISTINCT patient_id) FROM findings GROUP BY ALL")
    )
    protocol = _grouped(
        q(
            "SELECT rule_id, severity, count(DISTINCT patient_id) FROM findings "
            "WHERE from_protocol GROUP BY ALL"
        )
    )
    categories = [
        c
        for (c,) in q(
            "SELECT serum_25ohd_category FROM summary WHERE serum_25ohd_category IS NOT NULL "
            "GROUP BY 1 ORDER BY min(serum_25ohd_nmol_l)"
        )
    ]
    category_colours = {
        c: CATEGORY_COLOURS[min(i, len(CATEGORY_COLOURS) - 1)] for i, c in enumerate(categories)
    }
    by_band = sorted(
        _grouped(
            q(
                "SELECT age_band, serum_25ohd_category, count(*) FROM summary "
                "WHERE serum_25ohd_category IS NOT NULL GROUP BY ALL"
            )
        ),
        key=lambda item: float(item[0].split("-")[0].rstrip("+")),
    )
    medians = q(
        "SELECT age_band, count(*), round(quantile_cont(serum_25ohd_nmol_l, 0.25), 1), "
        "round(median(serum_25ohd_nmol_l), 1), round(quantile_cont(serum_25ohd_nmol_l, 0.75), 1) "
        "FROM summary WHERE serum_25ohd_nmol_l IS NOT NULL GROUP BY 1 ORDER BY min(age_years)"
    )
    classes = _grouped(
        q(
            "SELECT c, CASE WHEN alerts > 0 THEN 'with an alert' ELSE 'no alert' END, count(*) "
            "FROM (SELECT unnest(medication_classes) AS c, alerts FROM summary "
            "WHERE status = 'screened') GROUP BY ALL"
        )
    )
    deficient = q(
        "SELECT serum_25ohd_category, count(*) FROM summary WHERE status = 'screened' "
        "AND serum_25ohd_nmol_l IS NOT NULL AND NOT takes_vitamin_d GROUP BY 1 "
        "ORDER BY min(serum_25ohd_nmol_l)"
    )
    error_kinds = q("SELECT kind, count(*) FROM errors GROUP BY 1 ORDER BY 2 DESC")
    error_rows = q(
        "SELECT file, line, patient_id, kind, detail FROM errors "
        "ORDER BY file NULLS LAST, line LIMIT 30"
    )
    total_findings = q("SELECT count(*) FROM findings")[0][0]
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        "<title>d3k2 population screen</title><style>",
        "body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}",
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
        "padding:2px 8px;font-size:13px;text-align:left}th{background:#f3f3f3}",
        ".note{color:#555;font-size:13px}section{margin:1.5em 0}</style></head><body>",
        "<h1>d3k2 population screen</h1>",
        "<p class=note>Decision support for clinicians: every alert names its trigger and its "
        "source in findings.csv / results.duckdb. It supports, and does not replace, a "
        "clinician's judgement.</p>",
        _table(
            ["export", "as of", "engine", "knowledge", "proposed protocol"],
            [
                [
                    export.folder.name,
                    settings.as_of.isoformat(),
                    engine,
                    settings.engine.version,
                    plan_text or "(none)",
                ]
            ],
        ),
        _table(
            ["patients", "screened", "deceased (apart)", "not screened", "findings", "errors"],
            [
                [
                    sum(status.values()),
                    status.get("screened", 0),
                    status.get("deceased", 0),
                    status.get("not screened", 0),
                    total_findings,
                    sum(n for _, n in error_kinds),
                ]
            ],
        ),
        "<section><h2>Patients per alert and severity</h2>",
        stacked_bars(per_rule, severities, SEVERITY_COLOURS, title="patients per alert"),
        "</section><section><h2>What the proposed protocol would trigger</h2>",
        "<p class=note>Alerts one of whose triggers is the proposed protocol"
        + (f" ({_e(plan_text)})" if plan_text else " (no protocol was proposed)")
        + ".</p>",
        stacked_bars(protocol, severities, SEVERITY_COLOURS, title="patients per alert"),
        "</section><section><h2>25(OH)D by age band and guideline category</h2>",
        stacked_bars(
            by_band, categories, category_colours, title="patients (latest result) per age band"
        ),
        _table(["age band", "patients", "25th pct nmol/L", "median", "75th pct"], medians),
        "<h3>With a 25(OH)D result and no vitamin D supplement</h3>",
        _table(["category", "patients"], deficient),
        "</section><section><h2>Medication classes involved</h2>",
        stacked_bars(
            classes,
            ["with an alert", "no alert"],
            {"with an alert": "#b2182b", "no alert": "#bbbbbb"},
            title="screened patients per medication class",
        ),
        "</section><section><h2>Data problems</h2>",
        "<p class=note>Nothing is dropped silently: each line that could not be read is "
        "listed with its file and line (all of them in errors.csv).</p>",
        _table(["kind", "count"], error_kinds),
        _table(["file", "line", "patient", "kind", "detail"], error_rows),
        "</section>",
    ]
    if export.skipped:
        parts.append(
            "<p class=note>Files of types d3k2 does not read: "
            + ", ".join(_e(f.path.name) for f in export.skipped)
            + "</p>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)
