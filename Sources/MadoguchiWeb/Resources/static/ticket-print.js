// The ticket page: sizes the printed page to the 80 mm roll and the ticket's own length, and, opened directly after
// a form post (no JavaScript on the menu), prints once and goes back to the menu.
(() => {
  "use strict";
  const ticket = document.querySelector("[data-auto-print]");
  function fitPage() {
    const millimetres = Math.ceil(ticket.getBoundingClientRect().height / (96 / 25.4)) + 4;
    const sheet = document.styleSheets[0];
    sheet.insertRule(`@page { size: 80mm ${millimetres}mm; margin: 0; }`, sheet.cssRules.length);
    document.documentElement.dataset.pageHeight = String(millimetres);
  }
  window.addEventListener("load", () => {
    fitPage();
    if (ticket.dataset.autoPrint !== "1") return;
    window.print();
    setTimeout(() => { location.href = document.querySelector(".back a").href; }, 10000);
  });
})();
