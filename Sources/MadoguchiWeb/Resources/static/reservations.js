// /staff/reservations: sends a chosen ID file as the request body to the API and shows the answer, with each
// faulty line and column when the file is refused (nothing is stored then).
"use strict";
for (const form of document.querySelectorAll("form[data-endpoint]")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = form.querySelector("input[type=file]");
    const result = form.querySelector("[role=status]");
    if (!input.files.length) return;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    result.textContent = "送信しています…";
    try {
      const response = await fetch(form.dataset.endpoint, { method: "POST", body: input.files[0], headers: { "Content-Type": "text/csv" } });
      const answer = await response.json();
      if (response.ok) {
        result.textContent = "deleted" in answer ? `${answer.deleted} 件の予約番号とその予約を削除しました。`
          : `取り込みました（追加 ${answer.added} 件・更新 ${answer.updated} 件）。`;
      } else {
        const faults = (answer.error.faults || []).map((f) => `${f.line}行${f.column}列: ${f.message}`);
        result.textContent = faults.length ? `取り込んでいません。${faults.length} 件の誤り: ${faults.join(" / ")}` : answer.error.message;
      }
    } catch (error) {
      result.textContent = "送信できませんでした。通信を確認してください。";
    }
  });
}
