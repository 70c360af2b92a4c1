/*
 * Chat widget of the EVN customer-care assistant, for Rasa's socketio channel.
 *
 * Embed:
 *   <script src="http://HOST:8080/static/widget.js" data-rasa-url="http://HOST:5005" defer></script>
 *
 * Attributes of the script tag:
 *   data-rasa-url  Rasa server (socket.io at /socket.io); default: the host this file came from, port 5005
 *   data-open      "true" opens the panel on load
 *
 * widget.css and socket.io.min.js (socket.io-client 4) are loaded from the same folder as this file;
 * nothing is fetched from the internet. The session id is issued and signed by the web app
 * (POST /chat/session on the origin this file came from); the Rasa channel accepts only such an id and
 * answers an unknown one with a new session. The session token and the messages are kept in
 * localStorage, so a reload shows them again and Rasa continues the same conversation.
 * "↺" starts a new conversation and ends the old one on the server: its token is kept (localStorage
 * "retired") until the channel confirms it revoked it (session_confirm {"retired": true}), so the old
 * token opens nothing and whoever linked an account there is no longer recognised.
 * "📎" sends a picture (a photo or a file): uploaded to the web app with the session (POST /widget/pictures),
 * then its id goes in the chat with the words typed beside it; a refused upload is reported by its reason.
 */
