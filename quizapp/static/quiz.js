// Keyboard help for quiz pages; everything also works without JavaScript.
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  if (!form) return;
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" && target.type === "text" || target.tagName === "TEXTAREA");
    if (!typing && /^[1-9]$/.test(event.key)) {
      var options = form.querySelectorAll("input[type=radio], input[type=checkbox]");
      var option = options[Number(event.key) - 1];
      if (option) {
        option.checked = option.type === "checkbox" ? !option.checked : true;
        option.focus();
        event.preventDefault();
      }
    } else if (event.key === "Enter" && target && target.tagName !== "TEXTAREA" && target.tagName !== "BUTTON"
               && target.tagName !== "A" && !typing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
