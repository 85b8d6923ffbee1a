// Progressive enhancement of the application and case pages. Every form works without it.
(function () {
  "use strict";

  // Brand -> models: show only the chosen brand's models in every goods line.
  function filterModels(form) {
    var brand = form.querySelector("select[name=brand]");
    if (!brand) { return; }
    form.querySelectorAll("select[name$='-vehicle_model']").forEach(function (select) {
      Array.prototype.forEach.call(select.options, function (option) {
        var other = option.value && brand.value && option.dataset.brand !== brand.value;
        option.hidden = Boolean(other);
        option.disabled = Boolean(other);
        if (other && option.selected) { select.value = ""; }
      });
    });
  }

  function addLine(form) {
    var template = form.querySelector("#empty-line");
    var total = form.querySelector("input[name='lines-TOTAL_FORMS']");
    var max = form.querySelector("input[name='lines-MAX_NUM_FORMS']");
    var count = parseInt(total.value, 10);
    if (max && count >= parseInt(max.value, 10)) { return; }
    var html = template.innerHTML.replace(/__prefix__/g, String(count));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var line = holder.firstElementChild;
    form.querySelector("[data-lines]").appendChild(line);
    total.value = String(count + 1);
    filterModels(form);
    var first = line.querySelector("select, input:not([type=hidden])");
    if (first) { first.focus(); }
  }

  document.querySelectorAll("form[data-apply]").forEach(function (form) {
    form.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
    var brand = form.querySelector("select[name=brand]");
    if (brand) { brand.addEventListener("change", function () { filterModels(form); }); }
    filterModels(form);
    var add = form.querySelector("[data-add-line]");
    if (add) {
      add.addEventListener("click", function (event) { event.preventDefault(); addLine(form); });
    }
    form.addEventListener("change", function (event) {
      if (event.target.name && /-DELETE$/.test(event.target.name)) {
        event.target.closest("[data-line]").classList.toggle("removed", event.target.checked);
      }
    });
  });

  // Uploads: drop files on the zone, and see progress while a large file travels.
  function showChosen(zone, input) {
    var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
    zone.querySelector("[data-chosen]").textContent = names.join(", ");
  }

  document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]");
    zone.addEventListener("dragover", function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("dragging"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
      input.files = event.dataTransfer.files;
      showChosen(zone, input);
    });
    input.addEventListener("change", function () { showChosen(zone, input); });
  });

  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) { return; }
      event.preventDefault();
      var progress = form.querySelector("[data-progress]");
      var button = form.querySelector("button[type=submit]");
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          progress.hidden = false;
          progress.value = Math.round((e.loaded / e.total) * 100);
        }
      });
      request.addEventListener("load", function () {
        // The redirect was followed already and its page carries the one-time message:
        // show that page rather than load it again.
        if (request.responseURL && request.responseURL !== form.action) {
          window.history.replaceState(null, "", request.responseURL);
        }
        document.open();
        document.write(request.responseText);
        document.close();
      });
      request.addEventListener("error", function () { form.submit(); });
      button.disabled = true;
      request.send(new FormData(form));
    });
  });
})();
