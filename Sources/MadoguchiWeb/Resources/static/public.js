// Public pages: the server renders everything; this keeps it current from the live streams.
(() => {
  "use strict";
  const root = document.querySelector("main[data-page]");
  const t = root.dataset;
  const people = (n) => Madoguchi.format(t.tPeople, n);
  const estimate = (service) => service.closedMessage !== null ? t.tClosed
    : service.estimatedWaitMinutes === null ? t.tNone : Madoguchi.format(t.tMinutes, service.estimatedWaitMinutes);
  const set = (scope, field, text) => { const el = scope?.querySelector(`[data-field="${field}"]`); if (el) el.textContent = text; };
  const updated = document.getElementById("last-updated");
  function stamp(date) {
    updated.textContent = new Date(date).toLocaleTimeString("ja-JP", { hour: "numeric", minute: "2-digit", second: "2-digit", timeZone: "Asia/Tokyo" });
  }

  if (t.page === "home") {
    const names = JSON.parse(t.officeNames);
    const statuses = new Map();
    function rank() {
      const list = document.getElementById("ranking");
      if (!list) return;
      const rows = [...list.children].map((li, index) => {
        const service = statuses.get(li.dataset.office)?.services.find((s) => s.id === li.dataset.service);
        return { li, index, service };
      }).filter((row) => row.service);
      const key = (row) => [row.service.closedMessage !== null ? 1 : 0, row.service.estimatedWaitMinutes ?? Infinity, row.service.waiting, row.index];
      rows.sort((a, b) => { const x = key(a), y = key(b); for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i]; return 0; });
      for (const row of rows) {
        list.append(row.li);
        set(row.li, "waiting", people(row.service.waiting));
        set(row.li, "estimate", estimate(row.service));
      }
      const best = rows[0];
      const recommendation = document.getElementById("recommendation");
      if (best && best.service.closedMessage === null) {
        const minutes = best.service.estimatedWaitMinutes;
        recommendation.textContent = (minutes === null ? t.tRecommendWaiting : t.tRecommendMinutes)
          .replace("{office}", names[best.li.dataset.office]).replace("{n}", String(minutes ?? best.service.waiting));
      }
    }
    Madoguchi.follow(root, t.events, {
      onStatus(status) {
        statuses.set(status.office, status);
        const card = root.querySelector(`section.office-card[data-office="${CSS.escape(status.office)}"]`);
        for (const service of status.services) {
          const row = card?.querySelector(`tr[data-service="${CSS.escape(service.id)}"]`);
          set(row, "waiting", people(service.waiting));
          set(row, "estimate", estimate(service));
        }
        stamp(status.asOf);
        rank();
      },
    });
  } else if (t.page === "office") {
    const stageNames = JSON.parse(t.stageNames);
    Madoguchi.follow(root, t.events, {
      onStatus(status) {
        for (const service of status.services) {
          const card = root.querySelector(`section[data-service="${CSS.escape(service.id)}"]`);
          set(card, "calling", service.calling.join("　"));
          set(card, "waiting", people(service.waiting));
          set(card, "estimate", estimate(service));
          set(card, "later", service.stages.slice(1).map((stage) => `${stageNames[stage.id] ?? stage.name} ${people(stage.waiting)}`).join("　"));
        }
        stamp(status.asOf);
      },
    });
  } else if (t.page === "ticket") {
    const stateTexts = JSON.parse(t.stateTexts);
    const counterNames = JSON.parse(t.counterNames);
    const message = document.getElementById("state-message");
    let pending = null;
    async function refresh() {
      if (pending) return;
      pending = fetch(`/api/v1/tickets/${encodeURIComponent(t.token)}`).then((r) => r.ok ? r.json() : null).then((ticket) => {
        if (!ticket) return;
        if (ticket.stage !== root.dataset.stage && root.dataset.stage) { location.reload(); return; }
        root.dataset.stage = ticket.stage;
        message.dataset.state = ticket.state;
        message.classList.toggle("passed", ticket.state === "absent");
        message.textContent = stateTexts[ticket.state].replace("{counter}", counterNames[ticket.counter] ?? "");
        const waiting = ticket.state === "waiting";
        for (const el of root.querySelectorAll("[data-waiting-only]")) el.hidden = !waiting;
        // Notifications only while there is a turn still to come.
        for (const el of root.querySelectorAll("[data-subscribable]")) el.hidden = !(waiting || ticket.state === "held");
        if (waiting) {
          document.getElementById("people-ahead").textContent = people(ticket.peopleAhead);
          document.getElementById("estimate").textContent =
            ticket.estimatedWaitMinutes === null ? t.tNone : Madoguchi.format(t.tMinutes, ticket.estimatedWaitMinutes);
        }
        stamp(new Date());
      }).finally(() => { pending = null; });
    }
    Madoguchi.follow(root, t.events, { onStatus: refresh });
  }
})();
