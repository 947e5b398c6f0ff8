// The Arabic admin's texts that Django's own scripts draw (the selection counter "1 of 3 selected",
// the calendar and clock pop-ups of date fields) keep the page's digits: the server writes them
// Arabic-Indic (core.formats.arabic_html_digits), the scripts interpolate Latin ones.
(function () {
  "use strict";
  if (document.documentElement.lang !== "ar") return;
  const DIGITS = "٠١٢٣٤٥٦٧٨٩";
  const DRAWN = ".action-counter, .calendarbox, .clockbox";
  const arabic = (text) => text.replace(/[0-9]/g, (digit) => DIGITS[digit]);
  const latin = (text) => text.replace(/[٠-٩]/g, (digit) => String(DIGITS.indexOf(digit)));

  function convert(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = arabic(node.nodeValue);
      if (text !== node.nodeValue) node.nodeValue = text; // unchanged text: no new mutation
    }
  }

  function drawnBoxes(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    if (!element) return [];
    const box = element.closest(DRAWN);
    return box ? [box] : Array.from(element.querySelectorAll(DRAWN));
  }

  let picking = null; // the calendar day being clicked: left in Latin digits until the click is over

  document.querySelectorAll(DRAWN).forEach(convert);
  new MutationObserver((records) => {
    if (picking) return;
    const boxes = new Set();
    for (const record of records) {
      drawnBoxes(record.target).forEach((box) => boxes.add(box));
      record.addedNodes.forEach((node) => drawnBoxes(node).forEach((box) => boxes.add(box)));
    }
    boxes.forEach(convert);
  }).observe(document.body, { childList: true, characterData: true, subtree: true });

  // Django's calendar reads the chosen day back from the link's text (calendar.js): give it the
  // Latin digits it parses, before its own click handler runs (the observer, which runs between
  // the two handlers, leaves it alone), and the page's digits again once the click is over.
  document.addEventListener(
    "click",
    (event) => {
      const day = event.target.closest && event.target.closest(".calendarbox td a");
      if (!day) return;
      picking = day;
      day.textContent = latin(day.textContent);
      setTimeout(() => {
        picking = null;
        const box = day.closest(DRAWN);
        if (box) convert(box);
      });
    },
    true,
  );
})();
