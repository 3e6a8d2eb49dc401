// Small enhancements for pages that work without JavaScript. htmx does the fetching; this file only
// adds what plain HTML cannot: select-all and confirmations. (Fields that apply to one choice only are
// shown and hidden by the stylesheet, with :has(), so nothing moves when a page loads.)
(function () {
  "use strict";

  // <input type="checkbox" data-select-all="ids">: ticks or clears every checkbox named "ids" in its form.
  document.addEventListener("change", function (event) {
    var toggle = event.target.closest("[data-select-all]");
    if (!toggle || !toggle.form) return;
    var boxes = toggle.form.querySelectorAll('input[type="checkbox"][name="' + toggle.dataset.selectAll + '"]');
    boxes.forEach(function (box) { box.checked = toggle.checked; });
  });

  // <span data-echo="deal.title">: shows what is typed into the form's field of that name (a summary that reads
  // right before the form is posted; the server wrote what the field held when the page was made).
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.form || !field.name) return;
    field.form.querySelectorAll('[data-echo="' + field.name + '"]').forEach(function (echo) { echo.textContent = field.value; });
  });

  // <form data-confirm="Delete …?">: asks before posting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  }, true);

  // Escape closes the search suggestions and the user menu; a click elsewhere closes the menu.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var suggestions = document.getElementById("search-suggestions");
    if (suggestions) suggestions.innerHTML = "";
    document.querySelectorAll("details.menu[open]").forEach(function (menu) { menu.open = false; });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
})();
