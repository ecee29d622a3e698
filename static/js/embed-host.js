/* Fargate networking advisor: the host script, for pages that embed the advisor in iframes.
   Include it once per page, from the advisor that serves the embeds:
     <script src="https://advisor.example/static/js/embed-host.js" async></script>
   Each embedded page posts its height (embed-height.js); this script fits the iframe it came
   from to that height. It believes a message only when it comes from the advisor's origin (the
   origin this script was loaded from) and from the window of an iframe in this page, and it
   clamps the height, so nothing else can resize the page's frames or make them absurdly tall.
   A portal can cap an iframe further with CSS max-height. No third-party iframe-resizer.

   Two more things, under the same checks: an embed whose link leads to a section of itself
   (a traffic row's "finding 2") asks this script to scroll the page to that section, since a
   frame fitted to its content cannot scroll; and the embeds follow the page's own light or
   dark theme when the page says which it shows: `data-theme="light|dark"` on this script's tag,
   or MkDocs Material's `data-md-color-scheme` on <body> (`slate` is dark, `default` light). An
   embed whose address has `theme=` keeps that theme. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src) return;
  var ORIGIN = new URL(script.src, window.location.href).origin;
  var HEIGHT = "fargate-advisor:height";
  var PING = "fargate-advisor:ping";
  var SCROLL = "fargate-advisor:scroll";
  var THEME = "fargate-advisor:theme";
  var WHICH_THEME = "fargate-advisor:which-theme";
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

  function fit(iframe, data) {
    if (typeof data.height !== "number" || !isFinite(data.height)) return;
    var height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.round(data.height)));
    iframe.style.height = height + frameExtra(iframe) + "px";
  }

  /* The element that scrolls the iframe: the nearest scrolling ancestor (some portals scroll a
     container, not the page), else the page itself (null). */
  function scrollerOf(iframe) {
    var node = iframe.parentNode;
    while (node && node !== document.body && node !== document.documentElement) {
      if (node.nodeType === 11) { node = node.host; continue; } // out of a shadow root
      var overflow = window.getComputedStyle(node).overflowY;
      if ((overflow === "auto" || overflow === "scroll") && node.scrollHeight > node.clientHeight) return node;
      node = node.parentNode;
    }
    return null;
  }

  function scrollTo(iframe, data) {
    if (typeof data.top !== "number" || !isFinite(data.top)) return;
    var box = iframe.getBoundingClientRect();
    var style = window.getComputedStyle(iframe);
    var inset = (parseFloat(style.borderTopWidth) || 0) + (parseFloat(style.paddingTop) || 0);
    var within = Math.min(Math.max(0, data.top), box.height);
    var scroller = scrollerOf(iframe);
    var view = scroller || document.documentElement;
    // A portal with a fixed header says how much it covers with scroll-padding-top.
    var padding = parseFloat(window.getComputedStyle(view).scrollPaddingTop) || 0;
    var top = box.top + inset + within - padding - (scroller ? scroller.getBoundingClientRect().top : 0);
    var smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    (scroller || window).scrollBy({ top: top, behavior: smooth ? "smooth" : "auto" });
  }

  /* The page's own theme, when it says: light, dark, or null (the embeds follow the reader's
     setting, as they do without this script). */
  function pageTheme() {
    var given = script.getAttribute("data-theme");
    if (given === "light" || given === "dark") return given;
    var scheme = document.body && document.body.getAttribute("data-md-color-scheme");
    if (scheme === "slate") return "dark";
    if (scheme === "default") return "light";
    return null;
  }

  function sendTheme(target) {
    target.postMessage({ type: THEME, theme: pageTheme() || "auto" }, ORIGIN);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== ORIGIN) return;
    var data = event.data;
    if (!data || typeof data.type !== "string") return;
    var iframe = frameOf(event.source);
    if (!iframe) return;
    if (data.type === HEIGHT) fit(iframe, data);
    else if (data.type === SCROLL) scrollTo(iframe, data);
    else if (data.type === WHICH_THEME) sendTheme(event.source);
  });

  /* Embeds that loaded before this script posted their height to no one: ask them again. The
     question carries nothing, so it may go to any origin; only the advisor's pages answer. */
  function ping() {
    iframes(document, []).forEach(function (iframe) {
      var src;
      try { src = new URL(iframe.src, window.location.href); } catch (e) { return; }
      if (src.origin === ORIGIN && iframe.contentWindow) {
        iframe.contentWindow.postMessage({ type: PING }, "*");
        sendTheme(iframe.contentWindow);
      }
    });
  }
  ping();
  if (document.readyState !== "complete") window.addEventListener("load", ping);

  /* The portal's own light/dark switch: tell every embed when it flips. */
  function advisorFrames() {
    return iframes(document, []).filter(function (iframe) {
      try { return new URL(iframe.src, window.location.href).origin === ORIGIN; } catch (e) { return false; }
    });
  }
  var last = pageTheme();
  function themeChanged() {
    var now = pageTheme();
    if (now === last) return;
    last = now;
    advisorFrames().forEach(function (iframe) { if (iframe.contentWindow) sendTheme(iframe.contentWindow); });
  }
  if (window.MutationObserver) {
    var observer = new MutationObserver(themeChanged);
    observer.observe(script, { attributes: true, attributeFilter: ["data-theme"] });
    if (document.body) {
      observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
    } else {
      document.addEventListener("DOMContentLoaded", function () {
        observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
        themeChanged();
      });
    }
  }
})();
