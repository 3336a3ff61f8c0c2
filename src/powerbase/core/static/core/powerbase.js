// powerbase's only script of its own. Everything works without it; it only opens the
// section menu on wide screens, where it sits beside the page instead of above it.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48rem)");
  function syncMenu() {
    var menu = document.querySelector(".nav-toggle");
    if (menu) { menu.open = wide.matches; }
  }
  document.addEventListener("DOMContentLoaded", syncMenu);
  wide.addEventListener("change", syncMenu);
})();
