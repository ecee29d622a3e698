/* Fargate networking advisor, inside an iframe: follow the host page's light or dark theme
   when the host script (embed-host.js) knows it, as the portal's own switch changes it. An
   embed whose address has theme= keeps that theme (data-theme-fixed, set by the server); and
   with no word from the host, the embed follows the reader's setting (color-scheme: light dark).
   No inline scripts: the CSP forbids them. */
(function () {
  "use strict";

  if (window.parent === window) return;
  var root = document.documentElement;
  if (root.hasAttribute("data-theme-fixed")) return;

  var THEME = "fargate-advisor:theme";
  var WHICH_THEME = "fargate-advisor:which-theme";
  var SCHEMES = { light: "light", dark: "dark", auto: "light dark" };

  window.addEventListener("message", function (event) {
    // Only the page around the frame may say; the frame-ancestors policy names who that can be.
    if (event.source !== window.parent) return;
    var data = event.data;
    if (!data || data.type !== THEME || !Object.prototype.hasOwnProperty.call(SCHEMES, data.theme)) return;
    root.setAttribute("data-theme", data.theme);
    var meta = document.querySelector('meta[name="color-scheme"]');
    if (meta) meta.setAttribute("content", SCHEMES[data.theme]);
  });

  // Ask, in case the host script loaded first: it also tells embeds that load before it.
  window.parent.postMessage({ type: WHICH_THEME }, "*");
})();
