/* Fargate networking advisor: the host script, for pages that embed the advisor in iframes.
   Include it once per page, from the advisor that serves the embeds:
     <script src="https://advisor.example/static/js/embed-host.js" async></script>
   Each embedded page posts its height (embed-height.js); this script fits the iframe it came
   from to that height. It believes a message only when it comes from the advisor's origin (the
   origin this script was loaded from) and from the window of an iframe in this page, and it
   clamps the height, so nothing else can resize the page's frames or make them absurdly tall.
   A portal can cap an iframe further with CSS max-height. No third-party iframe-resizer. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src) return;
  var ORIGIN = new URL(script.src, window.location.href).origin;
  var HEIGHT = "fargate-advisor:height";
  var PING = "fargate-advisor:ping";
  var MIN_HEIGHT = 80;
  var MAX_HEIGHT = 40000;

  // Once per advisor, however many times a page includes the snippet.
  var key = "__fargateAdvisorHost " + ORIGIN;
  if (window[key]) return;
  window[key] = true;

  /* Every iframe in the page, including those inside open shadow roots (some portals render
     their documents in one). */
  function iframes(root, found) {
    Array.prototype.forEach.call(root.querySelectorAll("*"), function (element) {
      if (element.tagName === "IFRAME") found.push(element);
      if (element.shadowRoot) iframes(element.shadowRoot, found);
    });
    return found;
  }

  function frameOf(source) {
    var all = iframes(document, []);
    for (var i = 0; i < all.length; i++) {
      if (all[i].contentWindow === source) return all[i];
    }
    return null;
  }

  /* With box-sizing: border-box the iframe's height includes its border and padding. */
  function frameExtra(iframe) {
    var style = window.getComputedStyle(iframe);
    if (style.boxSizing !== "border-box") return 0;
    return ["borderTopWidth", "borderBottomWidth", "paddingTop", "paddingBottom"].reduce(
      function (sum, name) { return sum + (parseFloat(style[name]) || 0); }, 0);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== ORIGIN) return;
    var data = event.data;
    if (!data || data.type !== HEIGHT || typeof data.height !== "number" || !isFinite(data.height)) return;
    var iframe = frameOf(event.source);
    if (!iframe) return;
    var height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.round(data.height)));
    iframe.style.height = height + frameExtra(iframe) + "px";
  });

  /* Embeds that loaded before this script posted their height to no one: ask them again. The
     question carries nothing, so it may go to any origin; only the advisor's pages answer. */
  function ping() {
    iframes(document, []).forEach(function (iframe) {
      var src;
      try { src = new URL(iframe.src, window.location.href); } catch (e) { return; }
      if (src.origin === ORIGIN && iframe.contentWindow) {
        iframe.contentWindow.postMessage({ type: PING }, "*");
      }
    });
  }
  ping();
  if (document.readyState !== "complete") window.addEventListener("load", ping);
})();
