/* Fargate networking advisor: the little the pages do with JavaScript.
   Everything here is an enhancement; without it the wizard loads whole pages, command tabs show
   stacked, and copy and print buttons stay hidden. No inline scripts: the CSP forbids them. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  var announcer = function () { return document.getElementById("announcer"); };

  function announce(text) {
    var region = announcer();
    if (!region) return;
    region.textContent = "";
    // A fresh text node after clearing, so the same words are announced twice in a row.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  /* The wizard: after htmx swaps a step in, move focus to its heading (its title comes along).
     A step re-rendered in place because an answer changed what it asks (#step-refresh) is the
     same step: focus stays on the control the user was on, and every answer changed while the
     re-render was on its way is put back (the server rendered what was sent, not what the user
     did since). A put-back answer that itself changes what is asked asks for one more re-render. */
  function answerControls(container) {
    return Array.prototype.filter.call(
      container ? container.querySelectorAll("input[name], select[name], textarea[name]") : [],
      function (control) { return ["hidden", "submit", "button"].indexOf(control.type) === -1; });
  }

  function isToggle(control) {
    return control.type === "radio" || control.type === "checkbox";
  }

  function answersIn(container) {
    var state = {};
    answerControls(container).forEach(function (control) {
      var entry = state[control.name] || (state[control.name] = { checked: [], value: null });
      if (isToggle(control)) {
        if (control.checked) entry.checked.push(control.value);
      } else {
        entry.value = control.value;
      }
    });
    return state;
  }

  function same(a, b) {
    return !!a && !!b && a.value === b.value && a.checked.join("\n") === b.checked.join("\n");
  }

  function isRefresh(event) {
    var detail = event.detail || {};
    // The element that asked: beforeSwap is fired on the target, so its detail.elt is that.
    var source = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
    return source && source.id === "step-refresh" ? source : null;
  }

  var sent = null;  // the answers a re-render in flight was asked with
  var kept = null;  // what to put back once it has swapped in, and to do once it has settled
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (isRefresh(event)) sent = answersIn(document.getElementById("step-fields"));
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail || {};
    var source = isRefresh(event);
    if (!source) return;
    if (!document.body.contains(source)) {
      // Next or Back swapped another step in while this one was being re-rendered.
      detail.shouldSwap = false;
      return;
    }
    var now = answersIn(document.getElementById("step-fields"));
    var changed = {};
    Object.keys(now).forEach(function (name) {
      if (!sent || !same(now[name], sent[name])) changed[name] = now[name];
    });
    var active = document.activeElement;
    kept = { source: source, focus: active && active.id ? active.id : null, changed: changed,
             reveals: null };
    sent = null;
  });

  // Returns the first put-back control that brings up other questions, if any.
  function putBack(changed) {
    var reveals = null;
    answerControls(document.getElementById("step-fields")).forEach(function (control) {
      var entry = changed[control.name];
      if (!entry) return;
      var moved;
      if (isToggle(control)) {
        var checked = entry.checked.indexOf(control.value) !== -1;
        moved = control.checked !== checked;
        control.checked = checked;
      } else {
        moved = entry.value !== null && control.value !== entry.value;
        if (moved) control.value = entry.value;
      }
      if (moved && !reveals && control.closest(".reveals")) reveals = control;
    });
    return reveals;
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    // The answers go back in the task that swapped the re-render in, not at its settle: a
    // request waiting its turn (Next behind the live summary) may go as soon as this task
    // ends, and it must carry them (a question that CSS showed at once was answered before
    // the re-render came back without it).
    if (kept && kept.changed && isRefresh(event) === kept.source) {
      kept.reveals = putBack(kept.changed);
      kept.changed = null;  // once: the out-of-band heading swaps in with the same request
    }
  });

  /* Next, Back and "See the result" name where to go by the button pressed (name="step").
     A press while the live summary is in flight waits its turn (hx-sync), and htmx forgets the
     button if a re-render replaced it meanwhile: the request then went without its step and
     the wizard showed step 1. The submit event still knows the button. */
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail || {};
    var trigger = detail.triggeringEvent;
    var button = trigger && trigger.type === "submit" ? trigger.submitter : null;
    if (!button || !button.name || !detail.parameters) return;
    if (detail.parameters[button.name] === undefined) detail.parameters[button.name] = button.value;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    // Once this re-render has settled: htmx processes the new questions (and the new
    // #step-refresh's listeners) when it settles, 20 ms after the swap.
    if (kept && isRefresh(event) === kept.source) {
      var restore = kept;
      kept = null;
      // The new #step-refresh listens for changes from the questions that reveal others
      // once the re-render has settled: a put-back answer of those asks for one more.
      if (restore.reveals && document.body.contains(restore.reveals)) {
        restore.reveals.dispatchEvent(new Event("change", { bubbles: true }));
      }
      var again = restore.focus && document.getElementById(restore.focus);
      // Only where the swap took focus away: a user who has moved on (to Next, say) stays there.
      var lost = !document.activeElement || document.activeElement === document.body;
      if (again && lost) {
        again.focus();
        return;
      }
    }
    // Once per step swap: the progress list swapped out of band settles with the same target.
    var settled = event.detail && event.detail.elt;
    if (!settled || settled.id !== "wizard-step") return;
    var heading = document.getElementById("step-heading");
    if (heading) heading.focus();
  });

  /* Copy buttons: the text of the element named by data-copy (an input's value, or a <pre>). */
  function textOf(element) {
    return element.tagName === "INPUT" ? element.value : element.textContent;
  }

  function selectText(element) {
    if (element.tagName === "INPUT") {
      element.focus();
      element.select();
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copied(button) {
    button.classList.add("copied");
    var label = button.firstChild;
    var original = label.nodeValue;
    label.nodeValue = "Copied ";
    announce("Copied to the clipboard.");
    window.setTimeout(function () {
      label.nodeValue = original;
      button.classList.remove("copied");
    }, 2000);
  }

  function fallback(source) {
    selectText(source);
    announce("Copying is not available here. The text is selected: press Control+C, or Command+C on a Mac.");
  }

  function copy(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var text = textOf(source);
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(button); }, function () { fallback(source); });
    } else {
      fallback(source);
    }
  }

  /* Tabs for the fixes' commands: the WAI-ARIA tabs pattern, with automatic activation. */
  function makeTabs(container) {
    var panels = Array.prototype.slice.call(container.querySelectorAll(":scope > .tab-panel"));
    if (panels.length < 2) return;
    var list = document.createElement("div");
    list.setAttribute("role", "tablist");
    var heading = container.closest("article") && container.closest("article").querySelector("h3");
    if (heading && heading.id) list.setAttribute("aria-labelledby", heading.id);
    var tabs = panels.map(function (panel, index) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = panel.id + "-tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.textContent = panel.getAttribute("data-tab-title");
      panel.setAttribute("role", "tabpanel");
      // A panel that names itself ("AWS CLI fix for <finding>") keeps that name: the tab's
      // own text is the same in every finding.
      if (!panel.hasAttribute("aria-label")) panel.setAttribute("aria-labelledby", tab.id);
      list.appendChild(tab);
      tab.addEventListener("click", function () { select(index, false); });
      tab.addEventListener("keydown", function (event) {
        var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: panels.length - 1 }[event.key];
        if (next === undefined) return;
        event.preventDefault();
        select((next + panels.length) % panels.length, true);
      });
      return tab;
    });

    function select(chosen, focus) {
      tabs.forEach(function (tab, index) {
        var on = index === chosen;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
        panels[index].hidden = !on;
        if (on && focus) tab.focus();
      });
    }

    container.insertBefore(list, panels[0]);
    container.classList.add("tabbed");
    select(0, false);
  }

  /* Printing prints everything: open the comparison, and close it again afterwards. */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (details) {
      details.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });

  function enhance(root) {
    Array.prototype.forEach.call(root.querySelectorAll("button.copy[hidden], button.print[hidden]"), function (button) {
      button.hidden = false;
    });
    Array.prototype.forEach.call(root.querySelectorAll("[data-tabs]:not(.tabbed)"), makeTabs);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.copy, button.print");
    if (!button) return;
    if (button.classList.contains("print")) window.print();
    else copy(button);
  });

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