(function () {
  "use strict";
  if (window.__evnWidget) return;

  var script = document.currentScript || (function () {
    var all = document.querySelectorAll("script[src*='widget.js']");
    return all[all.length - 1];
  })();
  var scriptUrl = new URL(script.src, location.href);
  var base = scriptUrl.href.replace(/[^/]*([?#].*)?$/, "");
  var webOrigin = scriptUrl.origin;
  var rasaUrl = (script.getAttribute("data-rasa-url") ||
    scriptUrl.protocol + "//" + scriptUrl.hostname + ":5005").replace(/\/+$/, "");
  var openOnLoad = script.getAttribute("data-open") === "true";

  var KEY = "evn-cskh:";
  var MAX_HISTORY = 200;
  var T = {
    title: "Trợ lý CSKH ngành điện",
    placeholder: "Nhập tin nhắn…",
    send: "Gửi",
    open: "Mở trò chuyện với trợ lý CSKH ngành điện",
    close: "Thu nhỏ",
    reset: "Bắt đầu cuộc trò chuyện mới",
    intro: "Xin chào! Anh/chị có thể hỏi em về hóa đơn, chỉ số điện, giá điện, thanh toán, yêu cầu dịch vụ hoặc lịch ngừng cấp điện.",
    connecting: "Đang kết nối…",
    online: "Đang trực tuyến",
    offline: "Mất kết nối, đang thử lại…",
    unavailable: "Không tải được thư viện kết nối.",
    typing: "Trợ lý đang soạn tin",
    image: "Hình ảnh từ trợ lý",
    file: "Tải tệp",
    attach: "Gửi ảnh (mã QR, tin nhắn nghi lừa đảo, hóa đơn)",
    pictureSent: "📷 Đã gửi một hình ảnh"
  };
  var MAX_PICTURE_BYTES = 5 * 1024 * 1024;  // the web app's limit: a larger file is refused without uploading it

  // ---- storage ---------------------------------------------------------------------------------
  function load(key, fallback) {
    try {
      var value = localStorage.getItem(KEY + key);
      return value === null ? fallback : JSON.parse(value);
    } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { localStorage.setItem(KEY + key, JSON.stringify(value)); } catch (e) { /* private mode, quota */ }
  }
  function forget(key) {
    try { localStorage.removeItem(KEY + key); } catch (e) { /* ignore */ }
  }
  // The signed session token ("<id>.<signature>"), or null until the web app has issued one.
  var sessionId = load("session", null);
  var history = sessionId ? load("history:" + sessionId, []) : [];
  var MAX_RETIRED = 5;
  // Tokens of conversations ended with ↺, until the server confirms it revoked them.
  function retiredTokens() {
    var list = load("retired", []);
    if (!Array.isArray(list)) return [];
    return list.filter(function (t) { return typeof t === "string" && t; }).slice(-MAX_RETIRED);
  }
  function setRetired(list) {
    if (list.length) save("retired", list.slice(-MAX_RETIRED)); else forget("retired");
  }

  // Follow the session the server names; `fresh`: it refused ours, so the old history goes.
  function adopt(token, fresh) {
    if (token === sessionId) return;
    forget("history:" + sessionId);
    if (fresh) { history = []; renderAll(); }
    sessionId = token;
    save("session", sessionId);
    save("history:" + sessionId, history);
  }

  // A new signed session from the web app; on failure the Rasa channel issues one itself.
  function newSession(done) {
    if (!window.fetch) { done(); return; }
    fetch(webOrigin + "/chat/session", { method: "POST", credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body && typeof body.session_id === "string") adopt(body.session_id, false);
        done();
      }, function () { done(); });
  }

  // ---- DOM helpers -----------------------------------------------------------------------------
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }
  function isLink(value) { return typeof value === "string" && /^https?:\/\//i.test(value); }

  // Text with line breaks kept (CSS pre-wrap) and URLs turned into links; never parsed as HTML.
  var URL_RE = /https?:\/\/[^\s<>"]+/gi;
  function richText(text) {
    var frag = document.createDocumentFragment();
    var last = 0;
    String(text).replace(URL_RE, function (match, offset) {
      var url = match.replace(/[.,;:!?)\]]+$/, "");
      frag.appendChild(document.createTextNode(text.slice(last, offset)));
      var a = el("a", null, url);
      a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
      frag.appendChild(a);
      last = offset + url.length;
      return match;
    });
    frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  // ---- UI --------------------------------------------------------------------------------------
  var css = el("link"); css.rel = "stylesheet"; css.href = base + "widget.css";
  document.head.appendChild(css);

  var root = el("div", "evn-w"); root.id = "evn-cskh-widget";
  var launcher = el("button", "evn-w-launcher");
  launcher.type = "button"; launcher.setAttribute("aria-label", T.open); launcher.title = T.open;
  launcher.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm9 2-4 6h3l-1 4 4-6h-3z"/></svg>';

  var panel = el("section", "evn-w-panel");
  panel.setAttribute("role", "dialog"); panel.setAttribute("aria-label", T.title);
  var header = el("header", "evn-w-header");
  var heading = el("div", "evn-w-heading");
  heading.appendChild(el("strong", null, T.title));
  var status = el("span", "evn-w-status", T.connecting);
  heading.appendChild(status);
  var resetButton = el("button", "evn-w-icon", "↺");
  resetButton.type = "button"; resetButton.title = T.reset; resetButton.setAttribute("aria-label", T.reset);
  var closeButton = el("button", "evn-w-icon", "✕");
  closeButton.type = "button"; closeButton.title = T.close; closeButton.setAttribute("aria-label", T.close);
  header.appendChild(heading); header.appendChild(resetButton); header.appendChild(closeButton);

  var log = el("div", "evn-w-log");
  log.setAttribute("aria-live", "polite");
  var typing = el("div", "evn-w-typing");
  typing.setAttribute("aria-label", T.typing);
  typing.innerHTML = "<span></span><span></span><span></span>";

  var form = el("form", "evn-w-form");
  var input = el("input", "evn-w-input");
  input.type = "text"; input.placeholder = T.placeholder; input.setAttribute("aria-label", T.placeholder);
  input.autocomplete = "off"; input.maxLength = 1000;
  var sendButton = el("button", "evn-w-send", T.send); sendButton.type = "submit";
  // The attach button: a photo from the phone's camera or a file; uploaded to the web app, then sent by its id.
  var attachButton = el("button", "evn-w-attach", "📎");
  attachButton.type = "button"; attachButton.title = T.attach; attachButton.setAttribute("aria-label", T.attach);
  var fileInput = el("input", "evn-w-file");
  fileInput.type = "file"; fileInput.accept = "image/*"; fileInput.hidden = true;
  form.appendChild(attachButton); form.appendChild(fileInput);
  form.appendChild(input); form.appendChild(sendButton);

  panel.appendChild(header); panel.appendChild(log); panel.appendChild(form);
  root.appendChild(panel); root.appendChild(launcher);

  function setOpen(open) {
    root.classList.toggle("evn-w-open", open);
    save("open", open);
    if (open) { scrollDown(); setTimeout(function () { input.focus(); }, 0); }
  }
  launcher.addEventListener("click", function () { setOpen(true); });
  closeButton.addEventListener("click", function () { setOpen(false); });

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  // ---- rendering -------------------------------------------------------------------------------
  // History entries: {from: "user"|"bot", text?, image?, file?: {url, name}, buttons?: [{title, payload}]}.
  function renderEntry(entry) {
    var row = el("div", "evn-w-row evn-w-" + (entry.from === "user" ? "user" : "bot") + (entry.agent ? " evn-w-agent" : ""));
    if (entry.agent) row.appendChild(el("div", "evn-w-who", entry.agent));
    if (entry.text) {
      var bubble = el("div", "evn-w-bubble");
      bubble.appendChild(richText(entry.text));
      row.appendChild(bubble);
    }
    if (entry.image && isLink(entry.image)) {
      var img = el("img", "evn-w-image");
      img.src = entry.image; img.alt = T.image; img.loading = "lazy";
      img.addEventListener("load", scrollDown);
      row.appendChild(img);
    }
    if (entry.file && isLink(entry.file.url)) {   // a document (the bill's PDF): a download, opened apart
      var file = el("a", "evn-w-file", "📄 " + (entry.file.name || T.file));
      file.href = entry.file.url; file.target = "_blank"; file.rel = "noopener noreferrer";
      file.setAttribute("download", entry.file.name || ""); file.title = T.file;
      row.appendChild(file);
    }
    if (entry.buttons && entry.buttons.length) {
      var box = el("div", "evn-w-replies");
      entry.buttons.forEach(function (button) {
        var target = isLink(button.url) ? button.url : button.payload;
        if (isLink(target)) {   // a payment link: open it, never send it as a message
          var a = el("a", "evn-w-reply evn-w-link", button.title || target);
          a.href = target; a.target = "_blank"; a.rel = "noopener noreferrer";
          box.appendChild(a);
        } else {
          var b = el("button", "evn-w-reply", button.title || button.payload);
          b.type = "button";
          b.addEventListener("click", function () { sendMessage(button.payload, button.title); });
          box.appendChild(b);
        }
      });
      row.appendChild(box);
    }
    log.insertBefore(row, typing.parentNode === log ? typing : null);
    return row;
  }

  // Quick replies are answers to the latest question: once the user has said something after
  // them they are hidden (links stay).
  function retireReplies() {
    var boxes = log.querySelectorAll(".evn-w-bot .evn-w-replies");
    for (var i = 0; i < boxes.length; i++) boxes[i].classList.add("evn-w-answered");
  }

  function renderAll() {
    log.textContent = "";
    log.appendChild(el("p", "evn-w-intro", T.intro));
    history.forEach(function (entry) {
      if (entry.from === "user") retireReplies();
      renderEntry(entry);
    });
    scrollDown();
  }

  function remember(entry) {
    history.push(entry);
    if (history.length > MAX_HISTORY) history = history.slice(-MAX_HISTORY);
    if (sessionId) save("history:" + sessionId, history);
    if (entry.from === "user") retireReplies();
    renderEntry(entry);
    scrollDown();
  }

  var typingTimer = null;
  function showTyping(on) {
    clearTimeout(typingTimer);
    if (on) {
      log.appendChild(typing);
      typingTimer = setTimeout(function () { showTyping(false); }, 30000);
      scrollDown();
    } else if (typing.parentNode) {
      typing.parentNode.removeChild(typing);
    }
  }

  // A bot_uttered message of Rasa's socketio channel: {text}, {text, quick_replies}, {attachment}, {text, agent}.
  function receive(message) {
    if (!message || typeof message !== "object") return;
    showTyping(false);
    var entry = { from: "bot" };
    if (typeof message.text === "string" && message.text) entry.text = message.text;
    // A person's reply from the agent console carries their name; shown above it, as text only.
    if (typeof message.agent === "string" && message.agent) entry.agent = message.agent.slice(0, 60);
    var attachment = message.attachment;
    if (attachment && attachment.type === "image" && attachment.payload) entry.image = attachment.payload.src;
    if (attachment && attachment.type === "file" && isLink(attachment.url)) {
      entry.file = { url: attachment.url, name: String(attachment.name || "").slice(0, 100) };
    }
    var buttons = message.quick_replies || message.buttons;
    if (Array.isArray(buttons) && buttons.length) {
      entry.buttons = buttons.map(function (b) {
        var out = { title: String(b.title || ""), payload: String(b.payload || "") };
        if (isLink(b.url)) out.url = b.url;
        return out;
      });
    }
    if (entry.text || entry.image || entry.file || entry.buttons) remember(entry);
  }

  // ---- connection ------------------------------------------------------------------------------
  var socket = null;
  var confirmed = false;
  var outbox = [];
  var retiring = [];  // the old tokens the last session_request asked the server to revoke

  function setStatus(text, state) {
    status.textContent = text;
    root.setAttribute("data-state", state);
  }

  function sendMessage(message, shown) {
    message = String(message || "").trim();
    if (!message) return;
    remember({ from: "user", text: shown || message });
    outbox.push(message);
    showTyping(true);
    flush();
  }

  function flush() {
    if (!socket || !confirmed) return;
    while (outbox.length) {
      var next = outbox.shift();
      var data = typeof next === "string" ? { message: next } : next;
      data.session_id = sessionId;
      socket.emit("user_uttered", data);
    }
  }

  // A picture: uploaded with this session, then its id (or why it was refused) goes in the chat, where the
  // assistant answers it as on Messenger and Zalo. The words typed beside it are its caption.
  function sendPicture(file) {
    if (!file || !sessionId) return;
    var caption = input.value.trim();
    input.value = "";
    remember({ from: "user", text: caption ? T.pictureSent + ": " + caption : T.pictureSent });
    showTyping(true);
    function report(data) { data.message = caption; outbox.push(data); flush(); }
    if (file.size > MAX_PICTURE_BYTES) { report({ picture_refused: "too_large" }); return; }
    fetch(webOrigin + "/widget/pictures", {
      method: "POST", body: file,
      headers: { "X-Widget-Session": sessionId, "Content-Type": file.type || "application/octet-stream" }
    }).then(function (r) { return r.json(); }).then(function (body) {
      if (body && typeof body.picture === "string") report({ picture: body.picture });
      else report({ picture_refused: (body && body.refused) || "unreachable" });
    }, function () { report({ picture_refused: "unreachable" }); });
  }
  attachButton.addEventListener("click", function () { fileInput.click(); });
  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    fileInput.value = "";
    sendPicture(file);
  });

  function connect(io) {
    socket = io(rasaUrl, {
      path: "/socket.io",
      // WebSocket first: not subject to CORS; long-polling only if WebSocket is blocked.
      transports: ["websocket", "polling"],
      tryAllTransports: true
    });
    socket.on("connect", function () {
      confirmed = false;
      setStatus(T.connecting, "connecting");
      retiring = retiredTokens();
      var request = { session_id: sessionId };
      if (retiring.length) request.retire = retiring;
      socket.emit("session_request", request);
    });
    socket.on("session_confirm", function (data) {
      var id = data && typeof data === "object" ? data.session_id : data;
      if (data && data.retired === true && retiring.length) {
        setRetired(retiredTokens().filter(function (t) { return retiring.indexOf(t) < 0; }));
        retiring = [];
      }
      // The server keeps our session or, for an id it did not sign, starts a new one: follow it.
      if (typeof id === "string" && id) adopt(id, !!(data && data.new && sessionId));
      confirmed = true;
      setStatus(T.online, "online");
      flush();
    });
    socket.on("bot_uttered", receive);
    socket.on("disconnect", function () { confirmed = false; setStatus(T.offline, "offline"); });
    socket.on("connect_error", function () { setStatus(T.offline, "offline"); });
  }

  resetButton.addEventListener("click", function () {
    if (sessionId) {
      forget("history:" + sessionId);
      setRetired(retiredTokens().concat([sessionId]));  // revoked on the next session_request
    }
    sessionId = null;
    forget("session");
    history = [];
    outbox = [];
    showTyping(false);
    renderAll();
    newSession(function () {
      if (socket) { socket.disconnect(); socket.connect(); }  // a new socket joins only the new room
    });
    input.focus();
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    input.value = "";
    sendMessage(text);
  });

  function start() {
    document.body.appendChild(root);
    renderAll();
    setOpen(openOnLoad || load("open", false));
    // Our own socket.io-client 4, whatever the host page has; its window.io is put back.
    var previous = window.io;
    var lib = el("script");
    lib.src = base + "socket.io.min.js";
    lib.onload = function () {
      var io = window.io;
      if (previous) window.io = previous;
      if (sessionId) connect(io); else newSession(function () { connect(io); });
    };
    lib.onerror = function () { setStatus(T.unavailable, "offline"); };
    document.head.appendChild(lib);
  }

  // A tiny hook for tests and host pages.
  window.__evnWidget = {
    render: receive,
    open: function () { setOpen(true); },
    close: function () { setOpen(false); },
    sessionId: function () { return sessionId; },
    sendPicture: sendPicture,
    retired: function () { return retiredTokens(); }
  };

  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
