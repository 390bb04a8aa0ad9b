// zicht workbench: keyboard work, applicability of fields, suggestions and their evidence.
// No inline scripts (the Content-Security-Policy forbids them); everything hangs off data- attributes.
(function () {
  "use strict";

  const typing = (el) => el && (el.tagName === "TEXTAREA" || el.isContentEditable ||
    (el.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(el.type)) || el.tagName === "SELECT");

  // --- the queue: j/k to move, Enter to open, / to search -------------------------------------
  function queueRows() { return Array.from(document.querySelectorAll("[data-rows] tbody tr[data-href]")); }
  function select(rows, i) {
    rows.forEach((r) => r.classList.remove("selected"));
    const row = rows[Math.max(0, Math.min(i, rows.length - 1))];
    if (row) { row.classList.add("selected"); row.focus(); }
  }

  // --- the coding form ---------------------------------------------------------------------
  function formValues(form) {
    const values = {};
    form.querySelectorAll("fieldset.field").forEach((fs) => {
      const chosen = Array.from(fs.querySelectorAll("input:checked")).map((i) => i.value);
      values[fs.dataset.var] = chosen;
    });
    return values;
  }
  function applies(fs, values, all) {
    if (!fs.dataset.applies) return true;
    const cond = JSON.parse(fs.dataset.applies);
    const parent = all[cond.variable];
    if (parent && !applies(parent, values, all)) return false;
    const chosen = values[cond.variable] || [];
    if (cond.includes !== undefined) return chosen.includes(cond.includes);
    const want = cond.equals === true ? "1" : cond.equals === false ? "0" : String(cond.equals);
    return chosen.includes(want);
  }
  function refresh(form) {
    const values = formValues(form);
    const all = {};
    form.querySelectorAll("fieldset.field").forEach((fs) => { all[fs.dataset.var] = fs; });
    Object.values(all).forEach((fs) => {
      const on = applies(fs, values, all);
      fs.hidden = !on;
      fs.querySelectorAll("input, select, textarea").forEach((i) => { i.disabled = !on; });
    });
    const open = form.querySelectorAll("fieldset.field:not([hidden]) [data-pending]").length;
    const count = document.querySelector("[data-pending-count]");
    if (count) count.textContent = open === 1 ? "1 voorstel open" : open + " voorstellen open";
    const all_ = document.querySelector("[data-accept-all]");
    if (all_) all_.disabled = open === 0;
  }
  function accept(fs) {
    const pending = fs.querySelector("[data-pending]");
    if (pending) pending.remove();
    fs.classList.remove("suggested", "open");
    const button = fs.querySelector("[data-accept]");
    if (button) button.remove();
  }
  function showEvidence(variable) {
    document.querySelectorAll("mark.ev.lit").forEach((m) => m.classList.remove("lit"));
    const marks = Array.from(document.querySelectorAll("mark.ev")).filter((m) => m.dataset.ev.split(" ").includes(variable));
    marks.forEach((m) => m.classList.add("lit"));
    if (marks[0]) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
  }
  function currentField() {
    const el = document.activeElement;
    return el ? el.closest("fieldset.field") : null;
  }

  function wire(root) {
    root.querySelectorAll("[data-codeform]").forEach((form) => {
      if (form.dataset.wired) return;
      form.dataset.wired = "1";
      form.addEventListener("change", (ev) => {
        const input = ev.target;
        const fs = input.closest("fieldset.field");
        if (fs) accept(fs);  // a change is the coder's own code
        if (input.type === "checkbox" && input.checked) {
          const group = Array.from(fs.querySelectorAll("input[type=checkbox]"));
          if (input.dataset.exclusive !== undefined) group.filter((i) => i !== input).forEach((i) => { i.checked = false; });
          else group.filter((i) => i.dataset.exclusive !== undefined).forEach((i) => { i.checked = false; });
        }
        refresh(form);
      });
      form.addEventListener("input", (ev) => { const fs = ev.target.closest("fieldset.field"); if (fs) accept(fs); });
      form.addEventListener("click", (ev) => {
        const t = ev.target.closest("button");
        if (!t) return;
        if (t.dataset.accept !== undefined) { accept(t.closest("fieldset.field")); refresh(form); }
        if (t.dataset.evidence) showEvidence(t.dataset.evidence);
      });
      refresh(form);
    });
    const all = document.querySelector("[data-accept-all]");
    if (all && !all.dataset.wired) {
      all.dataset.wired = "1";
      all.addEventListener("click", () => {
        const form = document.querySelector("[data-codeform]");
        form.querySelectorAll("fieldset.field.suggested:not([hidden])").forEach(accept);  // what the coder sees, no more
        refresh(form);
      });
    }
  }

  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(document.activeElement)) return;
    const rows = queueRows();
    const form = document.querySelector("[data-codeform]");
    if (rows.length) {
      const at = rows.findIndex((r) => r.classList.contains("selected"));
      if (ev.key === "j") { select(rows, at + 1); ev.preventDefault(); }
      else if (ev.key === "k") { select(rows, at - 1); ev.preventDefault(); }
      else if (ev.key === "Enter" && at >= 0) { window.location = rows[at].dataset.href; ev.preventDefault(); }
    }
    if (ev.key === "/") {
      const search = document.querySelector("[data-key='/']");
      if (search) { search.focus(); ev.preventDefault(); }
    }
    if (!form) return;
    const fs = currentField();
    if (ev.key === "a" && fs) { accept(fs); refresh(form); ev.preventDefault(); }
    else if (ev.key === "A") { const b = document.querySelector("[data-accept-all]"); if (b) b.click(); ev.preventDefault(); }
    else if (ev.key === "e" && fs) { showEvidence(fs.dataset.var); ev.preventDefault(); }
    else if (ev.key === "s" || ev.key === "n") {
      const button = form.querySelector(ev.key === "n" ? "button[value=next]" : "button[value=stay]") || form.querySelector("button[type=submit]");
      if (button) { form.requestSubmit(button); ev.preventDefault(); }
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    wire(document);
    const rows = queueRows();
    if (rows.length) select(rows, 0);
    const first = document.querySelector("[data-codeform] fieldset.field:not([hidden]) input:not([type=hidden])");
    if (first && !document.querySelector("[autofocus]")) first.focus({ preventScroll: true });
  });
  document.addEventListener("htmx:afterSwap", (ev) => wire(ev.target));
})();
