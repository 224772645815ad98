// Shared by every screen: following an office's live events, and speaking calls one after another.
(() => {
  "use strict";

  // Follows a live stream. EventSource reconnects by itself and resumes after the last event id; while it is
  // away the screen keeps its last state, and after 3 s a "connection lost" mark appears. `data-live` and
  // `data-events-seen` on `root` let people (and tests) see the state of the stream.
  function follow(root, url, { onStatus = () => {}, onEvent = () => {} } = {}) {
    const lost = document.getElementById("connection-lost");
    let lostTimer = null;
    root.dataset.eventsSeen = "0";
    const source = new EventSource(url);
    source.addEventListener("open", () => {
      root.dataset.live = "open";
      clearTimeout(lostTimer);
      lostTimer = null;
      if (lost) lost.hidden = true;
    });
    source.addEventListener("error", () => {
      root.dataset.live = "reconnecting";
      if (lostTimer === null && lost) lostTimer = setTimeout(() => { lost.hidden = false; }, 3000);
    });
    source.addEventListener("status", (event) => onStatus(JSON.parse(event.data)));
    const kinds = ["ticketIssued", "ticketCalled", "ticketRecalled", "ticketHeld", "ticketMarkedAbsent", "ticketCancelled",
      "ticketMovedToStage", "ticketDone", "ticketTransferred", "counterOpened", "counterClosed", "serviceClosed",
      "serviceReopened", "kioskMenuChanged", "ticketCheckedIn", "configurationChanged"];
    for (const kind of kinds) {
      source.addEventListener(kind, (event) => {
        const message = JSON.parse(event.data);
        if (message.status) onStatus(message.status);
        onEvent(kind, message);
        root.dataset.eventsSeen = String(Number(root.dataset.eventsSeen) + 1);
      });
    }
    return source;
  }

  // Voices do not state their gender; names do (espeak's "+f3"/"+m1" variants, vendor voice names).
  const femaleNames = /female|woman|\+f\d|kyoko|haruka|nanami|ayumi|mizuki|sayaka|o-ren|samantha|zira|aria|jenny|xiaoxiao|tingting|sunhi|yuna|heami/i;
  const maleNames = /(^|[^e])male|man\b|\+m\d|otoya|ichiro|keita|hattori|daniel|david|guy|yunxi|kangkang|injoon/i;

  // Speaks announcements in order, never overlapping: a chime, then each language's speech. Where no voice
  // speaks a language, the chime plays and `flashEl` flashes instead of staying silent.
  class Announcer {
    constructor({ volume, gender = "female", languages = ["ja-JP"], flashEl, voiceEl, voiceLabel = "音声" }) {
      Object.assign(this, { volume, gender, languages, flashEl, voiceEl, voiceLabel });
      this.queue = [];
      this.speaking = false;
      this.audio = null;
      this.describe();
      window.speechSynthesis?.addEventListener?.("voiceschanged", () => this.describe());
    }

    voiceFor(tag) {
      const base = tag.toLowerCase().split("-")[0];
      const candidates = (window.speechSynthesis?.getVoices() ?? []).filter((v) => v.lang.toLowerCase().replace("_", "-").startsWith(base));
      const wanted = this.gender === "male" ? maleNames : femaleNames;
      return candidates.find((v) => wanted.test(v.name)) ?? candidates[0] ?? null;
    }

    describe() {
      if (!this.voiceEl) return;
      const names = this.languages.map((tag) => { const v = this.voiceFor(tag); return v ? v.name : tag + ": —"; });
      const any = this.languages.some((tag) => this.voiceFor(tag));
      this.voiceEl.textContent = any ? this.voiceLabel + ": " + names.join(" / ") : this.voiceLabel + ": — (♪ + ✦)";
      this.voiceEl.dataset.voice = any ? "speech" : "chime";
    }

    announce(announcements) {
      const wanted = this.languages.map((tag) => announcements.find((a) => a.language === tag)).filter(Boolean);
      this.queue.push(wanted);
      this.next();
    }

    async next() {
      if (this.speaking || this.queue.length === 0) return;
      this.speaking = true;
      const items = this.queue.shift();
      const volume = this.volume();
      await this.chime(volume);
      for (const item of items) await this.speak(item, volume);
      if (items.length === 0) await this.flash();
      this.speaking = false;
      this.next();
    }

    chime(volume) {
      return new Promise((resolve) => {
        try {
          this.audio = this.audio ?? new AudioContext();
          const gain = this.audio.createGain();
          gain.gain.value = volume * 0.3;
          gain.connect(this.audio.destination);
          [[880, 0], [659, 0.35]].forEach(([frequency, start]) => {
            const tone = this.audio.createOscillator();
            tone.frequency.value = frequency;
            tone.connect(gain);
            tone.start(this.audio.currentTime + start);
            tone.stop(this.audio.currentTime + start + 0.3);
          });
        } catch (e) { /* no audio device: the flash still tells */ }
        setTimeout(resolve, 700);
      });
    }

    flash() {
      return new Promise((resolve) => {
        if (this.flashEl) {
          this.flashEl.classList.remove("flash");
          void this.flashEl.offsetWidth;  // restart the animation
          this.flashEl.classList.add("flash");
        }
        setTimeout(resolve, 3000);
      });
    }

    speak(announcement, volume) {
      const voice = this.voiceFor(announcement.language);
      if (!voice) return this.flash();
      return new Promise((resolve) => {
        const utterance = new SpeechSynthesisUtterance(announcement.speech);
        utterance.voice = voice;
        utterance.lang = announcement.language;
        utterance.volume = volume;
        utterance.onend = utterance.onerror = () => resolve();
        window.speechSynthesis.speak(utterance);
      });
    }
  }

  // A count in words, as VisitorText.counted says it on the server: one form, `one|other` or `zero|one|other`
  // ("1 person", "2 people", "soon" instead of "about 0 min").
  function format(template, n) {
    const forms = template.split("|");
    const form = forms.length === 3 ? forms[n === 0 ? 0 : n === 1 ? 1 : 2] : forms.length === 2 ? forms[n === 1 ? 0 : 1] : template;
    return form.replaceAll("{n}", String(n));
  }

  // Displays speak to everyone in the room: their fixed words alternate between languages every few seconds
  // (or stay in one with ?lang=). Elements marked data-t="key" take texts[language][key]; `onChange` redraws
  // what the screen builds itself. Returns a function that tells the language shown now.
  function alternateLanguages(root, texts, languages, seconds, onChange = () => {}) {
    let index = 0;
    function apply() {
      const language = languages[index];
      const words = texts[language] ?? {};
      document.documentElement.lang = language;
      root.dataset.language = language;
      for (const element of root.querySelectorAll("[data-t]")) {
        const word = words[element.dataset.t];
        if (word !== undefined) element.textContent = word;
      }
      onChange(language, words);
    }
    apply();
    if (languages.length > 1) setInterval(() => { index = (index + 1) % languages.length; apply(); }, seconds * 1000);
    return () => languages[index];
  }

  window.Madoguchi = { follow, Announcer, format, alternateLanguages };
})();
