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
