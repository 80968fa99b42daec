// Enhances the region choice of the initiative form: the districts narrow
// as one types into the search field, without a round trip to the server.
// Without this script the search button does the same on the server.
(function () {
  "use strict";

  // key mirrors regionKey on the server: lower case, umlauts both as
  // "ae" and as "a", other accents dropped.
  function keys(s) {
    var lower = s.toLowerCase().replace(/ß/g, "ss");
    var ae = lower.replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue");
    var strip = function (x) {
      return x.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    };
    return [strip(ae), strip(lower)];
  }

  function filter(picker, input) {
    var q = input.value.trim();
    var wanted = q === "" ? null : keys(q);
    var found = 0;
    picker.querySelectorAll("details[data-land]").forEach(function (land) {
      var matches = 0;
      land.querySelectorAll("[data-region-key]").forEach(function (item) {
        var key = item.getAttribute("data-region-key");
        var show = wanted === null || key.indexOf(wanted[0]) >= 0 || key.indexOf(wanted[1]) >= 0;
        item.hidden = !show;
        if (show) {
          matches++;
        }
      });
      found += matches;
      land.hidden = wanted !== null && matches === 0;
      if (wanted !== null && matches > 0) {
        land.open = true;
      }
    });
    var status = picker.querySelector("[data-region-status]");
    if (status) {
      status.textContent = wanted === null ? "" : found === 1 ? "1 Kreis gefunden." : found + " Kreise gefunden.";
    }
  }

  document.querySelectorAll("[data-region-picker]").forEach(function (picker) {
    var input = picker.querySelector("[data-region-filter]");
    if (!input) {
      return;
    }
    input.addEventListener("input", function () {
      filter(picker, input);
    });
    // Enter filters in place instead of sending the form.
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        ev.preventDefault();
        filter(picker, input);
      }
    });
  });
})();
