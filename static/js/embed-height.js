/* Fargate networking advisor, inside an iframe: tell the host page how tall this page is, so
   the host script (embed-host.js) can fit the iframe to it. Posts when the page loads, when its
   size changes (a step swapped in, a section opened, the iframe made narrower) and when the host
   asks (it may have loaded after this page did). No inline scripts: the CSP forbids them. */
(function () {
  "use strict";

  if (window.parent === window) return;

  var HEIGHT = "fargate-advisor:height";
  var PING = "fargate-advisor:ping";
  var last = -1;

  function height() {
    // The root's own box, not scrollHeight, which never reports less than the iframe's height
    // and so would never let the iframe shrink.
    return Math.ceil(document.documentElement.getBoundingClientRect().height);
  }

  function post(always) {
    var current = height();
    if (current === last && !always) return;
    last = current;
    // "*": the host's origin is unknown here (a referrer may be stripped), and a height is no
    // secret. The host script checks that the message comes from this origin and this frame.
    window.parent.postMessage({ type: HEIGHT, height: current }, "*");
  }

  if (window.ResizeObserver) {
    new ResizeObserver(function () { post(false); }).observe(document.documentElement);
  }
  window.addEventListener("load", function () { post(true); });
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === PING) post(true);
  });
  post(true);
})();
