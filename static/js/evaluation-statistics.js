/* The bar chart of the evaluation statistics page (templates/admin/evaluation/statistics.html).
   Data from the json_script element #evaluation-statistics-data; no inline script. Needs
   Chart.js (static/vendor/chartjs-4.6.1), loaded before this file, both with defer. */
(function () {
  "use strict";

  var source = document.getElementById("evaluation-statistics-data");
  var canvas = document.getElementById("chart-grades");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var Chart = window.Chart;
  if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    Chart.defaults.animation = false;
  }
  var text = getComputedStyle(document.body).getPropertyValue("--body-fg").trim();
  if (text) {
    Chart.defaults.color = text;
  }
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{ label: data.label, data: data.values, backgroundColor: "#417690" }]
    },
    options: {
      responsive: true,
      plugins: { legend: { display: false } },
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
})();
