/* The label check page: the text goes to POST /label/html (the view of POST /api/label). */
"use strict";
(() => {
  const form = document.getElementById("label-form");
  const text = document.getElementById("label-text");
  const result = document.getElementById("label-result");
  const status = document.getElementById("label-status");
  const actions = document.getElementById("label-actions");
  const error = document.getElementById("label-error");
  let label = null;
  let checked = null;

  function showProblems(detail) {
    const items = Array.isArray(detail) ? detail : [{ loc: [], msg: String(detail) }];
    error.textContent = items.map((i) => (d3k2.pathOf(i.loc || []) || "label") + ": " + d3k2.message(i)).join("\n");
    text.setAttribute("aria-invalid", "true");
    text.focus();
  }
  async function check() {
    error.textContent = "";
    text.removeAttribute("aria-invalid");
    actions.hidden = true;
    result.textContent = "";
    if (!text.value.trim()) { showProblems([{ loc: [], msg: "paste a label or upload its file first" }]); return; }
    status.textContent = "Checking…";
    const response = await fetch("/label/html", { method: "POST", headers: { "Content-Type": "text/plain" }, body: text.value });
    if (response.status === 422 || response.status === 413) {
      const body = await response.json();
      status.textContent = "The label could not be read.";
      showProblems(body.detail);
      return;
    }
    if (!response.ok) { status.textContent = "The server could not check this label (" + response.status + ")."; return; }
    result.innerHTML = await response.text();
    label = JSON.parse(document.getElementById("label-data").textContent);
    checked = JSON.parse(document.getElementById("label-check-data").textContent);
    actions.hidden = false;
    status.textContent = "Checked " + checked.product + ": " + (checked.problems ? checked.problems + " problem(s)." : "no problem.");
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); check(); });
  text.addEventListener("input", () => { error.textContent = ""; text.removeAttribute("aria-invalid"); });
  document.getElementById("label-upload").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    text.value = await file.text();
    event.target.value = "";
    check();
  });
  document.getElementById("label-example").addEventListener("click", async (event) => {
    const response = await fetch(event.target.dataset.url);
    text.value = JSON.stringify(await response.json(), null, 2);
    check();
  });
  document.getElementById("label-json").addEventListener("click", () => {
    d3k2.download("label-check.json", JSON.stringify(checked, null, 2) + "\n", "application/json");
  });
  /* the profile being edited in this tab (the form keeps it in sessionStorage), plus the product */
  document.getElementById("label-add").addEventListener("click", () => {
    let profile = {};
    try { profile = JSON.parse(sessionStorage.getItem("d3k2.profile") || "{}") || {}; } catch (e) { profile = {}; }
    profile.plan = (Array.isArray(profile.plan) ? profile.plan : []).concat([d3k2.planItem(label)]);
    location.href = "/#p=" + d3k2.encodeProfile(profile);
  });
})();
