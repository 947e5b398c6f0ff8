/* Progressive enhancements only: every page works without this file (strict CSP: no inline script). */
(function () {
  "use strict";
  // Knowledge Hub: the filters fold under the results on a phone; on a wide screen they are a
  // sidebar, open from the start.
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia && window.matchMedia("(min-width: 52rem)").matches) {
    filters.open = true;
  }
  // Learning Hub: offer the browser's own time zone ("Show the times in your time zone: Riyadh")
  // when it is listed and the times are shown in another. The select is left as it is: it names
  // the zone the times are shown in, and choosing one there changes nothing until "Show".
  var zone = document.getElementById("tz");
  var offer = document.getElementById("tz-own");
  if (zone && offer && window.Intl && Intl.DateTimeFormat) {
    var own = "";
    try {
      own = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      own = "";
    }
    for (var i = 0; own && own !== zone.value && i < zone.options.length; i += 1) {
      if (zone.options[i].value === own) {
        offer.querySelector("button").value = own;
        offer.querySelector(".zone-own-name").textContent = zone.options[i].text;
        offer.hidden = false;
        break;
      }
    }
  }
})();
