// Lobby monitor: numbers being called (the newest highlighted, the three newest large, older ones on one line),
// waits per service and later stage, absent numbers; the fixed words alternate between the screen's languages;
// every call and recall is announced with the monitor's voice settings. The page fits 1920×1080 at any load: when
// the waiting table is taller than its column, it is scaled down until it fits.
(() => {
  "use strict";
  const root = document.querySelector("[data-monitor]");
  const t = root.dataset;
  const texts = JSON.parse(t.texts);
  const shown = new Set(t.services.split(",").filter(Boolean));
  const largeCalls = Number(t.largeCalls), earlierCalls = Number(t.earlierCalls);
  const callsEl = document.getElementById("calls");
  const column = document.getElementById("waiting-column");
  const announcer = new Madoguchi.Announcer({
    volume: () => Number(t.volume), gender: t.voiceGender, languages: t.announce.split(","), flashEl: callsEl,
    voiceEl: document.getElementById("voice"),
  });
  let words = texts[t.languages.split(",")[0]] ?? {};
  let last = null;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(status) {
    last = status;
    const calls = status.calls.filter((call) => shown.has(call.service));
    callsEl.replaceChildren(...calls.slice(0, largeCalls).map((call, index) => {
      const li = element("li", index === 0 ? "newest" : "");
      const counter = element("span", "call-counter", words[`counter:${call.counter}`] ?? call.counterName);
      counter.dataset.t = `counter:${call.counter}`;
      li.append(element("span", "call-number", call.displayNumber), counter);
      return li;
    }));
    if (calls.length === 0) {
      const empty = element("li", "empty", words.noCalls);
      empty.dataset.t = "noCalls";
      callsEl.replaceChildren(empty);
    }
    const earlier = calls.slice(largeCalls, largeCalls + earlierCalls).map((call) => call.displayNumber);
    document.getElementById("earlier-numbers").textContent = earlier.join("　");
    document.getElementById("earlier").hidden = earlier.length === 0;
    const absent = [];
    for (const service of status.services) {
      if (!shown.has(service.id)) continue;
      absent.push(...service.absent);
      const row = root.querySelector(`tr[data-service="${CSS.escape(service.id)}"]`);
      if (!row) continue;
      row.querySelector('[data-field="waiting"]').textContent = Madoguchi.format(words.peopleFormat, service.waiting);
      row.querySelector('[data-field="estimate"]').textContent =
        service.estimatedWaitMinutes === null ? words.noEstimate : Madoguchi.format(words.minutesFormat, service.estimatedWaitMinutes);
      row.querySelector('[data-field="later"]').textContent = service.stages.slice(1).map((stage) =>
        Madoguchi.format(words.laterStageFormat, stage.waiting).replace("{stage}", words[`stage:${stage.id}`] ?? stage.name)).join("　");
    }
    document.getElementById("absent").textContent = absent.join("　");
    document.getElementById("absent-box").hidden = absent.length === 0;
    fit();
  }

  // Scales the waiting column's type down (to 60 % at least) while it is taller than the space it has.
  function fit() {
    let scale = 1;
    column.style.setProperty("--fit", "1");
    const overflowing = () => column.scrollHeight > column.clientHeight + 1 || column.scrollWidth > column.clientWidth + 1;
    while (overflowing() && scale > 0.6) {
      scale -= 0.05;
      column.style.setProperty("--fit", scale.toFixed(2));
    }
    root.dataset.fit = scale.toFixed(2);
  }

  Madoguchi.alternateLanguages(root, texts, t.languages.split(","), Number(t.seconds), (language, languageWords) => {
    words = languageWords;
    if (last) render(last); else fit();
  });

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

  // Staff check the voice with the S key (setup mode); the public never sees it.
  document.addEventListener("keydown", (event) => { if (event.key === "s" || event.key === "S") document.body.classList.toggle("setup"); });

  const clock = document.getElementById("clock");
  setInterval(() => {
    const now = new Date();
    clock.textContent = now.toLocaleTimeString("ja-JP", { hour: "numeric", minute: "2-digit", timeZone: "Asia/Tokyo" });
  }, 10000);
})();
