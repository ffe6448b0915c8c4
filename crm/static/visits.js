// On the visit form: when a visited company's name is complete, say whether another unit
// visited it lately (which unit and when, nothing more).
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form) { return; }
  form.querySelectorAll(".visit-stop").forEach(function (stop) {
    var input = stop.querySelector("input[data-company-picker]");
    var hint = stop.querySelector(".visit-hint");
    input.addEventListener("change", function () {
      hint.textContent = "";
      var name = input.value.trim();
      if (!name) { return; }
      fetch(form.dataset.hintsUrl + "?company=" + encodeURIComponent(name), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { hints: [] }; })
        .then(function (data) {
          hint.textContent = (data.hints || []).map(function (h) {
            return form.dataset.hintText.replace("{unit}", h.unit).replace("{date}", h.date);
          }).join("；");
        })
        .catch(function () {});
    });
  });
})();

// The county's 宁静日: a 企业服务走访 planned on one of them is warned about as the type and dates change
// (the server says so too; it is a warning, the visit may still be saved).
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form || !form.dataset.quietDays) { return; }
  var days = form.dataset.quietDays.split(",").map(Number);
  var box = form.querySelector("[data-testid=quiet-day-warning]");
  var type = form.querySelector("[name=type]");
  var start = form.querySelector("[name=start_on]");
  var end = form.querySelector("[name=end_on]");
  function iso(d) { return d.toISOString().slice(0, 10); }
  function update() {
    var hit = [];
    if (type.value === "service" && start.value) {
      var first = new Date(start.value + "T00:00:00Z");
      var last = end.value ? new Date(end.value + "T00:00:00Z") : first;
      if (isNaN(first) || isNaN(last) || last < first) { last = first; }
      for (var d = first, n = 0; d <= last && n < 62; d = new Date(d.getTime() + 86400000), n++) {
        if (days.indexOf(d.getUTCDate()) >= 0) { hit.push(iso(d)); }
      }
    }
    box.textContent = hit.length ? form.dataset.quietText.replace("{days}", hit.slice(0, 5).join("、")) : "";
    box.classList.toggle("d-none", !hit.length);
  }
  [type, start, end].forEach(function (el) { if (el) { el.addEventListener("change", update); } });
})();
