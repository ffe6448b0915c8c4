// Pickers of people and units (Tom Select): every <select data-picker> searches as the user types.
// With data-picker-url the options come from the server, the first few that match what is typed, so a page
// never holds a county's hundreds of people; the server decides which of them may be chosen.
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") { return; }
  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    var url = select.dataset.pickerUrl;
    var settings = {
      allowEmptyOption: true,
      maxOptions: 50,
      plugins: select.multiple ? ["remove_button"] : [],
      onChange: function () { select.dispatchEvent(new Event("change", { bubbles: true })); }
    };
    if (url) {
      settings.valueField = "value";
      settings.labelField = "text";
      settings.searchField = ["text"];
      settings.score = function () { return function () { return 1; }; };  // the server has matched already
      settings.shouldLoad = function (query) { return query.trim().length > 0; };
      settings.load = function (query, callback) {
        var sep = url.indexOf("?") < 0 ? "?" : "&";
        fetch(url + sep + "q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { options: [] }; })
          .then(function (data) { callback(data.options || []); })
          .catch(function () { callback(); });
      };
    }
    new TomSelect(select, settings);
  });
})();
