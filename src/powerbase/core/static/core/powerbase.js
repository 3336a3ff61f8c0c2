// powerbase's only script of its own. Pages work without it; it opens the section menu on
// wide screens, keeps live searches honest (the latest keystroke's results always win) and
// drives the type-ahead person picker.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48rem)");
  function syncMenu() {
    var menu = document.querySelector(".nav-toggle");
    if (menu) { menu.open = wide.matches; }
  }
  document.addEventListener("DOMContentLoaded", syncMenu);
  wide.addEventListener("change", syncMenu);

  // Live searches --------------------------------------------------------------------------
  // An element with data-drop-stale (a search input, or a form naming its input in
  // data-drop-stale="#id_q") sends requests whose answers may arrive out of order. hx-sync
  // aborts the earlier request; this also refuses to show any answer to text that is no
  // longer in the box, and marks the results as stale from the first keystroke, so nobody
  // taps a result of the previous search while the next one runs.
  function searchInput(elt) {
    var selector = elt.getAttribute("data-drop-stale");
    return selector ? document.querySelector(selector) : elt;
  }
  function resultsOf(elt) {
    var target = elt.getAttribute("hx-target");
    return target ? document.querySelector(target) : null;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt.hasAttribute || !elt.hasAttribute("data-drop-stale")) { return; }
    var input = searchInput(elt);
    event.detail.xhr.powerbaseSent = input ? input.value : null;
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-drop-stale")) { return; }
    var input = searchInput(elt);
    if (input && event.detail.xhr.powerbaseSent !== input.value) {
      event.detail.shouldSwap = false;  // an answer to older text: a newer request is coming
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-drop-stale")) { return; }
    var results = resultsOf(elt);
    if (results) { results.classList.remove("is-stale"); results.removeAttribute("aria-busy"); }
    var picker = elt.closest && elt.closest("[data-picker]");
    if (picker) { openPicker(picker); }
  });
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement)) { return; }
    var owner = input.hasAttribute("data-drop-stale") ? input
      : input.form && input.form.hasAttribute("data-drop-stale") ? input.form : null;
    if (!owner) { return; }
    var results = resultsOf(owner);
    if (results) { results.classList.add("is-stale"); results.setAttribute("aria-busy", "true"); }
    var picker = input.closest("[data-picker]");
    if (picker) { picker.querySelector("[data-picker-value]").value = ""; }
  });

  // The person picker ------------------------------------------------------------------------
  function options(picker) {
    return Array.prototype.slice.call(picker.querySelectorAll("[role=option]"));
  }
  function openPicker(picker) {
    var box = picker.querySelector("[role=combobox]");
    box.setAttribute("aria-expanded", options(picker).length ? "true" : "false");
  }
  function closePicker(picker) {
    picker.querySelector("[role=combobox]").setAttribute("aria-expanded", "false");
    picker.querySelector("[role=listbox]").innerHTML = "";
    picker.querySelector("[role=combobox]").removeAttribute("aria-activedescendant");
  }
  function choose(picker, option) {
    var box = picker.querySelector("[role=combobox]");
    picker.querySelector("[data-picker-value]").value = option.getAttribute("data-value");
    box.value = option.getAttribute("data-text");
    closePicker(picker);
    box.focus();
  }
  function highlight(picker, option) {
    options(picker).forEach(function (each) {
      each.setAttribute("aria-selected", each === option ? "true" : "false");
    });
    picker.querySelector("[role=combobox]").setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({block: "nearest"});
  }
  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-picker] [role=option]");
    if (option) { choose(option.closest("[data-picker]"), option); }
  });
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    var picker = box.closest && box.closest("[data-picker]");
    if (!picker || box.getAttribute("role") !== "combobox") { return; }
    var all = options(picker);
    var current = picker.querySelector("[role=option][aria-selected=true]");
    var at = all.indexOf(current);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) { return; }
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      highlight(picker, all[(at + step + all.length) % all.length]);
    } else if (event.key === "Enter") {
      // Choose, never submit: Enter in the box must not press some other button of the form
      // (on the RSVP page that would sign up the first search result).
      event.preventDefault();
      if (current || all.length === 1) { choose(picker, current || all[0]); }
    } else if (event.key === "Escape") {
      closePicker(picker);
    }
  });
})();
