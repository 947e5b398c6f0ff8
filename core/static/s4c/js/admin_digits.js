// The Arabic admin's counters that Django's own scripts redraw ("1 of 3 selected") keep the
// page's digits: the server writes them Arabic-Indic (core.formats.arabic_html_digits), the
// scripts interpolate Latin ones.
(function () {
  "use strict";
  if (document.documentElement.lang !== "ar") return;
  const DIGITS = "٠١٢٣٤٥٦٧٨٩";
  const arabic = (text) => text.replace(/[0-9]/g, (digit) => DIGITS[digit]);
  document.querySelectorAll(".action-counter").forEach((counter) => {
    new MutationObserver(() => {
      const text = arabic(counter.textContent);
      if (text !== counter.textContent) counter.textContent = text;
    }).observe(counter, { childList: true, characterData: true, subtree: true });
  });
})();
