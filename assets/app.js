// Sarkar CRM page behaviour: fresh pages after Back, the invoice's print button, confirmation dialogs,
// the search box's suggestions, notices for failed htmx requests, the focus after a form is redrawn in
// place, the lock screen of shared tablets, and live notifications (the bell's count and toasts).
// No inline scripts anywhere: the Content-Security-Policy allows only this file and htmx.
(function () {
  "use strict";

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
    } catch (e) {
      return "";
    }
  }

  function showNotice(message, kind) {
    var notice = document.getElementById("notice");
    if (!notice) { return; }
    notice.innerHTML = "";
    var box = document.createElement("div");
    box.className = "alert " + (kind || "error");
    box.setAttribute("role", "alert");
    box.textContent = message;
    notice.appendChild(box);
  }

  // Back after a sale: a page the browser kept whole (the back-forward cache) would show
  // the bill as it was, PENDING and completable again, so it is fetched anew instead.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });

  // Confirmation dialogs: a button names the dialog it opens.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    // A copy button copies the text of the field it names (a new API key's secret).
    var copier = event.target.closest("[data-copy]");
    if (copier) {
      var source = document.getElementById(copier.getAttribute("data-copy"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.value).then(function () {
          copier.textContent = "Copied";
        });
      } else if (source) {
        source.select();
      }
      return;
    }
    var opener = event.target.closest("[data-open-dialog]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open-dialog"));
      if (dialog && dialog.showModal) { dialog.showModal(); }
      return;
    }
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      var parent = closer.closest("dialog");
      if (parent) { parent.close(); }
    }
    // A click outside the search box closes its suggestions.
    if (!event.target.closest(".global-search")) {
      var list = document.getElementById("search-suggestions");
      if (list) { list.innerHTML = ""; }
    }
  });

  // A file chosen for a photo is sent at once: the camera hands the picture back, and a
  // second tap on "Send" would only be one more thing to miss. A file chosen beside other
  // fields waits for the form's button; its name shows, so the person sees it was taken.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file]") || !input.files.length) { return; }
    if (input.hasAttribute("data-send-on-choose")) {
      input.form.classList.add("sending");
      if (input.form.requestSubmit) { input.form.requestSubmit(); } else { input.form.submit(); }
      return;
    }
    var shows = document.getElementById(input.getAttribute("data-shows-name") || "");
    if (shows) { shows.textContent = input.files[0].name; }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var list = document.getElementById("search-suggestions");
    if (list && list.innerHTML) { list.innerHTML = ""; }
  });

  document.addEventListener("input", function (event) {
    if (event.target.id === "global-search" && !event.target.value.trim()) {
      var list = document.getElementById("search-suggestions");
      if (list) { list.innerHTML = ""; }
    }
  });

  // A partial update that failed: say why, in words, where the page shows notices.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var message = (xhr && xhr.getResponseHeader("x-message")) ||
      "That did not work. Check the connection to the store's server and try again.";
    showNotice(message, "error");
  });
  document.addEventListener("htmx:sendError", function () {
    showNotice("The store's server did not answer. Check the Wi-Fi and try again.", "error");
  });

  // A form redrawn in place names what takes the focus next (on the bill form: a new
  // row's first field, the worked-out bill, or the first field to correct).
  document.addEventListener("htmx:afterSettle", function () {
    var named = document.querySelector("[data-focus]");
    if (!named) { return; }
    var target = document.getElementById(named.getAttribute("data-focus"));
    named.removeAttribute("data-focus");
    if (target) { target.focus(); }
  });

  // ----- The 80 mm roll -----
  // A roll has no page length and CSS cannot say "as long as the content", so the roll's
  // @page rule gets the slip's own length (on screen it has 1 mm more padding at each end
  // than on paper, and is rounded up): the printer feeds and cuts one piece per bill.
  // Measured again just before printing, in case a font arrived late.
  function fitRollPage() {
    var slip = document.querySelector("body.roll #invoice");
    if (!slip) { return; }
    Array.prototype.forEach.call(document.styleSheets, function (sheet) {
      if (!sheet.href || sheet.href.indexOf("/invoice-roll.") === -1) { return; }
      var length = Math.ceil(slip.getBoundingClientRect().height * 25.4 / 96);
      Array.prototype.forEach.call(sheet.cssRules, function (rule) {
        if (rule instanceof CSSPageRule) { rule.style.setProperty("size", "80mm " + length + "mm"); }
      });
    });
  }
  if (document.body.classList.contains("roll")) {
    fitRollPage();
    if (document.fonts) { document.fonts.ready.then(fitRollPage); }
    window.addEventListener("beforeprint", fitRollPage);
  }

  // ----- The lock screen -----
  var minutes = Number(document.body.getAttribute("data-lock-minutes") || "0");
  var lockScreen = document.getElementById("lock-screen");
  if (!minutes || !lockScreen) { return; }
  var limit = minutes * 60 * 1000;
  var lastActivity = Date.now();
  var locked = false;

  function noteActivity() {
    if (!locked) { lastActivity = Date.now(); }
  }
  ["pointerdown", "keydown", "wheel", "touchstart", "input"].forEach(function (name) {
    document.addEventListener(name, noteActivity, { passive: true, capture: true });
  });

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: body || ""
    });
  }

  function lock() {
    if (locked) { return; }
    locked = true;
    document.querySelectorAll("dialog[open]").forEach(function (d) {
      if (d !== lockScreen) { d.close(); }
    });
    lockScreen.showModal();
    // Tells live.js to stop listening to the store's changes while the screen is locked.
    document.dispatchEvent(new CustomEvent("sarkar:lock"));
    var field = document.getElementById("unlock-password");
    if (field) { field.value = ""; field.focus(); }
    post("/lock").catch(function () { /* the server locks on the next request anyway */ });
  }

  // The lock screen cannot be dismissed with Escape.
  lockScreen.addEventListener("cancel", function (event) { event.preventDefault(); });

  var unlockForm = document.getElementById("unlock-form");
  unlockForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var error = document.getElementById("unlock-error");
    var body = new URLSearchParams(new FormData(unlockForm)).toString();
    post("/unlock", body).then(function (response) {
      if (response.status === 204) {
        locked = false;
        lastActivity = Date.now();
        error.hidden = true;
        lockScreen.close();
        // ...and to listen again, from the last change the page had.
        document.dispatchEvent(new CustomEvent("sarkar:unlock"));
      } else if (response.status === 422) {
        return response.text().then(function (text) {
          error.textContent = "That is " + text.replace(/^is /, "") + ".";
          error.hidden = false;
        });
      } else if (response.status === 429) {
        // Too many wrong passwords: the server says how long to wait; stay on the lock screen.
        return response.text().then(function (text) {
          error.textContent = text;
          error.hidden = false;
        });
      } else {
        window.location.href = response.headers.get("hx-redirect") || "/login";
      }
    }).catch(function () {
      error.textContent = "The store's server did not answer. Check the Wi-Fi and try again.";
      error.hidden = false;
    });
  });

  // Checked often rather than by one long timer, so a tablet that slept locks on waking.
  window.setInterval(function () {
    if (!locked && Date.now() - lastActivity >= limit) { lock(); }
  }, 5000);
  document.addEventListener("visibilitychange", function () {
    if (!locked && document.visibilityState === "visible" && Date.now() - lastActivity >= limit) { lock(); }
  });
  window.sarkarLockNow = lock;
}());

