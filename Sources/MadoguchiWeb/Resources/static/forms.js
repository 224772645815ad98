// The no-writing counter's staff form: 日本人 / 外国人住民 items shown one at a time, live checks and preview while
// typing, keyboard shortcuts, preview values that jump to their input, address entry helpers and attachments.
// Without this script the form still saves and checks on the server.
(function () {
  "use strict";
  const main = document.querySelector("main[data-case]");
  const form = document.getElementById("case-form");
  if (!main || !form) return;
  const caseID = main.dataset.case;
  const editable = main.dataset.editable === "1";

  function applyKind(fieldset) {
    const select = fieldset.querySelector("select[id$='-kind']");
    if (!select) return;
    for (const group of fieldset.querySelectorAll("[data-kind]")) {
      const shown = group.dataset.kind === select.value;
      group.hidden = !shown;
      for (const input of group.querySelectorAll("input, select")) input.disabled = !shown || !editable;
    }
  }
  for (const fieldset of form.querySelectorAll("fieldset.person")) {
    applyKind(fieldset);
    const select = fieldset.querySelector("select[id$='-kind']");
    if (select) select.addEventListener("change", () => applyKind(fieldset));
  }

  function focusInput(id) {
    const input = document.getElementById(id);
    if (!input) return false;
    const group = input.closest("[data-kind]");
    if (group && group.hidden) return false;
    input.focus();
    if (input.select && input.tagName === "INPUT") input.select();
    return true;
  }

  // After opening a case or adding a member, the clerk types on at once where the address points.
  if (location.hash.length > 1) focusInput(decodeURIComponent(location.hash.slice(1)));

  document.getElementById("form-preview").addEventListener("click", (event) => {
    const link = event.target.closest("a.form-value");
    if (!link) return;
    event.preventDefault();
    focusInput(link.dataset.input);
  });
  document.getElementById("fault-summary").addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    event.preventDefault();
    focusInput(link.getAttribute("href").slice(1));
  });

  function renderFaults(faults) {
    for (const element of form.querySelectorAll(".field-error")) {
      if (element.id.startsWith("err-")) element.textContent = "";
    }
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    const summary = document.getElementById("fault-summary");
    summary.textContent = "";
    const errors = faults.filter((f) => f.severity === "error");
    if (faults.length === 0) return;
    const heading = document.createElement("p");
    heading.textContent = "確認が必要な項目: " + errors.length + " 件の誤り";
    summary.appendChild(heading);
    const list = document.createElement("ul");
    for (const fault of faults) {
      const slot = document.getElementById("err-" + fault.input);
      if (slot) slot.textContent = (slot.textContent ? slot.textContent + " " : "") + fault.message;
      const input = document.getElementById(fault.input);
      if (input && fault.severity === "error") input.setAttribute("aria-invalid", "true");
      const item = document.createElement("li");
      item.className = fault.severity === "error" ? "fault-error" : "fault-warning";
      const link = document.createElement("a");
      link.href = "#" + fault.input;
      link.textContent = (fault.severity === "error" ? "誤り: " : "確認: ") + fault.message;
      item.appendChild(link);
      list.appendChild(item);
    }
    summary.appendChild(list);
  }

  let timer = null;
  let sequence = 0;
  async function check() {
    const mine = ++sequence;
    const body = new URLSearchParams(new FormData(form));
    try {
      const answer = await fetch("/staff/forms/" + caseID + "/check", { method: "POST", body, headers: { "Accept": "application/json" } });
      if (!answer.ok || mine !== sequence) return;
      const result = await answer.json();
      if (mine !== sequence) return;
      renderFaults(result.faults);
      document.getElementById("form-preview").innerHTML = result.preview;
      for (const [id, text] of Object.entries(result.hints)) {
        const hint = document.getElementById("hint-" + id);
        if (hint) hint.textContent = text;
      }
      main.dataset.checked = String(mine);
    } catch (error) {
      // A failed check changes nothing; saving checks again on the server.
    }
  }
  // Unsaved entries are never lost silently: leaving asks first, and printing saves them first.
  let dirty = false;
  if (editable) {
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("change", () => { dirty = true; });
    form.addEventListener("submit", () => { dirty = false; });
    window.addEventListener("beforeunload", (event) => {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
    const printForm = document.getElementById("print-form");
    printForm.addEventListener("submit", async (event) => {
      if (!dirty) return;
      event.preventDefault();
      const target = window.open("", "_blank");
      const body = new URLSearchParams(new FormData(form));
      body.set("action", "save");
      // form.action would be the buttons named "action": read the attribute.
      await fetch(form.getAttribute("action"), { method: "POST", body });
      dirty = false;
      const url = printForm.getAttribute("action") + "?" + new URLSearchParams(new FormData(printForm));
      if (target) target.location = url; else window.location = url;
    });
  }
  if (editable) {
    form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 300); });
    form.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(check, 50); });
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && editable) {
      event.preventDefault();
      document.getElementById("save-case").click();
    } else if (event.key === "F8") {
      event.preventDefault();
      const invalid = [...form.querySelectorAll("[aria-invalid='true']")].filter((e) => !e.disabled);
      if (invalid.length === 0) return;
      const next = invalid.find((e) => e.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_PRECEDING) || invalid[0];
      next.focus();
    } else if (event.altKey && (event.key === "p" || event.key === "P") && editable) {
      event.preventDefault();
      document.getElementById("add-person").click();
    } else if (event.altKey && (event.key === "k" || event.key === "K") && editable) {
      event.preventDefault();
      document.getElementById("complete-case").click();
    }
  });

  const phrase = document.getElementById("f-phrase");
  const remarks = document.getElementById("f-remarks");
  if (phrase && remarks) {
    phrase.addEventListener("change", () => {
      if (!phrase.value) return;
      remarks.value = remarks.value ? remarks.value + "\n" + phrase.value : phrase.value;
      phrase.value = "";
      remarks.focus();
      check();
    });
  }

  // Address entry (K3 i, j): the helper fills the address or 本籍 input focused last.
  const helper = document.getElementById("address-helper");
  if (helper && editable) {
    helper.hidden = false;
    let target = document.getElementById("f-newAddress");
    const targetNote = document.getElementById("helper-target");
    const results = document.getElementById("address-results");
    function describeTarget() {
      const label = target && document.querySelector("label[for='" + target.id + "']");
      targetNote.textContent = label ? "入力先: " + label.textContent : "";
    }
    form.addEventListener("focusin", (event) => {
      if (event.target.dataset && event.target.dataset.address) { target = event.target; describeTarget(); }
    });
    describeTarget();
    // F4 on an address or 本籍 input opens the helper for it; choosing a town brings the focus back.
    form.addEventListener("keydown", (event) => {
      if (event.key !== "F4" || !(event.target.dataset && event.target.dataset.address)) return;
      event.preventDefault();
      target = event.target;
      describeTarget();
      document.getElementById("helper-prefecture").focus();
    });
    function choices(items, pick) {
      results.textContent = "";
      if (items.length === 0) {
        const none = document.createElement("li");
        none.textContent = "候補がありません。";
        results.appendChild(none);
        return;
      }
      for (const item of items) {
        const li = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = item.label;
        button.addEventListener("click", () => pick(item));
        li.appendChild(button);
        results.appendChild(li);
      }
      results.querySelector("button").focus();
    }
    function fill(text) {
      if (!target) return;
      target.value = text;
      target.focus();
      target.setSelectionRange(text.length, text.length);
      results.textContent = "";
      check();
    }
    async function get(path, params) {
      const answer = await fetch("/api/v1/addresses" + path + "?" + new URLSearchParams(params), { headers: { "Accept": "application/json" } });
      if (!answer.ok) {
        const body = await answer.json().catch(() => ({}));
        throw new Error(body.error ? body.error.message : "住所を読めません。");
      }
      return answer.json();
    }
    function towns(list) {
      return list.map((a) => ({ label: a.postalCode.slice(0, 3) + "-" + a.postalCode.slice(3) + " " + a.prefecture + a.city + a.town + (a.townNote ? "（" + a.townNote + "）" : ""),
        text: a.prefecture + a.city + a.town }));
    }
    function report(error) {
      results.textContent = "";
      const li = document.createElement("li");
      li.textContent = error.message;
      results.appendChild(li);
    }
    document.getElementById("helper-postal-go").addEventListener("click", async () => {
      try { choices(towns((await get("", { postal: document.getElementById("helper-postal").value })).addresses), (i) => fill(i.text)); } catch (e) { report(e); }
    });
    document.getElementById("helper-search").addEventListener("click", async () => {
      try {
        const found = await get("/search", { prefecture: document.getElementById("helper-prefecture").value, city: document.getElementById("helper-city").value,
          town: document.getElementById("helper-town").value });
        choices(towns(found.addresses), (i) => fill(i.text));
      } catch (e) { report(e); }
    });
    document.getElementById("helper-browse").addEventListener("click", async () => {
      try {
        const prefectures = (await get("/prefectures", {})).prefectures;
        choices(prefectures.map((p) => ({ label: p, text: p })), async (p) => {
          const cities = (await get("/cities", { prefecture: p.text })).cities;
          choices(cities.map((c) => ({ label: c, text: c })), async (c) => {
            const list = (await get("/towns", { prefecture: p.text, city: c.text })).addresses;
            choices(towns(list), (i) => fill(i.text));
          });
        });
      } catch (e) { report(e); }
    });
    for (const id of ["helper-postal", "helper-prefecture", "helper-city", "helper-town"]) {
      document.getElementById(id).addEventListener("keydown", (event) => {
        if (event.key !== "Enter") return;
        event.preventDefault();
        document.getElementById(id === "helper-postal" ? "helper-postal-go" : "helper-search").click();
      });
    }
  }

  const upload = document.getElementById("attachment-upload");
  if (upload) {
    upload.addEventListener("click", async () => {
      const file = document.getElementById("attachment-file").files[0];
      const message = document.getElementById("attachment-message");
      if (!file) { message.textContent = "ファイルを選んでください。"; return; }
      const answer = await fetch("/api/v1/cases/" + caseID + "/attachments?" + new URLSearchParams({ name: file.name }), { method: "POST", body: file });
      if (answer.ok) {
        // Listed in place: a reload would lose what was typed and not yet saved.
        const attached = await answer.json();
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = "/staff/forms/" + caseID + "/attachments/" + attached.id;
        link.textContent = attached.fileName;
        item.appendChild(link);
        item.appendChild(document.createTextNode("（" + attached.contentType + "・" + Math.max(1, Math.floor(attached.bytes / 1024)) + " KB）"));
        document.getElementById("attachments").appendChild(item);
        const none = document.getElementById("no-attachments");
        if (none) none.remove();
        document.getElementById("attachment-file").value = "";
        message.textContent = "「" + attached.fileName + "」を添付しました。";
        return;
      }
      const body = await answer.json().catch(() => ({}));
      message.textContent = body.error ? body.error.message : "添付できませんでした。";
    });
  }
})();
