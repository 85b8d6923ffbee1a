// Collapse the navigation behind a Menu button on narrow screens. Without this script the
// navigation simply stays open, so every page works without JavaScript.
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (!toggle || !nav) {
    return;
  }
  document.documentElement.classList.add("nav-js");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", open ? "false" : "true");
    nav.classList.toggle("open", !open);
  });
})();