// ----- Live notifications -----
// The page's live events come from the one stream live.js opens and shares through
// `window.sarkarEvents`. Each
// `event: notification` carries {seq, kind, op, id, title, body, link, urgent}: the bell's
// count goes up, and an urgent one shows a toast for a few seconds.
(function () {
  "use strict";

  var bell = document.getElementById("bell");
  if (!bell || typeof window.EventSource !== "function") { return; }
  var TOAST_MS = 8000;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
    } catch (e) {
      return "";
    }
  }

  function setCount(unread) {
    var badge = bell.querySelector(".bell-count");
    bell.setAttribute("data-unread", String(unread));
    if (badge) {
      badge.textContent = unread > 99 ? "99+" : String(unread);
      badge.hidden = unread === 0;
    }
    bell.setAttribute("aria-label", unread === 0 ? "Notifications, none unread"
      : unread > 99 ? "Notifications, more than 99 unread"
      : "Notifications, " + unread + " unread");
  }

  function toasts() {
    var region = document.getElementById("toasts");
    if (!region) {
      region = document.createElement("div");
      region.id = "toasts";
      region.className = "toasts";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  function markRead(id) {
    window.fetch("/api/notifications/read", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify({ ids: [id] })
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (answer) {
      if (answer && typeof answer.unread === "number") { setCount(answer.unread); }
    }).catch(function () { /* the bell catches up on the next page */ });
  }

  function showToast(note) {
    var toast = document.createElement("div");
    toast.className = "toast";
    var text = document.createElement(note.link ? "a" : "p");
    text.className = "toast-text";
    if (note.link && note.link.charAt(0) === "/" && note.link.charAt(1) !== "/") {
      text.href = note.link;
      text.addEventListener("click", function () { markRead(note.id); });
    }
    var title = document.createElement("strong");
    title.textContent = note.title || "Notification";
    text.appendChild(title);
    if (note.body) {
      var body = document.createElement("span");
      body.textContent = " " + note.body;
      text.appendChild(body);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "icon-button toast-close";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "\u00d7";
    function dismiss() {
      if (toast.parentNode) { toast.parentNode.removeChild(toast); }
    }
    close.addEventListener("click", dismiss);
    toast.appendChild(text);
    toast.appendChild(close);
    var region = toasts();
    region.appendChild(toast);
    // A few at most: the oldest gives way.
    while (region.children.length > 3) { region.removeChild(region.firstChild); }
    window.setTimeout(dismiss, TOAST_MS);
  }

  function onNotification(event) {
    var note;
    try { note = JSON.parse(event.data); } catch (e) { return; }
    if (!note || note.op !== "created") { return; }
    setCount((parseInt(bell.getAttribute("data-unread"), 10) || 0) + 1);
    if (note.urgent) { showToast(note); }
  }

  // live.js, loaded before this file, opens the page's one stream and shares it as
  // `window.sarkarEvents`; a page without it (the sign-in pages) has no bell to bump.
  var events = window.sarkarEvents;
  if (!events) { return; }
  events.addEventListener("notification", onNotification);
}());
