/* Charts of the Party-building coverage dashboard (templates/partybuilding/dashboard.html).
   The data comes from the page's json_script element #dashboard-data; nothing here is inline,
   so the page works under a Content Security Policy without inline scripts. Needs Chart.js
   (static/vendor/chartjs-4.6.1), loaded before this file, both with defer. */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var Chart = window.Chart;

  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  if (reduceMotion) {
    Chart.defaults.animation = false;
  }
  var text = getComputedStyle(document.body).getPropertyValue("--body-fg").trim();
  if (text) {
    Chart.defaults.color = text;
  }

  var PALETTE = ["#417690", "#e0a526", "#79aec8", "#9b59b6", "#c0392b", "#27ae60"];

  function percent(value) {
    return Number(value).toFixed(1) + "%";
  }

  function doughnut(canvas, modes) {
    new Chart(canvas, {
      type: "doughnut",
      data: {
        labels: modes.labels,
        datasets: [{ data: modes.values, backgroundColor: PALETTE.slice(0, modes.values.length) }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: true,
        plugins: {
          legend: { position: "right" },
          tooltip: {
            callbacks: {
              label: function (item) {
                var total = item.dataset.data.reduce(function (a, b) { return a + b; }, 0);
                var share = total ? (item.parsed * 100) / total : 0;
                return " " + item.label + ": " + item.parsed + " (" + percent(share) + ")";
              }
            }
          }
        }
      }
    });
  }

  function coverageBars(canvas, breakdown, labels) {
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: breakdown.labels,
        datasets: [
          { label: labels.organization_coverage, data: breakdown.organization, backgroundColor: PALETTE[0] },
          { label: labels.work_coverage, data: breakdown.work, backgroundColor: PALETTE[1] }
        ]
      },
      options: {
        responsive: true,
        scales: {
          y: {
            beginAtZero: true,
            max: 100,
            ticks: { callback: function (value) { return value + "%"; } }
          }
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (item) {
                return " " + item.dataset.label + ": " + percent(item.parsed.y);
              }
            }
          }
        }
      }
    });
  }

  var modes = document.getElementById("chart-formation-mode");
  if (modes) {
    doughnut(modes, data.modes);
  }
  ["industry", "district"].forEach(function (key) {
    var canvas = document.getElementById("chart-" + key);
    if (canvas && data[key]) {
      coverageBars(canvas, data[key], data.labels);
    }
  });
})();
