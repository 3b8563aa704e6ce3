// Progressive enhancement: a "select all" box in a table's header ticks every row box of the page
// named by its data-select-all attribute. A static file: the Content-Security-Policy runs no
// inline script.
document.querySelectorAll("[data-select-all]").forEach(function (all) {
  all.addEventListener("change", function () {
    var name = all.getAttribute("data-select-all");
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
});
