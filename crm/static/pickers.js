// Pickers of people, units and leads (Tom Select): every <select data-picker> searches as the user types.
// With data-picker-url the options come from the server, the first few that match what is typed, so a page
// never holds a county's hundreds of people; the server decides which of them may be chosen. The empty option
// of a select ("—请选择—", "全部单位") is its placeholder, and the clear button brings it back.
(function () {
  "use strict";
  if (typeof TomSelect === "undefined") { return; }
  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    var url = select.dataset.pickerUrl;
    var empty = select.querySelector("option[value='']");
    var none = select.dataset.pickerNone || "";
    var settings = {
      maxOptions: 50,
      allowEmptyOption: false,
      placeholder: empty ? empty.textContent.trim() : (select.getAttribute("placeholder") || ""),
      plugins: select.multiple ? ["remove_button"] : (empty ? { clear_button: { title: select.dataset.pickerClear || "" } } : []),
      render: {
        no_results: function () { return "<div class='no-results'>" + none + "</div>"; }
      },
      onChange: function () { select.dispatchEvent(new Event("change", { bubbles: true })); }
    };
    if (url) {
      settings.valueField = "value";
      settings.labelField = "text";
      settings.searchField = ["text"];
      settings.score = function () { return function () { return 1; }; };  // the server has matched already
      settings.shouldLoad = function (query) { return query.trim().length > 0; };
      settings.load = function (query, callback) {
        var picker = this;
        var sep = url.indexOf("?") < 0 ? "?" : "&";
        fetch(url + sep + "q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : { options: [] }; })
          .then(function (data) {
            picker.clearOptions();  // only what matches this query (the chosen ones stay)
            callback(data.options || []);
          })
          .catch(function () { callback(); });
      };
    }
    new TomSelect(select, settings);
  });
})();
