// Counter console: the current ticket with its elapsed time, the counter's lines, big buttons with keyboard
// shortcuts, and a number field for a ten-key or a barcode scanner (which types the ticket's code and Enter).
(() => {
  "use strict";
  const root = document.querySelector("[data-counter]");
  const counter = root.dataset.counter;
  const names = JSON.parse(root.dataset.names);
  // "service/stage" → the name of the stage a finished ticket goes on to (absent when it is the last).
  const nextStages = JSON.parse(root.dataset.nextStages);
  const base = `/api/v1/counters/${encodeURIComponent(counter)}`;
  const $ = (id) => document.getElementById(id);
  const messageEl = $("message");
  const numberInput = $("number-input");
  let board = null;

  function say(text, isError = false) {
    messageEl.textContent = text;
    messageEl.classList.toggle("error", isError);
  }

  async function request(method, path, body) {
    const response = await fetch(path, {
      method, headers: body ? { "Content-Type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401) { location.href = "/staff/sign-in?next=" + encodeURIComponent(location.pathname); throw new Error("サインインしてください。"); }
    if (response.status === 204) return null;
    const data = await response.json();
    if (!response.ok) throw new Error(data.error?.message ?? "操作できませんでした。");
    return data;
  }

  function entryText(entry) {
    const stage = names[entry.stage] ?? "";
    return `${entry.displayNumber}　${names[entry.service] ?? ""}${stage ? "：" + stage : ""}`;
  }
  function fill(list, entries, limit) {
    list.replaceChildren(...entries.slice(0, limit).map((entry) => {
      const li = document.createElement("li");
      li.textContent = entryText(entry);
      li.dataset.number = entry.displayNumber;
      return li;
    }));
  }

  function render(next) {
    board = next;
    root.dataset.current = board.current?.displayNumber ?? "";
    $("current-number").textContent = board.current?.displayNumber ?? "ー";
    $("current-service").textContent = board.current ? entryText(board.current).split("　")[1] : "";
    $("open-state").textContent = board.open ? "● 開いています" : "○ 閉じています";
    for (const button of root.querySelectorAll("[data-needs-current]")) button.disabled = !board.current;
    $("waiting-count").textContent = String(board.waiting.length);
    fill($("waiting"), board.waiting, 30);
    fill($("held"), board.held, 50);
    fill($("absent"), board.absent, 50);
    tick();
  }

  function tick() {
    if (!board?.currentCalledAt) { $("elapsed").textContent = "ー"; return; }
    const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(board.currentCalledAt)) / 1000));
    $("elapsed").textContent = `${Math.floor(seconds / 60)}分${String(seconds % 60).padStart(2, "0")}秒`;
  }
  setInterval(tick, 1000);

  let refreshing = null;
  async function refresh() {
    if (refreshing) return refreshing;
    refreshing = request("GET", `${base}/board`).then(render).catch((error) => say(error.message, true)).finally(() => { refreshing = null; });
    return refreshing;
  }

  // Calling while serving someone finishes the current visitor first (the server does so): say where they went.
  function afterCurrent(previous) {
    if (!previous) return "";
    const next = nextStages[`${previous.service}/${previous.stage}`];
    return next ? `${previous.displayNumber} を「${next}」へ回し、` : `${previous.displayNumber} を完了し、`;
  }
  const done = {
    "call-next": (t, previous) => t ? `${afterCurrent(previous)}${t.displayNumber} を呼び出しました。`
      : previous ? `${afterCurrent(previous).replace(/、$/, "")}ました。お待ちの方はいません。` : "お待ちの方はいません。",
    recall: (t) => `${t.displayNumber} を再度呼び出しました。`,
    // A multi-stage ticket is not done when its stage is: it waits at the next one.
    finish: (t) => t.state === "waiting" ? `${t.displayNumber} を「${names[t.stage] ?? ""}」へ回しました（次の段階でお待ちいただきます）。`
      : `${t.displayNumber} を完了しました。`,
    hold: (t) => `${t.displayNumber} を保留にしました。`,
    absent: (t) => `${t.displayNumber} を不在にしました。`,
    cancel: (t) => `${t.displayNumber} を取り消しました。`,
  };
  async function act(action) {
    const button = root.querySelector(`[data-action="${action}"]`);
    if (button?.disabled) return;
    const previous = board?.current ?? null;
    try {
      const ticket = await request("POST", `${base}/${action}`);
      say(done[action](ticket, previous));
    } catch (error) { say(error.message, true); }
    refresh();
  }
  for (const button of root.querySelectorAll("[data-action]")) button.addEventListener("click", () => act(button.dataset.action));

  // 取消 cannot be taken back: it asks first, with the number, and Enter or Y confirms, Esc or N keeps the ticket.
  const cancelDialog = $("cancel-dialog");
  function askCancel() {
    if (!board?.current || cancelDialog.open) return;
    $("cancel-question").textContent = `${board.current.displayNumber} を取り消しますか？ 取り消した番号札は元に戻せません。`;
    cancelDialog.showModal();
    $("cancel-keep").focus();
  }
  $("cancel-button").addEventListener("click", askCancel);
  $("cancel-keep").addEventListener("click", () => cancelDialog.close());
  $("cancel-confirm").addEventListener("click", () => { cancelDialog.close(); act("cancel"); });
  cancelDialog.addEventListener("keydown", (event) => {
    const key = event.key.toLowerCase();
    if (key === "y" || (key === "enter" && document.activeElement !== $("cancel-keep"))) { event.preventDefault(); $("cancel-confirm").click(); }
    else if (key === "n") { event.preventDefault(); cancelDialog.close(); }
    event.stopPropagation();
  });
  cancelDialog.addEventListener("close", () => document.activeElement?.blur());

  $("toggle-open").addEventListener("click", async () => {
    try { await request("POST", `${base}/${board?.open ? "close" : "open"}`); } catch (error) { say(error.message, true); }
    refresh();
  });

  // What a scanner or a clerk typed: a ticket URL (…/t/TOKEN), a display number (A012) or digits.
  async function numberOf(text) {
    const token = text.match(/\/t\/([A-Za-z0-9_-]+)/)?.[1];
    if (token) return (await request("GET", `/api/v1/tickets/${encodeURIComponent(token)}`)).number;
    const digits = text.replace(/[^0-9０-９]/g, "").replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
    if (!digits) throw new Error("番号を入力してください。");
    return Number(digits);
  }
  $("number-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = numberInput.value.trim();
    numberInput.value = "";
    numberInput.blur();  // the page has the keys again: the next N calls instead of typing "n"
    const previous = board?.current ?? null;
    try {
      const ticket = await request("POST", `${base}/call`, { number: await numberOf(text) });
      say(`${previous && previous.id !== ticket.id ? afterCurrent(previous) : ""}${ticket.displayNumber} を呼び出しました。`);
    } catch (error) { say(error.message, true); }
    refresh();
  });

  $("transfer-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const target = $("transfer-target");
    const [kind, id] = target.value.split(/:(.*)/s);
    const destination = target.selectedOptions[0]?.textContent ?? "";
    target.blur();
    try {
      const ticket = await request("POST", `${base}/transfer`, { [kind]: id });
      say(`${ticket.displayNumber} を「${destination}」へ回しました。`);
    } catch (error) { say(error.message, true); }
    refresh();
  });

  // Single letters are shortcuts; a barcode scanner types a whole code (…/t/TOKEN) within milliseconds, so keys
  // that follow each other faster than a person types are collected as a scan and sent to the number field.
  // Enter on the chosen destination sends the ticket there (T, arrow keys, Enter: no mouse needed).
  $("transfer-target").addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); $("transfer-form").requestSubmit(); }
  });

  const shortcuts = { n: "call-next", r: "recall", f: "finish", h: "hold", a: "absent" };
  let burst = null;
  function endBurst(submit) {
    clearTimeout(burst.timer);
    const text = burst.text;
    burst = null;
    if (!submit && text.length === 1) {
      const key = text.toLowerCase();
      if (shortcuts[key]) act(shortcuts[key]);
      else if (key === "c") askCancel();
      else if (key === "t") $("transfer-target").focus();
      else if (key === "o") $("toggle-open").click();
      return;
    }
    numberInput.value = text;
    numberInput.focus();
    if (submit) $("number-form").requestSubmit();
  }
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || cancelDialog.open) return;
    const typing = event.target.matches("input, select, textarea");
    if (typing) { if (event.key === "Escape") event.target.blur(); return; }
    if (burst && event.key === "Enter") { event.preventDefault(); endBurst(true); return; }
    if (event.key.length !== 1) return;
    if (!burst && /^[0-9]$/.test(event.key)) { numberInput.focus(); return; }  // a ten-key starts typing a number
    event.preventDefault();
    if (burst) {
      burst.text += event.key;
      clearTimeout(burst.timer);
    } else {
      burst = { text: event.key };
    }
    burst.timer = setTimeout(() => endBurst(false), 60);
  });

  Madoguchi.follow(root, root.dataset.events, { onStatus: () => refresh() });
  refresh();
})();
