// Counter display: the number called to this counter, with a chime and a voice on every call and recall. Its
// words alternate between Japanese and English (one language with ?lang=); volume and voice are for staff, shown
// only in setup mode (the S key).
(() => {
  "use strict";
  const root = document.querySelector("[data-counter]");
  const counter = root.dataset.counter;
  const numberEl = document.getElementById("number");
  const idleEl = document.getElementById("idle");
  const labelEl = document.getElementById("number-label");
  const volumeEl = document.getElementById("volume");
  const volumeKey = "madoguchi.volume." + counter;

  volumeEl.value = localStorage.getItem(volumeKey) ?? "0.8";
  volumeEl.addEventListener("input", () => localStorage.setItem(volumeKey, volumeEl.value));
  const announcer = new Madoguchi.Announcer({
    volume: () => Number(volumeEl.value), languages: ["ja-JP"], flashEl: numberEl, voiceEl: document.getElementById("voice"),
  });

  function show(number) {
    numberEl.textContent = number;
    idleEl.hidden = number !== "";
    labelEl.hidden = number === "";  // between visitors only 「ただいま準備中です」, no heading over an empty number
  }

  Madoguchi.alternateLanguages(root, JSON.parse(root.dataset.texts), root.dataset.languages.split(","), Number(root.dataset.seconds));
  document.addEventListener("keydown", (event) => { if (event.key === "s" || event.key === "S") document.body.classList.toggle("setup"); });

  Madoguchi.follow(root, root.dataset.events, {
    onEvent(kind, message) {
      if (message.counter !== counter || !message.ticket) return;
      if (kind === "ticketCalled" || kind === "ticketRecalled") {
        show(message.ticket.displayNumber);
        announcer.announce(message.announcements ?? []);
      } else if (kind !== "ticketIssued" && numberEl.textContent === message.ticket.displayNumber) {
        show("");
      }
    },
  });
})();
