/* Progress of a background export (templates/exports/job_detail.html): polls the job's JSON
   status (exports:status) until it is done or failed, then shows the download link or the
   error. Texts come translated from the server; nothing here is inline, so the page works
   under a Content Security Policy without inline scripts. */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;
  var root = document.getElementById("export-job");
  if (!root || root.dataset.finished === "true" || !window.fetch) {
    return;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function show(state) {
    byId("export-status").textContent = state.status_label;
    byId("export-progress").value = state.percent;
    byId("export-progress").textContent = state.percent + "%";
    byId("export-percent").textContent = state.percent + "%";
    byId("export-rows").textContent = state.progress_text;
    if (state.download_url) {
      byId("export-download-link").href = state.download_url;
      byId("export-download").hidden = false;
    }
    if (state.error) {
      byId("export-error").textContent = state.error;
      byId("export-error").hidden = false;
    }
    byId("export-wait").hidden = state.finished;
  }

  function poll() {
    fetch(root.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (!state.finished) {
          window.setTimeout(poll, INTERVAL_MS);
        }
      })
      .catch(function () {
        // A restarting server or a dropped connection: try again, a little later.
        window.setTimeout(poll, INTERVAL_MS * 3);
      });
  }

  window.setTimeout(poll, INTERVAL_MS);
})();
