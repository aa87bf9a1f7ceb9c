/* The profile form: autocomplete from /api/vocabulary, validation via /api/assess. */
"use strict";
(() => {
  const form = document.getElementById("profile-form");
  const status = document.getElementById("form-status");
  const summary = document.getElementById("error-summary");
  let extras = {};   // profile fields the form has no control for (kept as they are)
  let dietExtras = {};   // diet fields without a control (magnesium: 100 mg …)
  let lifestyleExtras = {};   // lifestyle answers without a control (kept, the server checks them)
  let counter = 0;

  // ------------------------------------------------------------- autocomplete entries
  function describe(entry) {
    const via = entry.via === "brand" ? "brand of " : entry.via === "abbreviation" ? "short for " : "";
    return entry.name + (entry.maps_to.toLowerCase() !== entry.name.toLowerCase() || via ? " — " + via + entry.maps_to : "");
  }
  function addEntry(list, value) {
    const kind = list.dataset.kind;
    const index = list.children.length;
    const id = "entry-" + (++counter);
    const li = d3k2.el("li", { class: "entry field", "data-path": list.dataset.path + "[" + index + "]" });
    const label = d3k2.el("label", { for: id }, (kind === "medication" ? "Medication " : "Condition ") + (index + 1));
    const box = d3k2.el("div", { class: "combo" });
    const input = d3k2.el("input", {
      id, type: "text", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": id + "-list", autocomplete: "off", "aria-describedby": id + "-maps " + id + "-error",
      class: "entry-input",
    });
    input.value = value || "";
    const listbox = d3k2.el("ul", { id: id + "-list", role: "listbox", class: "listbox", hidden: "" });
    listbox.setAttribute("aria-label", "Suggestions");
    const maps = d3k2.el("p", { id: id + "-maps", class: "maps-to", "aria-live": "polite" });
    const error = d3k2.el("p", { id: id + "-error", class: "error" });
    const remove = d3k2.el("button", { type: "button", class: "remove" }, "Remove");
    remove.setAttribute("aria-label", "Remove " + label.textContent.toLowerCase());
    box.append(input, listbox);
    li.append(label, box, maps, error, remove);
    list.appendChild(li);
    let options = [];
    let active = -1;
    let timer = null;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function choose(entry) {
      const suffix = (input.value.match(/\s+\d.*$/) || [""])[0];
      input.value = entry.name + suffix;
      maps.textContent = "→ " + entry.maps_to + (entry.classes.length ? " (" + entry.classes.join(", ").replace(/_/g, " ") + ")" : "");
      close();
      input.focus();
    }
    function highlight(i) {
      options.forEach((o, j) => o.node.setAttribute("aria-selected", j === i ? "true" : "false"));
      active = i;
      if (i >= 0) input.setAttribute("aria-activedescendant", options[i].node.id);
    }
    async function lookup() {
      const q = input.value.replace(/\s+\d.*$/, "").trim();
      if (q.length < 2) { close(); return; }
      const r = await fetch("/api/vocabulary?kind=" + kind + "&q=" + encodeURIComponent(q));
      if (!r.ok) return;
      const data = await r.json();
      listbox.textContent = "";
      options = [];
      const add = (entry, near) => {
        const node = d3k2.el("li", { role: "option", id: id + "-opt-" + options.length, "aria-selected": "false", class: near ? "near" : "" },
          (near ? "Did you mean " : "") + describe(entry) + (near ? "?" : ""));
        node.addEventListener("mousedown", (e) => { e.preventDefault(); choose(entry); });
        listbox.appendChild(node);
        options.push({ node, entry });
      };
      data.matches.forEach((e) => add(e, false));
      data.did_you_mean.forEach((e) => add(e, true));
      if (!options.length) {
        maps.textContent = "Not in the knowledge base: it will be listed as not recognised.";
        close();
        return;
      }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
    }
    input.addEventListener("input", () => {
      maps.textContent = "";
      clearTimeout(timer);
      timer = setTimeout(lookup, 120);
    });
    input.addEventListener("keydown", (e) => {
      if (listbox.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); highlight(Math.min(active + 1, options.length - 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(options[active].entry); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
    remove.addEventListener("click", () => { li.remove(); renumber(list); });
    return input;
  }
  function renumber(list) {
    Array.from(list.children).forEach((li, i) => {
      li.dataset.path = list.dataset.path + "[" + i + "]";
      li.querySelector("label").textContent = (list.dataset.kind === "medication" ? "Medication " : "Condition ") + (i + 1);
    });
  }
  document.querySelectorAll("button.add").forEach((button) => {
    button.addEventListener("click", () => addEntry(document.getElementById(button.dataset.target), "").focus());
  });

  // ------------------------------------------------------------- labs
  const labs = document.getElementById("labs");
  const template = document.getElementById("lab-template");
  function addLab(lab) {
    const row = template.content.firstElementChild.cloneNode(true);
    const index = labs.children.length;
    row.dataset.path = "labs[" + index + "]";
    row.classList.add("field");
    const test = row.querySelector(".lab-test");
    const unit = row.querySelector(".lab-unit");
    row.querySelectorAll("label").forEach((label) => {
      const control = label.parentElement.querySelector("input, select");
      const id = "lab-" + (++counter);
      control.id = id;
      label.setAttribute("for", id);
      label.textContent = label.textContent + " (lab " + (index + 1) + ")";
    });
    const fillUnits = () => {
      const option = test.selectedOptions[0];
      unit.textContent = "";
      (option ? option.dataset.units.split("|") : []).forEach((u) => unit.appendChild(d3k2.el("option", { value: u }, u)));
    };
    test.addEventListener("change", fillUnits);
    if (lab && lab.test && !Array.from(test.options).some((o) => o.value === lab.test)) {
      test.appendChild(d3k2.el("option", { value: lab.test, "data-units": lab.unit || "" }, lab.test));
    }
    if (lab && lab.test) test.value = lab.test;
    fillUnits();
    if (lab && lab.unit) {
      if (!Array.from(unit.options).some((o) => o.value === lab.unit)) unit.appendChild(d3k2.el("option", { value: lab.unit }, lab.unit));
      unit.value = lab.unit;
    }
    if (lab && lab.value !== undefined) row.querySelector(".lab-value").value = lab.value;
    if (lab && lab.date) row.querySelector(".lab-date").value = String(lab.date).slice(0, 10);
    row.querySelector(".remove").addEventListener("click", () => {
      row.remove();
      Array.from(labs.children).forEach((r, i) => { r.dataset.path = "labs[" + i + "]"; });
    });
    labs.appendChild(row);
    return row;
  }
  document.getElementById("add-lab").addEventListener("click", () => addLab(null).querySelector("select").focus());

  // ------------------------------------------------------------- profile <-> form
  const value = (id) => document.getElementById(id).value.trim();
  function number(text) {
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  }
  /* one entry a line; a line written as a JSON object ({"food": …}, {"product": …}) stays one */
  function lines(id) {
    return document.getElementById(id).value.split("\n").map((l) => l.trim()).filter(Boolean).map((line) => {
      if (line.startsWith("{")) { try { return JSON.parse(line); } catch (e) { return line; } }
      return line;
    });
  }
  function answers(selector) {
    const out = {};
    document.querySelectorAll(selector).forEach((control) => {
      const text = control.value.trim();
      if (text) out[control.dataset.key] = number(text);
    });
    return out;
  }
  const asLine = (x) => (typeof x === "string" ? x : JSON.stringify(x));
  function collect() {
    const p = Object.assign({}, extras);
    if (value("age")) p.age = number(value("age"));
    if (value("birth_date")) p.birth_date = value("birth_date");
    if (value("sex")) p.sex = value("sex");
    if (value("weight")) p.weight = value("weight");
    if (value("height")) p.height = value("height");
    if (document.getElementById("pregnant").checked) p.pregnant = true;
    if (document.getElementById("lactating").checked) p.lactating = true;
    ["medications", "conditions"].forEach((key) => {
      const items = Array.from(document.querySelectorAll("#" + key + " .entry-input")).map((i) => i.value.trim()).filter(Boolean);
      if (items.length) p[key] = items;
    });
    const labRows = Array.from(labs.children).map((row) => {
      const lab = { test: row.querySelector(".lab-test").value, value: number(row.querySelector(".lab-value").value.trim()), unit: row.querySelector(".lab-unit").value };
      const date = row.querySelector(".lab-date").value;
      if (date) lab.date = date;
      return lab;
    });
    if (labRows.length) p.labs = labRows;
    const diet = Object.assign({}, dietExtras);
    delete diet.foods;
    delete diet.questionnaire;
    const foods = lines("diet-foods");
    if (foods.length) diet.foods = foods;
    const questionnaire = answers(".questionnaire-answer");
    if (Object.keys(questionnaire).length) diet.questionnaire = questionnaire;
    if (value("diet-calcium")) diet.calcium = value("diet-calcium");
    if (value("diet-vitamin_d")) diet.vitamin_d = value("diet-vitamin_d");
    if (Object.keys(diet).length) p.diet = diet;
    const lifestyle = Object.assign({}, lifestyleExtras, answers(".lifestyle-answer"));
    if (Object.keys(lifestyle).length) p.lifestyle = lifestyle;
    const plan = lines("plan");
    if (plan.length) p.plan = plan;
    p.options = Object.assign({}, extras.options || {}, { guideline: value("guideline") });
    return p;
  }
  function fill(profile) {
    form.reset();
    document.querySelectorAll(".entries").forEach((l) => { l.textContent = ""; });
    labs.textContent = "";
    const known = ["age", "birth_date", "sex", "weight", "height", "pregnant", "lactating", "medications", "conditions", "labs", "diet", "lifestyle", "plan"];
    extras = {};
    Object.keys(profile).forEach((k) => { if (!known.includes(k)) extras[k] = profile[k]; });
    const text = (v) => (v === undefined || v === null ? "" : typeof v === "object" ? (v.value + " " + (v.unit || "")).trim() : String(v));
    document.getElementById("age").value = text(profile.age);
    document.getElementById("birth_date").value = profile.birth_date ? String(profile.birth_date).slice(0, 10) : "";
    document.getElementById("sex").value = profile.sex || "";
    document.getElementById("weight").value = text(profile.weight);
    document.getElementById("height").value = text(profile.height);
    document.getElementById("pregnant").checked = profile.pregnant === true;
    document.getElementById("lactating").checked = profile.lactating === true;
    (profile.medications || []).forEach((m) => addEntry(document.getElementById("medications"), typeof m === "string" ? m : JSON.stringify(m)));
    (profile.conditions || []).forEach((c) => addEntry(document.getElementById("conditions"), typeof c === "string" ? c : JSON.stringify(c)));
    (profile.labs || []).forEach((l) => addLab(l));
    const diet = Array.isArray(profile.diet) ? { foods: profile.diet } : (profile.diet && typeof profile.diet === "object" ? profile.diet : {});
    dietExtras = {};
    Object.keys(diet).forEach((k) => { if (!["foods", "questionnaire", "calcium", "vitamin_d"].includes(k)) dietExtras[k] = diet[k]; });
    document.getElementById("diet-foods").value = (Array.isArray(diet.foods) ? diet.foods : []).map(asLine).join("\n");
    const given = diet.questionnaire && typeof diet.questionnaire === "object" ? diet.questionnaire : {};
    document.querySelectorAll(".questionnaire-answer").forEach((c) => { c.value = text(given[c.dataset.key]); });
    if (Object.keys(given).length) document.getElementById("questionnaire").open = true;
    document.getElementById("diet-calcium").value = text(diet.calcium);
    document.getElementById("diet-vitamin_d").value = text(diet.vitamin_d);
    const habits = profile.lifestyle && typeof profile.lifestyle === "object" ? profile.lifestyle : {};
    lifestyleExtras = {};
    const controls = {};
    document.querySelectorAll(".lifestyle-answer").forEach((c) => { controls[c.dataset.key] = c; c.value = ""; });
    Object.keys(habits).forEach((k) => {
      if (!controls[k]) { lifestyleExtras[k] = habits[k]; return; }
      const answer = text(habits[k]);
      if (controls[k].tagName === "SELECT" && !Array.from(controls[k].options).some((o) => o.value === answer)) {
        controls[k].appendChild(d3k2.el("option", { value: answer }, answer));
      }
      controls[k].value = answer;
    });
    document.getElementById("plan").value = (profile.plan || []).map(asLine).join("\n");
    if (extras.options && extras.options.guideline) document.getElementById("guideline").value = extras.options.guideline;
    remember();
  }

  // a corrected field loses its message; the summary goes when nothing is left
  form.addEventListener("input", (event) => {
    const host = event.target.closest("[data-path]");
    const slot = host && host.querySelector(".error");
    if (slot) slot.textContent = "";
    event.target.removeAttribute("aria-invalid");
    if (!Array.from(form.querySelectorAll(".error")).some((e) => e.textContent)) summary.hidden = true;
  });

  // ------------------------------------------------------------- submit
  function showSummary(detail) {
    summary.textContent = "";
    summary.appendChild(d3k2.el("h2", {}, "Please correct " + detail.length + " problem" + (detail.length === 1 ? "" : "s")));
    const ul = d3k2.el("ul");
    detail.forEach((item) => ul.appendChild(d3k2.el("li", {}, (d3k2.pathOf(item.loc || []) || "profile") + ": " + d3k2.message(item))));
    summary.appendChild(ul);
    summary.hidden = false;
    summary.focus();
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const profile = collect();
    status.textContent = "Checking…";
    const response = await d3k2.postJSON("/api/assess?projection=false", profile);
    if (response.status === 422) {
      const body = await response.json();
      const unplaced = d3k2.placeErrors(form, body.detail);
      document.getElementById("other-errors").textContent = unplaced.map((i) => (d3k2.pathOf(i.loc || []) || "profile") + ": " + d3k2.message(i)).join("\n");
      showSummary(Array.isArray(body.detail) ? body.detail : [{ loc: [], msg: String(body.detail) }]);
      status.textContent = "";
      return;
    }
    if (!response.ok) { status.textContent = "The server could not assess this profile (" + response.status + ")."; return; }
    remember();
    status.textContent = "Opening the report…";
    location.href = "/report#p=" + d3k2.encodeProfile(profile);
  });

  // the label page adds a product to the profile being edited (kept in this tab only)
  const remember = () => { try { sessionStorage.setItem("d3k2.profile", JSON.stringify(collect())); } catch (e) { /* storage off */ } };
  form.addEventListener("change", remember);
  form.addEventListener("input", remember);

  // ------------------------------------------------------------- a product from a label
  const productStatus = document.getElementById("product-status");
  document.getElementById("product-upload").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    productStatus.textContent = "Checking " + file.name + "…";
    const read = await fetch("/api/profile/read", { method: "POST", headers: { "Content-Type": "text/plain" }, body: await file.text() });
    const parsed = await read.json();
    if (!read.ok) { productStatus.textContent = file.name + ": " + (Array.isArray(parsed.detail) ? parsed.detail.map(d3k2.message).join("; ") : parsed.detail); return; }
    const label = parsed.profile;
    const checked = await d3k2.postJSON("/api/label", label);
    const result = await checked.json();
    if (!checked.ok) {
      productStatus.textContent = file.name + ": " + (Array.isArray(result.detail) ? result.detail.map((i) => (d3k2.pathOf(i.loc || []) || "label") + ": " + d3k2.message(i)).join("; ") : result.detail);
      return;
    }
    const plan = document.getElementById("plan");
    plan.value = (plan.value.trim() ? plan.value.trim() + "\n" : "") + JSON.stringify(d3k2.planItem(label));
    remember();
    productStatus.textContent = "Added " + result.product + " (1 serving a day; edit the line to change it). Label check: " +
      (result.problems ? result.problems + " problem" + (result.problems === 1 ? "" : "s") + " — see the label check page" : "no problem") + ".";
    event.target.value = "";
  });

  // ------------------------------------------------------------- files
  document.getElementById("download").addEventListener("click", () => {
    d3k2.download("profile.json", JSON.stringify(collect(), null, 2) + "\n", "application/json");
  });
  document.getElementById("upload").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (!file) return;
    const response = await fetch("/api/profile/read", { method: "POST", headers: { "Content-Type": "text/plain" }, body: await file.text() });
    const body = await response.json();
    if (!response.ok) { showSummary(Array.isArray(body.detail) ? body.detail : [{ loc: [], msg: String(body.detail) }]); return; }
    fill(body.profile);
    status.textContent = "Loaded " + file.name + ".";
  });
  document.getElementById("load-example").addEventListener("click", async (event) => {
    const response = await fetch(event.target.dataset.url);
    fill(await response.json());
    status.textContent = "Example patient loaded.";
  });

  const code = d3k2.hashParams().get("p");
  if (code) { try { fill(d3k2.decodeProfile(code)); } catch (e) { status.textContent = "The link's profile could not be read."; } }
  else if (d3k2.hashParams().has("example")) document.getElementById("load-example").click();
  if (!document.querySelector("#medications .entry")) addEntry(document.getElementById("medications"), "");
  if (!document.querySelector("#conditions .entry")) addEntry(document.getElementById("conditions"), "");
})();
