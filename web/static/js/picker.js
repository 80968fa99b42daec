// Enhances the pickers: the region choice of the initiative form narrows
// its districts as one types, and the pickers of initiatives and contact
// persons show their results as one types, fetched with the same round
// trip the search button makes without this script (the form is sent with
// "suchen", which saves nothing; only the picker's results are taken from
// the answer).
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
    var input = picker.querySelector("[data-picker-query]");
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

  // suggest sends the form as its search button would and puts the
  // picker's results from the answer in place; the field keeps focus.
  function suggest(picker, input) {
    var form = input.form;
    var data = new FormData(form);
    data.set("suchen", picker.getAttribute("data-picker"));
    fetch(form.action, { method: "POST", body: new URLSearchParams(data), credentials: "same-origin" })
      .then(function (res) {
        return res.ok ? res.text() : null;
      })
      .then(function (html) {
        if (html === null || input.value.trim() !== data.get(input.name).trim()) {
          return; // refused, or typed on since
        }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.querySelector('[data-picker="' + picker.getAttribute("data-picker") + '"] [data-picker-found]');
        var found = picker.querySelector("[data-picker-found]");
        if (fresh && found) {
          found.replaceWith(document.importNode(fresh, true));
        }
      })
      .catch(function () {}); // the search button still works
  }

  document.querySelectorAll("[data-picker]").forEach(function (picker) {
    var input = picker.querySelector("[data-picker-query]");
    var timer = null;
    if (!input || !input.form) {
      return;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (input.value.trim().length < 2) {
        return;
      }
      timer = setTimeout(function () {
        suggest(picker, input);
      }, 300);
    });
  });
})();
