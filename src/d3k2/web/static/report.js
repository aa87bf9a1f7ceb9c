/* The report page: reads the profile from the link's fragment (never sent in a URL). */
"use strict";
(() => {
  const target = document.getElementById("report");
  const status = document.getElementById("report-status");
  const gSwitch = document.getElementById("guideline-switch");
  const vSwitch = document.getElementById("view-switch");
  const params = d3k2.hashParams();
  let profile = null;
  let report = null;
  try { profile = params.get("p") ? d3k2.decodeProfile(params.get("p")) : null; } catch (e) { profile = null; }
  gSwitch.value = params.get("g") || "";
  vSwitch.value = params.get("v") === "patient" ? "patient" : "clinician";

  function query() {
    const q = new URLSearchParams();
    if (gSwitch.value) q.set("guideline", gSwitch.value);
    return q;
  }
  function updateHash() {
    const h = new URLSearchParams();
    h.set("p", d3k2.encodeProfile(profile));
    if (gSwitch.value) h.set("g", gSwitch.value);
    if (vSwitch.value === "patient") h.set("v", "patient");
    history.replaceState(null, "", "#" + h.toString());
    document.getElementById("edit-profile").href = "/#p=" + h.get("p");
  }
  async function load(announce) {
    if (!profile) {
      target.innerHTML = '<p>No profile in this link. <a href="/">Describe a patient</a> or <a href="/#example">open the example patient</a>.</p>';
      return;
    }
    updateHash();
    const q = query();
    q.set("view", vSwitch.value);
    const response = await d3k2.postJSON("/report/html?" + q.toString(), profile);
    if (response.status === 422) {
      const body = await response.json();
      target.textContent = "";
      target.appendChild(d3k2.el("h2", {}, "The profile has problems"));
      const ul = d3k2.el("ul", { class: "error" });
      (Array.isArray(body.detail) ? body.detail : [{ loc: [], msg: body.detail }]).forEach((i) => ul.appendChild(d3k2.el("li", {}, (d3k2.pathOf(i.loc || []) || "profile") + ": " + d3k2.message(i))));
      target.appendChild(ul);
      target.appendChild(d3k2.el("p", {})).appendChild(d3k2.el("a", { href: "/#p=" + d3k2.encodeProfile(profile) }, "Correct the profile"));
      return;
    }
    if (!response.ok) { target.textContent = "The server could not make the report (" + response.status + ")."; return; }
    target.innerHTML = await response.text();
    report = JSON.parse(document.getElementById("report-data").textContent);
    const lines = JSON.parse(document.getElementById("chart-lines").textContent);
    d3k2Chart.draw(document.getElementById("chart"), report, lines);
    document.getElementById("tools").hidden = vSwitch.value === "patient";
    if (announce) status.textContent = announce;
  }
  gSwitch.addEventListener("change", () => load("Report updated for guideline " + (gSwitch.value || "of the profile") + "."));
  vSwitch.addEventListener("change", () => load(vSwitch.value === "patient" ? "Showing the plain-language version." : "Showing the clinician version."));
  document.getElementById("print").addEventListener("click", () => window.print());
  document.getElementById("copy-link").addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(location.href); status.textContent = "Link copied. It holds the profile: share it only with people who may see it."; }
    catch (e) { status.textContent = "Copy the address bar to share this report."; }
  });
  document.getElementById("download-json").addEventListener("click", async () => {
    const response = await d3k2.postJSON("/api/assess?" + query().toString(), profile);
    d3k2.download("d3k2-report.json", await response.text(), "application/json");
  });

  // ------------------------------------------------------------- dose planning
  function baseline() {
    const lab = report && report.labs.find((l) => l.test === "25ohd" && l.value !== null);
    return lab ? lab.value + " " + lab.unit : null;
  }
  const doseForm = document.getElementById("dose-form");
  doseForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = document.getElementById("dose-result");
    const base = baseline();
    if (!base) { out.textContent = "Dose planning needs a 25(OH)D result in the profile."; return; }
    const body = { baseline: base, target: document.getElementById("dose-target").value, supervised: document.getElementById("dose-supervised").checked };
    if (typeof profile.age === "number") body.age = profile.age;
    if (profile.sex === "female" || profile.sex === "male") body.sex = profile.sex;
    if (typeof profile.weight === "string") body.weight = profile.weight;
    if (profile.pregnant === true) body.pregnant = true;
    if (profile.lactating === true) body.lactating = true;
    const response = await d3k2.postJSON("/api/plan-dose", body);
    const data = await response.json();
    if (response.status === 422) { d3k2.placeErrors(doseForm, data.detail); out.textContent = ""; return; }
    d3k2.placeErrors(doseForm, []);
    out.textContent = "";
    const option = data.recommended || data.closest;
    out.appendChild(d3k2.el("p", {}, data.already_at_target ? "Already at the target." : option ? (data.recommended ? "Smallest regimen that reaches the target for most people like this one: " : "Closest regimen (does not reach the target for most): ") + option.regimen + " (" + option.iu_per_day + " IU/day)" : "No regimen found."));
    const ul = d3k2.el("ul");
    data.messages.forEach((m) => ul.appendChild(d3k2.el("li", {}, m)));
    data.monitoring.forEach((m) => ul.appendChild(d3k2.el("li", {}, "Check " + m.tests.join(", ") + " after " + m.after_days + " days: " + m.why)));
    out.appendChild(ul);
  });

  // ------------------------------------------------------------- sun
  const sunForm = document.getElementById("sun-form");
  document.getElementById("sun-date").value = new Date().toISOString().slice(0, 10);
  sunForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const q = new URLSearchParams({
      lat: document.getElementById("sun-lat").value, lon: document.getElementById("sun-lon").value,
      date: document.getElementById("sun-date").value, skin_type: document.getElementById("sun-skin").value,
      exposed: document.getElementById("sun-exposed").value, minutes: document.getElementById("sun-minutes").value,
    });
    // Optional inputs are sent only when filled in (a measured UV index already includes
    // altitude and cloud, and the API refuses them together).
    [["altitude", "sun-altitude"], ["cloud", "sun-cloud"], ["uv_index", "sun-uvi"]].forEach(([key, id]) => {
      const value = document.getElementById(id).value.trim();
      if (value !== "") q.set(key, value);
    });
    const out = document.getElementById("sun-result");
    const response = await fetch("/api/sun?" + q.toString());
    const data = await response.json();
    if (response.status === 422) { d3k2.placeErrors(sunForm, data.detail); out.textContent = ""; return; }
    d3k2.placeErrors(sunForm, []);
    out.textContent = "";
    out.appendChild(d3k2.el("p", {}, "UV index " + data.uv_index + " (" + data.uv_index_source + "); about " + data.oral_equivalent_iu.central + " IU by mouth (" + data.oral_equivalent_iu.low + "–" + data.oral_equivalent_iu.high + ")" + (data.minutes_to_med !== null ? "; sunburn after about " + data.minutes_to_med + " minutes" : "") + "."));
    const ul = d3k2.el("ul");
    data.warnings.forEach((w) => ul.appendChild(d3k2.el("li", {}, w.severity + ": " + w.message)));
    out.appendChild(ul);
  });

  load();
})();
