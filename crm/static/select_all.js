// A "全选" box: <input type="checkbox" data-select-all="NAME"> ticks or clears every checkbox named NAME on the page
// (inline handlers are refused by the pages' Content-Security-Policy).
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-all]").forEach(function (box) {
    var boxes = function () { return document.querySelectorAll("input[type=checkbox][name='" + box.dataset.selectAll + "']"); };
    box.addEventListener("change", function () {
      boxes().forEach(function (b) { b.checked = box.checked; });
    });
  });
})();
