/* d3k2: helpers shared by the pages. No framework, no network but this server. */
"use strict";
const d3k2 = (() => {
  function encodeProfile(profile) {
    const bytes = new TextEncoder().encode(JSON.stringify(profile));
    let text = "";
    bytes.forEach((b) => { text += String.fromCharCode(b); });
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function decodeProfile(code) {
    const b64 = code.replace(/-/g, "+").replace(/_/g, "/");
    const text = atob(b64 + "===".slice((b64.length + 3) % 4));
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  }
  function hashParams() {
    return new URLSearchParams(location.hash.replace(/^#/, ""));
  }
  /* ["body", "labs", 0, "unit"] -> "labs[0].unit" */
  function pathOf(loc) {
    let out = "";
    loc.slice(1).forEach((part) => {
      if (typeof part === "number") out += "[" + part + "]";
      else out += (out ? "." : "") + part;
    });
    return out;
  }
  function message(item) {
    return item.msg + (item.hint ? " (hint: " + item.hint + ")" : "");
  }
  /* Put each 422 item next to the element whose data-path is the item's path (or the
     nearest parent path). Returns the items that found no place. */
  function placeErrors(root, detail) {
    root.querySelectorAll(".error").forEach((el) => { el.textContent = ""; });
    root.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    const unplaced = [];
    (Array.isArray(detail) ? detail : [{ loc: [], msg: String(detail) }]).forEach((item) => {
      let path = pathOf(item.loc || []);
      let host = null;
      while (path) {
        host = root.querySelector('[data-path="' + CSS.escape(path) + '"]');
        if (host) break;
        const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
        path = cut > 0 ? path.slice(0, cut) : "";
      }
      const slot = host && host.querySelector(".error");
      if (!slot) { unplaced.push(item); return; }
      const where = pathOf(item.loc || []);
      slot.textContent = (slot.textContent ? slot.textContent + " " : "") + where + ": " + message(item);
      const control = host.querySelector("input, select, textarea");
      if (control) control.setAttribute("aria-invalid", "true");
    });
    return unplaced;
  }
  async function postJSON(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    return response;
  }
  function download(name, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  /* a label as a plan item: one serving a day until the person edits it */
  function planItem(label) {
    return { product: label, servings: 1, every: "day" };
  }
  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  return { encodeProfile, decodeProfile, hashParams, pathOf, message, placeErrors, postJSON, download, el, planItem };
})();
