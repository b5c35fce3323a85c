// Calendar feed: a Copy button for the address shown once (no inline script: the CSP forbids
// it). Without this script the button stays hidden and the address is selected to copy by hand.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var note = document.querySelector("[data-copy-note]");
    if (!field) return;
    button.hidden = false;
    field.addEventListener("focus", function () {
      field.select();
    });
    button.addEventListener("click", function () {
      field.select();
      var done = function () {
        if (note) note.textContent = "Copied. Paste it into your calendar program.";
      };
      var failed = function () {
        if (note) note.textContent = "Could not copy: the address is selected, copy it yourself.";
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, failed);
      } else {
        try {
          document.execCommand("copy") ? done() : failed();
        } catch (error) {
          failed();
        }
      }
    });
  });
})();
