// zonewatch pages: forms that post JSON to the service API, row selection for plans.
"use strict";

function pageData() {
  const node = document.getElementById("page-data");
  return node ? JSON.parse(node.textContent) : {};
}

function formJson(form) {
  // Fields go to the top level, or under form.dataset.wrap unless marked data-top.
  const top = {}, inner = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    const target = form.dataset.wrap && !("top" in el.dataset) ? inner : top;
    if (el.type === "checkbox") { target[el.name] = el.checked; continue; }
    if (el.value === "") continue;
    const numeric = el.type === "number" || el.dataset.type === "number";
    if (el.dataset.type === "bool") target[el.name] = el.value === "true";
    else target[el.name] = numeric ? Number(el.value) : el.value;
  }
  if (form.dataset.wrap) top[form.dataset.wrap] = inner;
  return top;
}

async function submitApiForm(event) {
  event.preventDefault();
  const form = event.target;
  const error = form.querySelector(".form-error");
  if (error) error.textContent = "";
  const body = form._body ? form._body() : Object.assign(formJson(form), form._extra ? form._extra() : {});
  const method = form.dataset.method || "POST";
  const button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  try {
    const response = await fetch(form.dataset.api, {
      method, headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
      credentials: "same-origin",
    });
    const payload = await response.json().catch(() => ({}));
    if (!response.ok) {
      const detail = payload.detail;
      throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail || response.status));
    }
    const next = form.dataset.next;
    if (!next || next === "reload") { window.location.reload(); return; }
    window.location.href = next.replace("{id}", payload.id ?? payload.plan_id ?? "");
  } catch (err) {
    if (error) error.textContent = err.message;
    if (button) button.disabled = false;
  }
}

function setupPlanSelection() {
  const form = document.getElementById("plan-form");
  if (!form) return;
  const picks = () => Array.from(document.querySelectorAll("input.pick"));
  const count = document.getElementById("selected-count");
  const submit = document.getElementById("plan-submit");
  const refresh = () => {
    const n = picks().filter((p) => p.checked).length;
    count.textContent = count.dataset.template.replace("{n}", n);
    submit.disabled = n === 0;
  };
  document.getElementById("select-all")?.addEventListener("change", (e) => {
    picks().forEach((p) => { p.checked = e.target.checked; });
    refresh();
  });
  picks().forEach((p) => p.addEventListener("change", refresh));
  form._extra = () => ({property_ids: picks().filter((p) => p.checked).map((p) => p.value)});
  const start = form.querySelector("input[name=start_on]");
  if (start && !start.value) start.value = new Date().toISOString().slice(0, 10);
}

function setupMeasureForm() {
  // A new measure is appended to the entry's list of measures, as one register edit.
  const form = document.getElementById("measure-form");
  if (!form) return;
  form._body = () => {
    const entry = pageData().entry;
    const measure = {};
    for (const el of form.elements) {
      if (el.name && el.value !== "" && !("top" in el.dataset)) measure[el.name] = el.value;
    }
    return {
      changes: {measures: [...(entry.measures || []), measure]},
      reason: form.elements.reason.value,
      expected_version: entry.version,
    };
  };
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-api]").forEach((f) => f.addEventListener("submit", submitApiForm));
  setupPlanSelection();
  setupMeasureForm();
  document.querySelectorAll(".clamp").forEach((el) => {
    el.title = el.dataset.more || "";
    el.addEventListener("click", () => el.classList.toggle("open"));
  });
  document.querySelectorAll("input[type=date][data-today]").forEach((el) => {
    if (!el.value) el.value = new Date().toISOString().slice(0, 10);
  });
});
