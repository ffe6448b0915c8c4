// The company picker (crm/companies/picker.py): htmx fetches the list under each input[data-company-picker] as the
// user types; this adds the rest — a click or Enter puts a name in the input, the arrow keys move through the list,
// Escape closes it, and "新建企业「…」" keeps the typed name and ticks the form's 新建 box (or opens the new-company
// page where the form has none).
(function () {
  "use strict";
  function listOf(input) {
    var box = input.parentElement.querySelector(".company-options");
    return box ? box.querySelector("[role=listbox]") : null;
  }
  function close(input) {
    var box = input.parentElement.querySelector(".company-options");
    if (box) { box.textContent = ""; }
    input.setAttribute("aria-expanded", "false");
  }
  function createBox(input) {
    var scope = input.closest(".visit-stop") || input.form;
    return scope ? scope.querySelector("input[type=checkbox][name$=create_company]") : null;
  }
  function choose(input, option) {
    if (option.dataset.pickNew !== undefined) {
      var box = createBox(input);
      if (box) { box.checked = true; } else if (option.dataset.createUrl) { window.open(option.dataset.createUrl, "_blank", "noopener"); }
    } else {
      input.value = option.dataset.pick;
      var box2 = createBox(input);
      if (box2) { box2.checked = false; }
    }
    close(input);
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.focus();
  }
  document.addEventListener("htmx:afterSwap", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("company-options")) { return; }
    var input = box.parentElement.querySelector("input[data-company-picker]");
    if (input) { input.setAttribute("aria-expanded", listOf(input) ? "true" : "false"); }
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest(".company-options [role=option]");
    if (option) {
      choose(option.closest(".company-options").parentElement.querySelector("input[data-company-picker]"), option);
      return;
    }
    document.querySelectorAll("input[data-company-picker][aria-expanded=true]").forEach(function (input) {
      if (!input.parentElement.contains(event.target)) { close(input); }
    });
  });
  document.addEventListener("keydown", function (event) {
    var input = event.target.closest ? event.target.closest("input[data-company-picker]") : null;
    var option = event.target.closest ? event.target.closest(".company-options [role=option]") : null;
    if (option) { input = option.closest(".company-options").parentElement.querySelector("input[data-company-picker]"); }
    if (!input) { return; }
    var list = listOf(input);
    if (!list) { return; }
    var options = Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    var at = options.indexOf(option);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = event.key === "ArrowDown" ? Math.min(at + 1, options.length - 1) : at - 1;
      if (next < 0) { input.focus(); } else { options[next].focus(); }
    } else if (event.key === "Enter" && option) {
      event.preventDefault();
      choose(input, option);
    } else if (event.key === "Escape") {
      close(input);
      input.focus();
    }
  });
})();
