// The agent console, kept live: the queue every 2 s, the open conversation as it changes (the event broker's
// news, or every second without it), replies without reloading. The server renders every fragment (escaped); this file only swaps them in. Without it the
// pages still work as plain forms.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";

  function get(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (r.status === 401) { location.href = "/agent/login"; } return r.ok ? r.json() : null; });
  }

  var queue = document.querySelector('[data-live="queue"]');
  if (queue) {
    setInterval(function () {
      get("/agent/api/queue").then(function (body) { if (body && typeof body.html === "string") queue.innerHTML = body.html; },
                                   function () {});
    }, 2000);
  }

  var log = document.querySelector('[data-live="conversation"]');
  if (log) {
    var id = log.getAttribute("data-handoff");
    var status = document.getElementById("status");
    // The turns the page shows (rendered with it), sent as `seen`: the server audits turns the page had not.
    var shown = log.hasAttribute("data-count") ? parseInt(log.getAttribute("data-count"), 10) : -1;
    var atBottom = function () { return log.scrollHeight - log.scrollTop - log.clientHeight < 40; };
    log.scrollTop = log.scrollHeight;
    // With the event broker the request waits until the conversation changes (long poll); without it,
    // or after an error, the page asks again after a second.
    var timer = null;
    var next = function (live) {
      clearTimeout(timer);
      timer = setTimeout(function () { poll(live); }, live ? 0 : 1000);
    };
    var poll = function (wait) {
      var url = "/agent/api/handoffs/" + id + (shown >= 0 ? "?seen=" + shown + (wait ? "&wait=1" : "") : "");
      get(url).then(function (body) {
        if (!body || typeof body.html !== "string") { next(false); return; }
        if (body.count !== shown) {
          var follow = atBottom();
          log.innerHTML = body.html;
          shown = body.count;
          if (follow) log.scrollTop = log.scrollHeight;
        }
        if (status && body.status) status.textContent = body.status + (body.open ? "" : " – cuộc trò chuyện đã đóng");
        if (!body.open) {
          var form = document.getElementById("reply");
          if (form) form.querySelectorAll("textarea,button").forEach(function (n) { n.disabled = true; });
          // Closed: read-only history up to the closing, shown; nothing more to ask for (unless Rasa was unread).
          if (typeof body.count === "number") return;
        }
        next(body.live === true && body.open);
      }, function () { next(false); });
    };
    poll(false);

    var form = document.getElementById("reply");
    if (form) {
      var note = document.getElementById("reply-status");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var input = form.querySelector("textarea");
        var text = input.value.trim();
        if (!text) return;
        var data = new URLSearchParams();
        data.set("text", text);
        data.set("csrf", csrf);
        note.textContent = "Đang gửi…";
        fetch(form.action, { method: "POST", credentials: "same-origin", body: data,
                             headers: { Accept: "application/json", "X-CSRF-Token": csrf } })
          .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
          .then(function (result) {
            if (result.ok) { input.value = ""; note.textContent = "Đã gửi"; }
            else { note.textContent = (result.body && result.body.message) || "Chưa gửi được"; }
          }, function () { note.textContent = "Chưa gửi được, thử lại"; });
      });
    }
  }
})();
