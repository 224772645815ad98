// Kiosk: live counts on the service buttons; a touch issues a ticket, shows its number and prints it.
(() => {
  "use strict";
  const root = document.querySelector("[data-kiosk]");
  const t = root.dataset;
  const dialog = document.getElementById("issued");
  const frame = document.getElementById("print-frame");
  let closeTimer = null;

  // Configured button colours (checked for 7:1 against white text when the configuration is saved).
  for (const button of root.querySelectorAll("button.service[data-colour]")) {
    if (/^#[0-9a-fA-F]{6}$/.test(button.dataset.colour)) {
      button.style.setProperty("--service-colour", button.dataset.colour);
      button.classList.add("coloured");
    }
  }

  function render(status) {
    for (const service of status.services) {
      const button = root.querySelector(`button[data-service="${CSS.escape(service.id)}"]`);
      if (!button) continue;
      button.querySelector('[data-field="waiting"]').textContent = Madoguchi.format(t.tPeople, service.waiting);
      button.querySelector('[data-field="estimate"]').textContent =
        service.estimatedWaitMinutes === null ? t.tNone : Madoguchi.format(t.tMinutes, service.estimatedWaitMinutes);
      const closed = service.closedMessage !== null;
      button.disabled = closed;
      button.setAttribute("aria-disabled", String(closed));
      button.querySelector(".service-figures").hidden = closed;
      const closedEl = button.querySelector('[data-field="closed"]');
      closedEl.hidden = !closed;
      if (closed) closedEl.textContent = "⛔ " + (service.closedMessage || t.tClosed);
    }
  }

  // A menu or closure change by staff, or the weekly schedule, rebuilds the menu; never while a ticket shows.
  let reloadWanted = false;
  function reloadWhenIdle() {
    reloadWanted = true;
    if (dialog.hidden) location.reload();
  }
  const nextChange = Number(t.nextChange) - Date.now();
  if (nextChange > 0 && nextChange < 2 ** 31) setTimeout(reloadWhenIdle, nextChange + 1000);

  Madoguchi.follow(root, t.events, {
    onStatus: render,
    onEvent(kind, message) {
      // Staff changed this kiosk's menu, or an administrator changed the configuration (names, services, texts).
      if ((kind === "kioskMenuChanged" && message.kiosk === t.kiosk) || kind === "configurationChanged") reloadWhenIdle();
    },
  });

  function closeDialog() {
    clearTimeout(closeTimer);
    dialog.hidden = true;
    if (reloadWanted) location.reload();
    else root.querySelector("button.service:not([disabled])")?.focus();
  }
  document.getElementById("issued-close").addEventListener("click", closeDialog);
  document.addEventListener("keydown", (event) => { if (event.key === "Escape" && !dialog.hidden) closeDialog(); });

  async function issue(serviceID) {
    const button = root.querySelector(`button[data-service="${CSS.escape(serviceID)}"]`);
    document.getElementById("issued-service").textContent = button?.querySelector(".service-name")?.textContent ?? "";
    document.getElementById("issued-wait").textContent = "";
    document.getElementById("issued-error").hidden = true;
    document.getElementById("issued-printing").hidden = t.printMode === "none";
    let ticket;
    try {
      const response = await fetch(`/api/v1/offices/${encodeURIComponent(t.office)}/tickets`, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ service: serviceID, kiosk: t.kiosk }),
      });
      if (!response.ok) throw new Error((await response.json()).error?.message ?? t.tFailed);
      ticket = await response.json();
    } catch (error) {
      document.getElementById("issued-number").textContent = "";
      document.getElementById("issued-ahead").textContent = "";
      document.getElementById("issued-printing").hidden = true;
      const failed = document.getElementById("issued-error");
      failed.textContent = error.message || t.tFailed;
      failed.hidden = false;
      dialog.hidden = false;
      document.getElementById("issued-close").focus();
      return;
    }
    document.getElementById("issued-number").textContent = ticket.displayNumber;
    document.getElementById("issued-ahead").textContent = ticket.peopleAhead === null ? "" : Madoguchi.format(t.tAhead, ticket.peopleAhead);
    document.getElementById("issued-wait").textContent = ticket.estimatedWaitMinutes === null || ticket.estimatedWaitMinutes === undefined
      ? "" : `${t.tEstimate} ${Madoguchi.format(t.tMinutes, ticket.estimatedWaitMinutes)}`;
    root.dataset.lastTicket = ticket.displayNumber;
    dialog.hidden = false;
    document.getElementById("issued-close").focus();
    if (t.printMode === "browser") {
      frame.onload = () => { frame.contentWindow.print(); document.getElementById("issued-printing").hidden = true; };
      frame.src = `/kiosk/${encodeURIComponent(t.kiosk)}/tickets/${encodeURIComponent(ticket.token)}/print?lang=${encodeURIComponent(t.lang)}`;
    }
    closeTimer = setTimeout(closeDialog, 10000);
  }

  for (const form of root.querySelectorAll("form")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      issue(form.querySelector('input[name="service"]').value);
    });
  }

  // A web ticket's QR code held to the kiosk's scanner (which types its URL and Enter within milliseconds) checks
  // its holder in.
  let scanned = "";
  let scanTimer = null;
  document.addEventListener("keydown", async (event) => {
    if (event.key === "Enter" && scanned.includes("/t/")) {
      const token = scanned.match(/\/t\/([A-Za-z0-9_-]+)/)?.[1];
      scanned = "";
      if (!token) return;
      const result = document.getElementById("check-in-result");
      const response = await fetch(`/api/v1/tickets/${encodeURIComponent(token)}/check-in`, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code: t.checkInCode }),
      });
      const body = await response.json();
      result.textContent = response.ok ? `✔ ${body.displayNumber}` : (body.error?.message ?? "");
      root.dataset.lastCheckIn = response.ok ? body.displayNumber : "";
      return;
    }
    if (event.key.length === 1) {
      scanned += event.key;
      clearTimeout(scanTimer);
      scanTimer = setTimeout(() => { scanned = ""; }, 200);
    }
  });

  // A visitor who switched language and walked away: back to Japanese after a minute without a touch.
  if (t.lang !== "ja") {
    let idle = setTimeout(() => { location.href = `/kiosk/${encodeURIComponent(t.kiosk)}`; }, 60000);
    for (const kind of ["pointerdown", "keydown"]) {
      document.addEventListener(kind, () => {
        clearTimeout(idle);
        idle = setTimeout(() => { location.href = `/kiosk/${encodeURIComponent(t.kiosk)}`; }, 60000);
      });
    }
  }
})();
