// Progressive enhancement only: every page works without it. Untrusted text is written with textContent.
(function () {
  "use strict";
  var job = document.querySelector("section.job[data-job]");
  if (!job || job.getAttribute("data-done") === "true") { return; }
  var id = job.getAttribute("data-job");
  var status = document.getElementById("job-status");
  var bar = document.getElementById("job-progress");
  var message = document.getElementById("job-message");
  var hint = document.getElementById("job-hint");
  function poll() {
    fetch("/api/v1/jobs/" + encodeURIComponent(id), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.job) { setTimeout(poll, 2000); return; }
        var j = data.job;
        status.textContent = j.status;
        status.className = "status-" + j.status;
        if (typeof j.progress === "number") { bar.value = j.progress; }
        message.textContent = j.message || "";
        if (j.done) {
          job.setAttribute("data-done", "true");
          hint.textContent = "";
          if (!j.failed) {
            var a = document.createElement("a");
            a.href = "/claims";
            a.textContent = "see the claims";
            hint.appendChild(document.createTextNode("Finished: "));
            hint.appendChild(a);
            hint.appendChild(document.createTextNode("."));
          }
          return;
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
