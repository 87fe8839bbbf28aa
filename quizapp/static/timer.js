// Count down the time the server gave an attempt (data-seconds). Elapsed time is measured with
// performance.now(), so a wrong clock in the browser changes nothing; the server enforces the
// limit anyway. At zero, reload the attempt: the server closes it and shows the result.
(function () {
  "use strict";
  var box = document.getElementById("timer");
  var value = document.getElementById("timer-value");
  if (!box || !value) return;
  var total = parseInt(box.getAttribute("data-seconds"), 10) || 0;
  var start = performance.now();
  function show() {
    var left = Math.max(0, total - Math.floor((performance.now() - start) / 1000));
    var seconds = left % 60;
    value.textContent = Math.floor(left / 60) + " min " + (seconds < 10 ? "0" : "") + seconds + " s";
    if (left === 0) {
      value.textContent = "Die Zeit ist abgelaufen.";
      window.clearInterval(timer);
      window.setTimeout(function () { window.location.assign(box.getAttribute("data-url")); }, 1500);
    }
  }
  var timer = window.setInterval(show, 1000);
  show();
})();
