// Lobby monitor: numbers being called (the newest highlighted), waits per service and later stage, absent
// numbers; every call and recall is announced with the monitor's voice settings.
(() => {
  "use strict";
  const root = document.querySelector("[data-monitor]");
  const t = root.dataset;
  const shown = new Set(t.services.split(",").filter(Boolean));
  const callsEl = document.getElementById("calls");
  const announcer = new Madoguchi.Announcer({
    volume: () => Number(t.volume), gender: t.voiceGender, languages: t.languages.split(","), flashEl: callsEl,
    voiceEl: document.getElementById("voice"),
  });

  function item(text, className) {
    const li = document.createElement("li");
    if (className) li.className = className;
    li.textContent = text;
    return li;
  }

  function render(status) {
    const calls = status.calls.filter((call) => shown.has(call.service)).slice(0, 8);
    callsEl.replaceChildren(...calls.map((call, index) => {
      const li = item("", index === 0 ? "newest" : "");
      const number = document.createElement("span");
      number.className = "call-number";
      number.textContent = call.displayNumber;
      const counter = document.createElement("span");
      counter.className = "call-counter";
      counter.textContent = call.counterName;
      li.append(number, counter);
      return li;
    }));
    if (calls.length === 0) callsEl.replaceChildren(item(t.tNoCalls, "empty"));
    const absent = [];
    for (const service of status.services) {
      if (!shown.has(service.id)) continue;
      absent.push(...service.absent);
      const row = root.querySelector(`tr[data-service="${CSS.escape(service.id)}"]`);
      if (!row) continue;
      row.querySelector('[data-field="waiting"]').textContent = Madoguchi.format(t.tPeople, service.waiting);
      row.querySelector('[data-field="estimate"]').textContent =
        service.estimatedWaitMinutes === null ? t.tNone : Madoguchi.format(t.tMinutes, service.estimatedWaitMinutes);
      row.querySelector('[data-field="later"]').textContent =
        service.stages.slice(1).map((stage) => `${stage.name}待ち ${stage.waiting}人`).join("　");
    }
    document.getElementById("absent").textContent = absent.join("　");
  }

  Madoguchi.follow(root, t.events, {
    onStatus: render,
    onEvent(kind, message) {
      // Voice, volume, ticker and services are set in the page; a configuration change reloads it.
      if (kind === "configurationChanged") { location.reload(); return; }
      if ((kind === "ticketCalled" || kind === "ticketRecalled") && message.ticket && shown.has(message.ticket.service)) {
        announcer.announce(message.announcements ?? []);
      }
    },
  });

  const clock = document.getElementById("clock");
  setInterval(() => {
    const now = new Date();
    clock.textContent = now.toLocaleTimeString("ja-JP", { hour: "numeric", minute: "2-digit", timeZone: "Asia/Tokyo" });
  }, 10000);
})();
