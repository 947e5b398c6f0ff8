/* Progressive enhancements only: every page works without this file (strict CSP: no inline script). */
(function () {
  "use strict";
  // Knowledge Hub: the filters fold under the results on a phone; on a wide screen they are a
  // sidebar, open from the start.
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia && window.matchMedia("(min-width: 52rem)").matches) {
    filters.open = true;
  }
  // Learning Hub: offer the browser's own time zone when the visitor has not chosen one.
  var zone = document.getElementById("tz");
  if (zone && !zone.value && window.Intl && Intl.DateTimeFormat) {
    var own = "";
    try {
      own = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      own = "";
    }
    for (var i = 0; i < zone.options.length; i += 1) {
      if (zone.options[i].value === own) {
        zone.selectedIndex = i;
        zone.setAttribute("data-from-browser", "true");
        break;
      }
    }
  }
})();
