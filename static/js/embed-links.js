/* Fargate networking advisor, inside an iframe: the page's <base target="_blank"> opens links
   in a new tab, so the portal around the embed stays put and sites that refuse framing still
   open. The embed's own links stay in the frame: those under the embed's address (the wizard's
   steps, its result, "Change answers") and those to a section of this same page. */
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

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.hasAttribute("target")) return;
    if (staysInFrame(link)) link.setAttribute("target", "_self");
  });
})();
