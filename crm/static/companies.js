// While a company name (or credit code) is typed, ask the server for likely duplicates (debounced)
// and list them under the name field with their score and a link. No inline scripts (CSP).
(function () {
  "use strict";
  var form = document.getElementById("company-form");
  if (!form) { return; }
  var nameInput = form.querySelector("[name=name]");
  var codeInput = form.querySelector("[name=credit_code]");
  var box = document.getElementById("typeahead-matches");
  var timer = null;
  var lastQuery = null;

  function render(matches) {
    box.textContent = "";
    if (!matches.length) { return; }
    var alert = document.createElement("div");
    alert.className = "alert alert-warning py-2 mb-0";
    var title = document.createElement("div");
    title.className = "fw-bold mb-1";
    title.textContent = box.dataset.title;
    alert.appendChild(title);
    var list = document.createElement("ul");
    list.className = "mb-0";
    matches.forEach(function (m) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = m.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = m.name;
      item.appendChild(link);
      var badge = document.createElement("span");
      badge.className = "badge text-bg-warning ms-2";
      badge.textContent = m.same_code ? box.dataset.code : box.dataset.score + " " + m.score;
      item.appendChild(badge);
      list.appendChild(item);
    });
    alert.appendChild(list);
    box.appendChild(alert);
  }

  function check() {
    var params = new URLSearchParams({
      name: nameInput.value.trim(),
      credit_code: codeInput ? codeInput.value.trim() : "",
      exclude: form.dataset.exclude || ""
    });
    var query = params.toString();
    if (query === lastQuery) { return; }
    lastQuery = query;
    fetch(form.dataset.checkUrl + "?" + query, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { matches: [] }; })
      .then(function (data) { if (query === lastQuery) { render(data.matches || []); } })
      .catch(function () { /* offline or signed out: the check on save still runs */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  }

  nameInput.addEventListener("input", schedule);
  if (codeInput) { codeInput.addEventListener("input", schedule); }
  if (nameInput.value.trim()) { schedule(); }
})();
