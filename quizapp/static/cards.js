// Keyboard for flashcards: Space flips, 1-4 rate, Z undoes. Works without it, too.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    var tag = event.target && event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    var flip = document.getElementById("flip");
    if ((event.key === " " || event.key === "Enter") && flip) {
      event.preventDefault();
      flip.click();
      return;
    }
    if (/^[1-4]$/.test(event.key)) {
      var button = document.querySelector("#rate-form button[value='" + event.key + "']");
      if (button) {
        event.preventDefault();
        button.click();
      }
    } else if (event.key === "z" || event.key === "Z") {
      var undo = document.getElementById("undo");
      if (undo) {
        event.preventDefault();
        undo.click();
      }
    }
  });
})();
