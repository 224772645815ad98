// While a long report is computed the page says so and counts the seconds instead of looking frozen.
(function () {
  const form = document.getElementById("statistics-form");
  const progress = document.getElementById("progress");
  if (!form || !progress) return;
  form.addEventListener("submit", function () {
    const started = Date.now();
    progress.textContent = "集計しています…";
    setInterval(function () {
      progress.textContent = "集計しています…（" + Math.round((Date.now() - started) / 1000) + "秒）";
    }, 1000);
  });
})();
