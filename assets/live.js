// Sarkar CRM live pages: the page's one connection to the store's live events, shared as
// window.sarkarEvents and handed to htmx's SSE extension, and the rules that decide which
// live region a change redraws (see src/web/pages/shell/live.rs for the markup).
// Loaded after htmx and its SSE extension and before app.js; no inline scripts anywhere.
(function () {
  "use strict";

  var body = document.body;
  var url = body && body.getAttribute("sse-connect");
  if (!url || !window.EventSource || !window.EventTarget) { return; }

  // Every `event:` name the server sends, and `resync` (redraw everything).
  var KINDS = ["customer", "sale", "product", "rate", "interaction", "follow-up",
    "category", "floor", "store", "user", "api-key", "resync"];
  // The kinds an edit form can be for.
  var EDITED_KINDS = ["customer", "product", "sale"];

  // ----- One connection per page -----
  // The browser's EventSource reconnects by itself after a dropped connection, sending
  // Last-Event-ID so the server replays exactly what was missed. A refusal (401 once the
  // session has ended, 429) closes it for good and it stays closed, quietly: the page's
  // own sign-in and lock flows take over. The object shared on window.sarkarEvents
  // outlives any one EventSource, so listeners added to it stay when the connection is
  // opened again after the lock screen.
  var target = new EventTarget();
  var source = null;
  var lastId = (url.match(/[?&]after=(\d+)/) || [])[1] || "0";
  var forwarded = {};

  function forwarder(type) {
    return function (event) {
      if (event.lastEventId) { lastId = event.lastEventId; }
      target.dispatchEvent(new MessageEvent(type, {
        data: event.data, lastEventId: event.lastEventId, origin: event.origin
      }));
    };
  }

  function listen(type) {
    if (forwarded[type]) { return; }
    forwarded[type] = forwarder(type);
    if (source) { source.addEventListener(type, forwarded[type]); }
  }

  function open() {
    source = new EventSource(url.replace(/([?&]after=)\d+/, "$1" + lastId));
    Object.keys(forwarded).forEach(function (type) {
      source.addEventListener(type, forwarded[type]);
    });
  }

  var events = {
    url: url,
    get readyState() { return source ? source.readyState : 2; },
    // htmx's SSE extension assigns these and they are never called: its error handler
    // logs every dropped connection as a console error and, once the server refuses the
    // stream, opens a new one every minute or so for ever. The browser's own reconnection
    // (above) is what the page wants.
    onerror: null,
    onopen: null,
    addEventListener: function (type, listener, options) {
      listen(type);
      target.addEventListener(type, listener, options);
    },
    removeEventListener: function (type, listener, options) {
      target.removeEventListener(type, listener, options);
    },
    close: function () { if (source) { source.close(); } }
  };

  if (window.sarkarEvents) {
    events = window.sarkarEvents;
  } else {
    KINDS.forEach(listen);
    open();
    window.sarkarEvents = events;
  }
  if (window.htmx) {
    window.htmx.createEventSource = function () { return events; };
  }

  // A locked tablet stops listening (the server would end the stream anyway, and the
  // reconnect would be refused), and starts again after the same person unlocks it,
  // from the last change it had, so nothing made meanwhile is missed.
  document.addEventListener("sarkar:lock", function () {
    if (source) { source.close(); }
  });
  document.addEventListener("sarkar:unlock", function () {
    if (source && source.readyState === EventSource.CLOSED) { open(); }
  });

  function parse(detail) {
    try {
      return JSON.parse((detail && detail.data) || "{}") || {};
    } catch (e) {
      return {};
    }
  }

  // ----- Which region a change redraws -----
  // A region about one record (a customer's page, a sale's page) is redrawn only for
  // that record's changes and its customer's; rate changes reprice everything.
  function concerns(region, kind, change) {
    var about = region.getAttribute("data-live-about");
    if (!about || kind === "rate" || kind === "resync") { return true; }
    return change.id === about || change.customer === about;
  }

  // A region is never swapped under someone typing in it: it is held back until they
  // leave it, or until what they send draws the page anew.
  function beingEdited(region) {
    var focused = document.activeElement;
    if (focused && region.contains(focused) && focused.matches("input, select, textarea")) {
      return true;
    }
    return region.querySelector("form[data-live-edited]") !== null;
  }

  // Runs first, on the way down to the region (capture), before htmx's own listener:
  // a change that does not concern the region, or arrives while it is being typed in,
  // never reaches htmx.
  function gate(event) {
    var region = event.target;
    if (!(region instanceof Element) || !region.hasAttribute("data-live")) { return; }
    if (!concerns(region, event.type.slice(4), parse(event.detail))) {
      event.stopImmediatePropagation();
    } else if (beingEdited(region)) {
      event.stopImmediatePropagation();
      region.setAttribute("data-live-held", "");
    }
  }
  KINDS.forEach(function (kind) { document.addEventListener("sse:" + kind, gate, true); });

  function markEdited(event) {
    var form = event.target && event.target.closest && event.target.closest("form");
    if (form && !form.classList.contains("global-search")) { form.setAttribute("data-live-edited", ""); }
  }
  document.addEventListener("input", markEdited, true);
  document.addEventListener("change", markEdited, true);
  document.addEventListener("submit", function (event) {
    event.target.removeAttribute("data-live-edited");
    event.target.setAttribute("data-live-sent", "");
  }, true);

  // A region held back catches up once the focus has left it and nothing in it is typed.
  document.addEventListener("focusout", function () {
    window.setTimeout(function () {
      document.querySelectorAll("[data-live-held]").forEach(function (region) {
        if (beingEdited(region)) { return; }
        region.removeAttribute("data-live-held");
        if (window.htmx) { window.htmx.trigger(region, "sse:resync"); }
      });
    }, 0);
  });

  // ----- An edit form whose record changes under it -----
  // The form is left as typed; a notice says the record changed and offers to reload.
  function warnEditors(kind, change) {
    document.querySelectorAll("form[data-live-record]").forEach(function (form) {
      if (form.getAttribute("data-live-kind") !== kind ||
          form.getAttribute("data-live-record") !== change.id ||
          form.hasAttribute("data-live-sent") || form.querySelector(".live-changed")) { return; }
      var noun = form.getAttribute("data-live-noun") || "record";
      var box = document.createElement("div");
      box.className = "alert warning live-changed";
      box.setAttribute("role", "alert");
      var text = document.createElement("p");
      text.textContent = "This " + noun + " was " + (change.op === "deleted" ? "removed" : "changed") +
        " on another tablet — Reload to see the change (what you typed here is not kept).";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.setAttribute("data-live-reload", form.getAttribute("data-live-edit") || window.location.href);
      button.textContent = "Reload";
      box.appendChild(text);
      box.appendChild(button);
      form.insertBefore(box, form.firstChild);
    });
  }
  EDITED_KINDS.forEach(function (kind) {
    events.addEventListener(kind, function (event) {
      var change = parse(event);
      if (change.op !== "created") { warnEditors(kind, change); }
    });
  });
  document.addEventListener("click", function (event) {
    var reload = event.target.closest && event.target.closest("[data-live-reload]");
    if (reload) { window.location.assign(reload.getAttribute("data-live-reload")); }
  });
}());
