// Card settings: a search box over the time zones, and the browser's zone as the default
// for a learner who has not saved settings yet. The page works without it, too.
(function () {
  "use strict";
  var select = document.getElementById("timezone");
  var search = document.getElementById("timezone-search");
  if (!select || !search) return;
  search.hidden = false;

  function normal(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/_/g, " ");
  }

  search.addEventListener("input", function () {
    var words = normal(search.value).split(/\s+/).filter(Boolean);
    var first = null;
    for (var i = 0; i < select.options.length; i++) {
      var option = select.options[i];
      var haystack = normal(option.text + " " + option.value);
      var match = words.every(function (w) { return haystack.indexOf(w) !== -1; });
      option.hidden = !match;
      if (match && first === null) first = option;
    }
    if (first !== null && select.selectedOptions.length && select.selectedOptions[0].hidden) {
      select.value = first.value;
    }
  });

  if (select.getAttribute("data-browser-default") === "1" && window.Intl) {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var known = zone && Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
    if (known && select.value !== zone) {
      select.value = zone;
      var note = document.getElementById("timezone-browser");
      if (note) {
        note.textContent = "Vorgeschlagen: die Zeitzone deines Browsers. Speichere, um sie zu übernehmen.";
        note.hidden = false;
      }
    }
  }
})();
