// XpressCare Contracts: ticking a system saves it to the selection at once, so the selection
// stays while the reseller pages, filters and sorts (no inline script: the CSP forbids it).
// Without this script the "Update selection" button saves the page's ticks instead.
(function () {
  "use strict";
  var form = document.querySelector("form[data-selection]");
  if (!form) return;
  var save = form.querySelector("[data-selection-save]");
  if (save) save.hidden = true;
  var count = form.querySelector("[data-selection-count]");
  var plural = form.querySelector("[data-selection-plural]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var note = form.querySelector("[data-selection-note]");

  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.name !== "add") return;
    var body = new URLSearchParams();
    body.append(box.checked ? "add" : "remove", box.value);
    fetch(form.action, {
      method: "POST",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (answer) {
        note.textContent = "";
        count.textContent = answer.selected;
        plural.textContent = answer.selected === 1 ? "" : "s";
        if (box.checked && answer.added.indexOf(box.value) < 0) {
          box.checked = false; // the selection is full
          note.textContent = "At most " + answer.max + " systems can be renewed in one go.";
        }
      })
      .catch(function () {
        box.checked = !box.checked; // not saved: show what the selection really is
        if (save) save.hidden = false;
      });
  });
})();
