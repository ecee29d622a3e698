/* Fargate networking advisor, inside an iframe: the page's <base target="_blank"> opens links
   in a new tab, so the portal around the embed stays put and sites that refuse framing still
   open. The embed's own links stay in the frame: those under the embed's address (the wizard's
   steps, its result, "Change answers") and those to a section of this same page.
   A frame the host script fits to its content never scrolls itself, so following a link to a
   section of the page (a traffic row's "finding 2") would change nothing the reader sees: the
   embed asks the host script (embed-host.js) to scroll the host page to the section instead. */
(function () {
  "use strict";

  var root = document.documentElement.getAttribute("data-embed-root") || "/embed/";

  function staysInFrame(link) {
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin) return false;
    if (url.pathname.indexOf(root) === 0) return true;
    var here = window.location;
    return url.pathname === here.pathname && url.search === here.search && url.hash !== "";
  }

  var SCROLL = "fargate-advisor:scroll";

  function samePageTarget(link) {
    var url = new URL(link.href, window.location.href);
    var here = window.location;
    if (url.origin !== here.origin || url.pathname !== here.pathname || url.search !== here.search) {
      return null;
    }
    var id;
    try { id = decodeURIComponent(url.hash.slice(1)); } catch (e) { return null; }
    return id ? document.getElementById(id) : null;
  }

  /* Where the section is in the frame's viewport; the host adds where the frame is in its page.
     "*": the host's origin is unknown here and an offset is no secret; the host script checks
     that the message comes from the advisor's origin and from one of its frames. */
  function askHostToScroll(target) {
    var top = Math.round(target.getBoundingClientRect().top);
    window.parent.postMessage({ type: SCROLL, top: top }, "*");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link) return;
    if (!link.hasAttribute("target") && staysInFrame(link)) link.setAttribute("target", "_self");
    var target = window.parent !== window && samePageTarget(link);
    // After the browser has followed the link inside the frame, which may scroll the frame.
    if (target) window.setTimeout(function () { askHostToScroll(target); }, 0);
  });
})();
