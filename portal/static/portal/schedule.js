// Progressive enhancement of the used-vehicle schedule. The form works without it.
(function () {
  "use strict";

  // Brand -> models, row by row: each vehicle shows only its chosen brand's models.
  function filterRow(row) {
    var brand = row.querySelector("select[name$='-brand']");
    var model = row.querySelector("select[name$='-vehicle_model']");
    if (!brand || !model) { return; }
    Array.prototype.forEach.call(model.options, function (option) {
      var other = option.value && brand.value && option.dataset.brand !== brand.value;
      option.hidden = Boolean(other);
      option.disabled = Boolean(other);
      if (other && option.selected) { model.value = ""; }
    });
  }

  function addRow(form) {
    var template = form.querySelector("#empty-vehicle");
    var total = form.querySelector("input[name='vehicles-TOTAL_FORMS']");
    var max = form.querySelector("input[name='vehicles-MAX_NUM_FORMS']");
    var count = parseInt(total.value, 10);
    if (max && count >= parseInt(max.value, 10)) { return; }
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(count));
    var row = holder.firstElementChild;
    form.querySelector("[data-lines]").appendChild(row);
    total.value = String(count + 1);
    filterRow(row);
    var first = row.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
  }

  document.querySelectorAll("form[data-schedule]").forEach(function (form) {
    form.querySelectorAll("[data-line]").forEach(filterRow);
    form.addEventListener("change", function (event) {
      var row = event.target.closest("[data-line]");
      if (!row) { return; }
      if (/-brand$/.test(event.target.name)) { filterRow(row); }
      if (/-DELETE$/.test(event.target.name)) { row.classList.toggle("removed", event.target.checked); }
    });
    var add = form.querySelector("[data-add-vehicle]");
    if (add) {
      add.addEventListener("click", function (event) { event.preventDefault(); addRow(form); });
    }
  });
})();
