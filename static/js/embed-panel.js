/* The result page's embed panel: as the sections and theme change, rewrite the iframe snippet
   and reload the preview with the same address. Without JavaScript the form's button loads the
   preview, and the snippet shows every section. */
(function () {
  "use strict";

  function escapeHtml(text) {
    // As Django's escape() writes it, so the snippet's own text can be found and replaced.
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
  }

  function encode(value) {
    return encodeURIComponent(value).replace(/%2C/g, ",");
  }

  /* The embed's address, spelt as the server spells it (advisor/embed.py: embed_path): the
     answers, then show= only when not every section, then theme= only when not auto. */
  function address(form) {
    var parts = [];
    var sections = [];
    var all = 0;
    var theme = "auto";
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.type === "hidden" && input.name) parts.push(input.name + "=" + encode(input.value));
      if (input.name === "show") {
        all += 1;
        if (input.checked) sections.push(input.value);
      }
      if (input.name === "theme" && input.checked) theme = input.value;
    });
    if (sections.length !== all) parts.push("show=" + encode(sections.join(",")));
    if (theme !== "auto") parts.push("theme=" + encode(theme));
    var base = new URL(form.getAttribute("data-src"));
    return base.origin + base.pathname + (parts.length ? "?" + parts.join("&") : "");
  }

  function setUp(form) {
    var panel = form.closest(".embed-panel");
    var snippet = panel.querySelector("#embed-iframe code");
    var preview = panel.querySelector("iframe.embed-preview");
    var current = form.getAttribute("data-src");
    var update = form.querySelector(".embed-update");
    if (update) update.hidden = true;

    function refresh() {
      var next = address(form);
      if (next === current) return;
      var old = 'src="' + escapeHtml(current) + '"';
      snippet.textContent = snippet.textContent.replace(old, 'src="' + escapeHtml(next) + '"');
      preview.src = next;
      current = next;
    }

    form.addEventListener("change", refresh);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      refresh();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-embed-options]"), setUp);
  });
})();
