// A front end for the Appeals API, with no build step: list cases, show one,
// render its letter and form from the API, and sign. The API's address comes
// from ?api=... (default: the demo site).
"use strict";

const API = new URLSearchParams(location.search).get("api") || "http://127.0.0.1:8000";
const $ = (id) => document.getElementById(id);
let language = new URLSearchParams(location.search).get("lang") || "en";
let appealId = null;

async function getJSON(path) {
  const response = await fetch(API + path, { headers: { Accept: "application/json" } });
  return response.json();
}

async function listCases() {
  document.documentElement.lang = language;
  document.documentElement.dir = ["ar", "fa"].includes(language) ? "rtl" : "ltr";
  const data = await getJSON(`/api/v3/pages/?type=appeals.CasePage&locale=${language}`);
  const list = $("cases");
  list.replaceChildren();
  for (const item of data.items) {
    const link = document.createElement("a");
    link.href = "#" + item.id;
    link.textContent = item.title;
    link.addEventListener("click", (event) => { event.preventDefault(); showCase(item.id); });
    const entry = document.createElement("li");
    entry.append(link);
    list.append(entry);
  }
}

async function showCase(pageId) {
  const page = await getJSON(`/api/v3/pages/${pageId}/`);
  $("case-title").textContent = page.title;
  $("case-summary").textContent = page.summary;
  // The appeal block carries its appeal, where it stands in the body.
  const block = page.body.find((item) => item.type === "appeal" && item.appeal);
  appealId = block.appeal.id;
  const full = await getJSON(`/api/v3/appeals/${appealId}/?locale=${language}`);
  $("appeal-heading").textContent = full.heading;
  $("appeal-count").dataset.signatureCount = full.state.signature_count;
  $("appeal-count").textContent = full.state.signature_count.toLocaleString(language);
  $("letter").textContent = full.letter.text;
  renderForm(full.form);
  $("case").hidden = false;
}

function renderForm(schema) {
  const container = $("fields");
  container.replaceChildren();
  document.querySelector("[name=rendered_at]").value = schema.rendered_at;
  for (const field of schema.fields) {
    const wrapper = document.createElement("div");
    const label = document.createElement("label");
    label.htmlFor = "f-" + field.name;
    label.textContent = field.label;
    let input;
    if (field.type === "select") {
      input = document.createElement("select");
      input.append(new Option("—", ""));
      for (const choice of field.choices) input.append(new Option(choice.label, choice.value));
    } else if (field.type === "textarea") {
      input = document.createElement("textarea");
    } else {
      input = document.createElement("input");
      input.type = field.type === "checkbox" ? "checkbox" : field.type;
    }
    input.id = "f-" + field.name;
    input.name = field.name;
    if (field.max_length) input.maxLength = field.max_length;
    const error = document.createElement("p");
    error.className = "error";
    error.id = "e-" + field.name;
    if (field.type === "checkbox") {
      wrapper.className = "checkbox";
      wrapper.append(input, " ", label, error);
    } else {
      wrapper.append(label, input, error);
    }
    container.append(wrapper);
  }
}

async function sign(event) {
  event.preventDefault();
  const form = event.target;
  const payload = {};
  for (const element of form.elements) {
    if (!element.name) continue;
    payload[element.name] = element.type === "checkbox" ? element.checked : element.value;
  }
  const response = await fetch(`${API}/api/v3/appeals/${appealId}/signatures/?locale=${language}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(payload),
  });
  const body = await response.json();
  document.querySelectorAll(".error").forEach((element) => { element.textContent = ""; });
  if (body.errors) {
    for (const [name, messages] of Object.entries(body.errors)) {
      const element = $("e-" + name);
      if (element) element.textContent = messages.join(" ");
    }
    return;
  }
  $("status").textContent = body.message;
}

$("language").value = language;
$("language").addEventListener("change", (event) => { language = event.target.value; listCases(); $("case").hidden = true; });
$("signature-form").addEventListener("submit", sign);
listCases();
