// amends inbox: small enhancements over plain forms; every page works without them.
"use strict";
document.documentElement.classList.add("js");

function post(url, form, fields) {
  const body = new URLSearchParams();
  body.set("form_token", form.elements.form_token.value);
  for (const [k, v] of Object.entries(fields)) body.set(k, v);
  return fetch(url, {
    method: "POST", body: body, credentials: "same-origin",
    headers: {"Accept": "application/json"},
  }).then((r) => r.json().then((data) => ({ok: r.ok, data: data})));
}

function showFindings(findings, error) {
  const head = document.getElementById("findings-head");
  const list = document.getElementById("findings-list");
  if (!head || !list) return;
  list.replaceChildren();
  if (error) { head.className = "warn"; head.textContent = error; return; }
  head.className = findings.length ? "warn" : "ok";
  head.textContent = findings.length ? "Check before posting:" : "The checker finds nothing to change.";
  for (const f of findings) {
    const li = document.createElement("li");
    const code = document.createElement("strong");
    code.textContent = f.code;
    li.append(code, ": " + f.message);
    list.append(li);
  }
}

function draftBox() {
  const form = document.getElementById("draft-form");
  if (!form) return;
  const box = form.elements.draft;
  const copy = document.getElementById("copy");
  const said = document.getElementById("copied");
  copy.hidden = false;
  copy.addEventListener("click", () => {
    const done = () => { said.textContent = "Copied."; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(done, () => { box.select(); });
    } else {
      box.select();
      said.textContent = "Selected: copy it with your keyboard or the menu.";
    }
  });
  let timer = null;
  let asked = 0;
  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const mine = ++asked;
      post(form.dataset.check, form, {draft: box.value}).then((answer) => {
        if (mine !== asked) return;  // a newer check is on its way
        showFindings(answer.data.findings || [], answer.ok ? null : answer.data.error);
      }).catch(() => {});
    }, 350);
  });
}

function steps() {
  for (const form of document.querySelectorAll("form.step")) {
    const box = form.querySelector(".tick");
    const by = form.querySelector(".by");
    box.addEventListener("change", () => {
      post(form.action, form, {done: box.checked ? "1" : "0"}).then((answer) => {
        if (!answer.ok) { box.checked = !box.checked; by.textContent = answer.data.error || "not saved"; return; }
        form.elements.done.value = box.checked ? "0" : "1";
        by.textContent = (box.checked ? "done" : "reopened") + " by " + answer.data.by + " just now";
      }).catch(() => { box.checked = !box.checked; by.textContent = "not saved: no connection"; });
    });
  }
}

function refresh() {
  const holder = document.getElementById("list");
  const fresh = document.getElementById("fresh");
  if (!holder) return;
  setInterval(() => {
    if (document.hidden) return;
    const rows = document.getElementById("rows");
    fetch(holder.dataset.refresh, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (!data || String(data.mark) === rows.dataset.mark) return;
        const url = new URL(window.location.href);
        url.searchParams.set("fragment", "1");
        return fetch(url, {credentials: "same-origin"}).then((r) => (r.ok ? r.text() : null)).then((html) => {
          if (html === null) return;
          holder.innerHTML = html;  // our own server-rendered, escaped list
          fresh.textContent = "Updated " + new Date().toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
        });
      }).catch(() => {});
  }, 20000);
}

document.addEventListener("DOMContentLoaded", () => { draftBox(); steps(); refresh(); });
