// Counter display: follows the office's live events, shows the number called to this counter, and announces it
// with a chime and a voice. Announcements never overlap: calls are queued and spoken in order.
(() => {
  "use strict";
  const root = document.querySelector("[data-counter]");
  const counter = root.dataset.counter;
  const numberEl = document.getElementById("number");
  const idleEl = document.getElementById("idle");
  const lostEl = document.getElementById("connection-lost");
  const volumeEl = document.getElementById("volume");
  const voiceEl = document.getElementById("voice");
  const volumeKey = "madoguchi.volume." + counter;

  volumeEl.value = localStorage.getItem(volumeKey) ?? "0.8";
  volumeEl.addEventListener("input", () => localStorage.setItem(volumeKey, volumeEl.value));

  function show(number) {
    numberEl.textContent = number;
    idleEl.hidden = number !== "";
  }

  // Voice: a Japanese voice when the browser has one; otherwise the chime and a flashing number.
  function japaneseVoice() {
    return (window.speechSynthesis?.getVoices() ?? []).find((v) => v.lang.toLowerCase().startsWith("ja")) ?? null;
  }
  function describeVoice() {
    const voice = japaneseVoice();
    voiceEl.textContent = voice ? "音声: " + voice.name : "音声なし（チャイムと点滅でお知らせ）";
  }
  describeVoice();
  window.speechSynthesis?.addEventListener?.("voiceschanged", describeVoice);

  let audio = null;
  function chime(volume) {
    return new Promise((resolve) => {
      try {
        audio = audio ?? new AudioContext();
        const gain = audio.createGain();
        gain.gain.value = volume * 0.3;
        gain.connect(audio.destination);
        [[880, 0], [659, 0.35]].forEach(([frequency, start]) => {
          const tone = audio.createOscillator();
          tone.frequency.value = frequency;
          tone.connect(gain);
          tone.start(audio.currentTime + start);
          tone.stop(audio.currentTime + start + 0.3);
        });
      } catch (e) { /* no audio device: the flash still tells */ }
      setTimeout(resolve, 700);
    });
  }
  function speak(announcement, volume) {
    return new Promise((resolve) => {
      const voice = japaneseVoice();
      if (!voice || !announcement) {
        numberEl.classList.remove("flash");
        void numberEl.offsetWidth;  // restart the animation
        numberEl.classList.add("flash");
        setTimeout(resolve, 3000);
        return;
      }
      const utterance = new SpeechSynthesisUtterance(announcement.speech);
      utterance.voice = voice;
      utterance.lang = announcement.language;
      utterance.volume = volume;
      utterance.onend = utterance.onerror = () => resolve();
      window.speechSynthesis.speak(utterance);
    });
  }
  const queue = [];
  let speaking = false;
  async function announceNext() {
    if (speaking || queue.length === 0) return;
    speaking = true;
    const announcement = queue.shift();
    const volume = Number(volumeEl.value);
    await chime(volume);
    await speak(announcement, volume);
    speaking = false;
    announceNext();
  }

  // Live events; EventSource reconnects by itself and resumes after the last event id.
  let lostTimer = null;
  const source = new EventSource(root.dataset.events);
  // data-live and data-events-seen let people and tests see the state of the stream.
  root.dataset.eventsSeen = "0";
  const seen = () => { root.dataset.eventsSeen = String(Number(root.dataset.eventsSeen) + 1); };
  source.addEventListener("open", () => {
    root.dataset.live = "open";
    clearTimeout(lostTimer);
    lostTimer = null;
    lostEl.hidden = true;
  });
  source.addEventListener("error", () => {
    root.dataset.live = "reconnecting";
    if (lostTimer === null) lostTimer = setTimeout(() => { lostEl.hidden = false; }, 3000);
  });
  for (const kind of ["ticketIssued", "counterOpened", "counterClosed"]) source.addEventListener(kind, seen);
  for (const kind of ["ticketCalled", "ticketRecalled"]) {
    source.addEventListener(kind, (event) => {
      seen();
      const message = JSON.parse(event.data);
      if (message.counter !== counter || !message.ticket) return;
      show(message.ticket.displayNumber);
      queue.push((message.announcements ?? []).find((a) => a.language === "ja-JP"));
      announceNext();
    });
  }
  for (const kind of ["ticketMovedToStage", "ticketDone", "ticketHeld", "ticketMarkedAbsent", "ticketCancelled", "ticketTransferred"]) {
    source.addEventListener(kind, (event) => {
      seen();
      const message = JSON.parse(event.data);
      if (message.counter === counter && message.ticket && numberEl.textContent === message.ticket.displayNumber) show("");
    });
  }
})();
