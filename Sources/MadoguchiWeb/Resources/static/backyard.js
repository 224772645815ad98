// Backyard monitor: per service and stage the waiting count, the age of the oldest waiting ticket (amber and red
// past the thresholds, also named in words), open counters and tickets issued today; pages rotate.
(() => {
  "use strict";
  const root = document.querySelector("[data-monitor]");
  const t = root.dataset;
  // Two services fill a 1080p screen; more turn as pages.
  const sections = [...root.querySelectorAll(".backyard-page")];
  const perPage = 2;
  const pageCount = Math.max(1, Math.ceil(sections.length / perPage));
  const indicator = document.getElementById("page-indicator");
  let current = 0;

  function showPage(index) {
    current = index % pageCount;
    sections.forEach((section, i) => { section.hidden = Math.floor(i / perPage) !== current; });
    indicator.textContent = pageCount > 1 ? `${current + 1} / ${pageCount}` : "";
    root.dataset.page = String(current + 1);
  }
  showPage(0);
  if (pageCount > 1) setInterval(() => showPage(current + 1), Number(t.rotation) * 1000);

  function colour(row) {
    const since = Number(row.dataset.oldest);
    const minutes = since ? Math.max(0, Math.floor((Date.now() - since) / 60000)) : null;
    const urgency = minutes === null ? "normal" : minutes >= Number(t.red) ? "red" : minutes >= Number(t.amber) ? "amber" : "normal";
    row.className = "urgency-" + urgency;
    row.querySelector('[data-field="oldest"]').textContent = minutes === null ? "ー" : `${minutes}分`;
    row.querySelector('[data-field="urgency"]').textContent = { normal: "", amber: "⚠ 注意", red: "⛔ 要対応" }[urgency];
  }

  function render(status) {
    let issued = 0;
    for (const service of status.services) {
      const page = root.querySelector(`section[data-service="${CSS.escape(service.id)}"]`);
      if (!page) continue;
      issued += service.issuedToday;
      page.querySelector('[data-field="issued"]').textContent = String(service.issuedToday);
      for (const stage of service.stages) {
        const row = page.querySelector(`tr[data-stage="${CSS.escape(stage.id)}"]`);
        if (!row) continue;
        row.querySelector('[data-field="waiting"]').textContent = `${stage.waiting}人`;
        row.querySelector('[data-field="open"]').textContent = String(stage.openCounters);
        row.dataset.oldest = stage.oldestWaitingSince ? String(Date.parse(stage.oldestWaitingSince)) : "";
        colour(row);
      }
    }
    document.getElementById("issued-total").textContent = String(issued);
    document.getElementById("open-total").textContent = String(status.openCounters);
  }

  Madoguchi.follow(root, t.events, {
    onStatus: render,
    onEvent(kind) { if (kind === "configurationChanged") location.reload(); },  // thresholds and rotation live in the page
  });
  setInterval(() => root.querySelectorAll("tr[data-stage]").forEach(colour), 15000);
})();
