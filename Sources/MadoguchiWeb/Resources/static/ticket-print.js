// Opened directly after a form post (no JavaScript on the menu): print once, then go back to the menu.
(() => {
  "use strict";
  const ticket = document.querySelector("[data-auto-print]");
  if (ticket.dataset.autoPrint !== "1") return;
  window.addEventListener("load", () => {
    window.print();
    setTimeout(() => { location.href = document.querySelector(".back a").href; }, 10000);
  });
})();
