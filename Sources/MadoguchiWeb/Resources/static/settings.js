// Every delete asks once more before anything is removed (the form names what goes).
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => { if (!window.confirm(form.dataset.confirm)) event.preventDefault(); });
}

// Reads a chosen configuration file into the import box, so it can be looked at before it is loaded.
(function () {
  const file = document.getElementById("import-file");
  const box = document.getElementById("document");
  if (!file || !box) return;
  file.addEventListener("change", async function () {
    if (file.files.length > 0) box.value = await file.files[0].text();
  });
})();
