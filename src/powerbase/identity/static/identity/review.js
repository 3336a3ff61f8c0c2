// The review queue's one-key decisions: A accepts, R rejects, S skips, M merges with the
// person a voter is linked to, U undoes the last merge. Each key clicks the button marked
// with it, so the page works the same by touch, mouse or keyboard, and without this script.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    var key = (event.key || "").toLowerCase();
    if (key.length !== 1) { return; }
    var review = document.getElementById("review");
    var control = review && review.querySelector('[data-key="' + key + '"]');
    if (control) {
      event.preventDefault();
      control.click();
    }
  });
})();
