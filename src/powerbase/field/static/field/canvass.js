// Canvassing where the signal drops: a door result that cannot be sent is kept on the phone
// (localStorage) and sent again when the connection returns. Each result carries the
// client_key its form was drawn with, so a result that did arrive before the connection
// dropped is counted once by the server. Without this script the forms still post normally.
(function () {
  "use strict";
  var KEY = "powerbase.canvass.queue";
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }

  function save(queue) {
    localStorage.setItem(KEY, JSON.stringify(queue));
    show(queue);
  }

  function show(queue) {
    var note = document.getElementById("canvass-queue");
    if (!note) { return; }
    note.hidden = queue.length === 0;
    note.textContent = queue.length + (queue.length === 1 ? " result is" : " results are") +
      " saved on this phone and will be sent when the connection returns.";
    queue.forEach(function (item) {
      var door = document.getElementById(item.target);
      if (door) { door.classList.add("door-queued"); }
    });
  }

  function keep(event) {
    var config = event.detail.requestConfig;
    var form = event.detail.elt && event.detail.elt.closest("form.door-form");
    if (!form || !config) { return; }
    var body = new URLSearchParams(config.formData || new FormData(form)).toString();
    var queue = load();
    queue.push({path: config.path, body: body, target: event.detail.target.id});
    save(queue);
    var details = form.closest("details");
    if (details) { details.open = false; }
  }

  function flush() {
    var queue = load();
    if (sending || queue.length === 0 || !navigator.onLine) { return; }
    sending = true;
    var item = queue[0];
    fetch(item.path, {
      method: "POST", credentials: "same-origin", body: item.body,
      headers: {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}
    }).then(function (response) {
      if (!response.ok && response.status !== 404) { throw new Error(response.status); }
      return response.text();
    }).then(function (html) {
      save(load().slice(1));
      var door = document.getElementById(item.target);
      if (door && html && window.htmx) {
        window.htmx.swap(door, html, {swapStyle: "outerHTML"});
      }
      sending = false;
      flush();
    }).catch(function () { sending = false; });
  }

  document.addEventListener("htmx:sendError", keep);
  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () {
    show(load());
    flush();
    setInterval(flush, 10000);
  });
})();
