/*
 * Skills Connector chat widget. Install with one tag before </body>:
 *
 *   <script async src="https://HOST/widget.js" data-title="Skills help"
 *           data-accent="#00629b" data-audience="auto"></script>
 *
 * data-audience: employer | learner | provider | auto (ask the visitor; the default)
 * data-position: right (default) | left;  data-api: API base URL (default: where this file came from)
 *
 * Optional command queue, safe before the script has loaded:
 *   window.SkillsConnector = window.SkillsConnector || [];
 *   SkillsConnector.push(["open"]);  // also ["close"], ["setAudience", "employer"], ["clear"]
 *
 * Why a custom element with Shadow DOM rather than an iframe: the shadow root keeps the host page's CSS
 * out (and ours in) while the widget stays in the host document, so keyboard focus order, the focus trap
 * and screen-reader reading order work without postMessage hand-offs, there is no frame to resize between
 * launcher and panel, and the browser does not partition an iframe's storage by top-level site.
 *
 * Safety: nothing from the server or the model is ever parsed as HTML. Text goes in with textContent;
 * the only formatting is paragraphs, bullet lists, **bold** and [n] citation markers; links come only
 * from sources and cards, and only with http(s) URLs. No cookies; nothing is stored on the device until
 * the first message is sent, and then only the conversation id and audience, in sessionStorage.
 */
(function () {
  "use strict";

  var VERSION = "__WIDGET_VERSION__";
  var TAG = "skills-connector-chat";
  var STORE_KEY = "skills-connector:conversation";
  var SAFE_ACCENT = "#00629b";
  var IDLE_TIMEOUT_MS = 30000;
  var SLOW_NOTICE_MS = 8000;
  var AUDIENCE_NAMES = { employer: "an employer", learner: "someone looking for a course", provider: "a training provider" };
  var DEFAULTS = {
    title: "Skills help",
    disclaimer: "Answers are AI-assisted and can be wrong. Check the linked sources, and talk to a person before making decisions.",
    contact: { name: "your local Chamber of Commerce", email: "", phone: "", url: "", careers_url: "https://nationalcareers.service.gov.uk/" },
    audiences: [
      { id: "employer", label: "I'm an employer" },
      { id: "learner", label: "I'm looking for a course" },
      { id: "provider", label: "I'm a training provider" }
    ],
    max_message_chars: 1000
  };

  if (window.customElements && window.customElements.get(TAG)) return; // the tag was pasted twice

  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  var data = (script && script.dataset) || {};
  var apiBase = (data.api || (script ? script.src : location.href).replace(/\/widget\.js(?:[?#].*)?$/, "")).replace(/\/+$/, "");

  /* ---------- small DOM helpers ---------- */

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "text") el.textContent = value;
      else if (key.slice(0, 2) === "on") el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child) el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return el;
  }

  function safeUrl(value) {
    if (typeof value !== "string" || !value) return null;
    try {
      var url = new URL(value, apiBase + "/");
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function newTabLink(url, text, className, label) {
    return h("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: className, "aria-label": label }, [
      text,
      label ? null : h("span", { class: "sr-only", text: " (opens in new tab)" })
    ]);
  }

  function hostOf(url) {
    try { return new URL(url).hostname.replace(/^www\./, ""); } catch (e) { return ""; }
  }

  /* ---------- colour: a pale brand colour must not break contrast ---------- */

  function luminance(hex) {
    var m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((hex || "").trim());
    if (!m) return null;
    var s = m[1].length === 3 ? m[1].replace(/(.)/g, "$1$1") : m[1];
    var channels = [0, 2, 4].map(function (i) {
      var c = parseInt(s.substr(i, 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
  }

  function contrastWithWhite(hex) {
    var lum = luminance(hex);
    return lum === null ? 0 : 1.05 / (lum + 0.05);
  }

  function pickAccent(hex) {
    // White text sits on the accent and the accent is used for links on white: both need 4.5:1.
    return contrastWithWhite(hex) >= 4.5 ? "#" + hex.trim().replace(/^#/, "") : SAFE_ACCENT;
  }

  /* ---------- safe rendering of answer text ---------- */

  var BULLET = /^\s*(?:[-*\u2022]|\d{1,2}[.)])\s+/;
  var INLINE = /\*\*([^*\n]+)\*\*|\[(\d{1,2})\](?!\()|\[([^\]\n]+)\]\([^)\s]*\)/g;

  function addInline(parent, text, sources) {
    var last = 0;
    text.replace(INLINE, function (match, bold, cite, linkText, offset) {
      if (offset > last) parent.appendChild(document.createTextNode(text.slice(last, offset)));
      if (bold) parent.appendChild(h("strong", { text: bold }));
      else if (cite) parent.appendChild(citation(Number(cite), sources));
      else parent.appendChild(document.createTextNode(linkText)); // links in answer text are never followed
      last = offset + match.length;
      return match;
    });
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function citation(n, sources) {
    var source = sources[n - 1];
    var url = source && safeUrl(source.url);
    if (!url) return document.createTextNode("[" + n + "]");
    var label = "Source " + n + ": " + (source.title || hostOf(url)) + " (opens in new tab)";
    return newTabLink(url, "[" + n + "]", "cite", label);
  }

  function renderRich(container, text, sources) {
    container.textContent = "";
    var list = null;
    var para = null;
    text.replace(/\r\n?/g, "\n").split("\n").forEach(function (raw) {
      var line = raw.replace(/^\s*#{1,6}\s+/, "");
      if (!line.trim()) { list = null; para = null; return; }
      if (BULLET.test(line)) {
        para = null;
        if (!list) list = container.appendChild(h(/^\s*\d/.test(line) ? "ol" : "ul"));
        addInline(list.appendChild(h("li")), line.replace(BULLET, ""), sources);
        return;
      }
      list = null;
      if (para) para.appendChild(h("br"));
      else para = container.appendChild(h("p"));
      addInline(para, line, sources);
    });
  }

  function plainText(text) {
    return text.replace(/\*\*/g, "").replace(/^\s*#{1,6}\s+/gm, "");
  }

  /* ---------- server-sent events over fetch ---------- */

  function parseEvent(block) {
    var name = "message";
    var lines = [];
    block.split("\n").forEach(function (line) {
      if (!line || line.charAt(0) === ":") return; // comments are heartbeats
      var colon = line.indexOf(":");
      var field = colon < 0 ? line : line.slice(0, colon);
      var value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") name = value;
      else if (field === "data") lines.push(value);
    });
    if (!lines.length) return null;
    try {
      return { name: name, data: JSON.parse(lines.join("\n")) };
    } catch (e) {
      return null;
    }
  }

  function readEvents(response, onEvent, onChunk) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";
    var pendingCR = "";
    function emit(parts) {
      parts.forEach(function (part) {
        var event = parseEvent(part);
        if (event) onEvent(event);
      });
    }
    function pump() {
      return reader.read().then(function (step) {
        if (step.done) return emit([buffer]);
        onChunk();
        var raw = pendingCR + decoder.decode(step.value, { stream: true });
        // A "\r\n" split across two chunks must not read as two line ends: hold a trailing "\r" back.
        pendingCR = raw.slice(-1) === "\r" ? "\r" : "";
        buffer += raw.slice(0, raw.length - pendingCR.length).replace(/\r\n?/g, "\n");
        var parts = buffer.split("\n\n");
        buffer = parts.pop();
        emit(parts);
        return pump();
      });
    }
    return pump();
  }

  var NOT_ON_THIS_SITE = "Skills help isn't available on this website yet, so questions can't be sent from here.";

  function friendlyError(kind, detail) {
    var messages = {
      offline: "The skills help service can't be reached right now. Check your connection and try again.",
      slow: "This is taking longer than it should. Please try again.",
      busy: "Lots of people are asking questions right now. Please wait a minute and try again.",
      server: "Sorry, something went wrong while answering. Please try again.",
      input: "That question couldn't be sent."
    };
    var error = new Error(messages[kind] + (detail ? " " + detail : ""));
    error.kind = kind;
    return error;
  }

  /* ---------- storage: only after the first message, never cookies ---------- */

  function loadConversation() {
    try { return JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "null"); } catch (e) { return null; }
  }

  function saveConversation(value) {
    try {
      if (value) window.sessionStorage.setItem(STORE_KEY, JSON.stringify(value));
      else window.sessionStorage.removeItem(STORE_KEY);
    } catch (e) { /* storage blocked: the conversation simply isn't kept across pages */ }
  }

  /* ---------- the element ---------- */

  var SkillsChat = class extends HTMLElement {};
  var proto = SkillsChat.prototype;

  proto.connectedCallback = function () {
    if (this.shadowRoot) return;
    var saved = loadConversation();
    var preset = AUDIENCE_NAMES[data.audience] ? data.audience : null;
    this.state = {
      open: false,
      busy: false,
      audience: (saved && saved.audience) || preset,
      sessionId: saved && saved.id,
      config: null,
      configFailed: false,
      originRefused: false,
      lastQuestion: null,
      controller: null
    };
    this.hidden = true; // shown once our stylesheet has loaded, so the page never sees it unstyled
    this.style.setProperty("--sc-accent", pickAccent(data.accent || SAFE_ACCENT));
    if (data.position === "left") this.setAttribute("data-position", "left");
    this.build(this.attachShadow({ mode: "open" }));
    this.trackViewport();
  };

  proto.build = function (root) {
    var self = this;
    var title = data.title || DEFAULTS.title;
    var css = h("link", { rel: "stylesheet", href: apiBase + "/widget.css?v=" + VERSION });
    css.addEventListener("load", function () { self.hidden = false; });
    css.addEventListener("error", function () { self.hidden = false; });
    this.launcher = h("button", {
      type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "sc-panel",
      onclick: function () { self.state.open ? self.close() : self.open(); }
    }, [bubbleIcon(), h("span", { text: title })]);
    this.titleEl = h("h2", { id: "sc-title", tabindex: "-1", text: title });
    this.audienceLine = h("p", { class: "audience-line" });
    this.banner = h("div", { class: "banner", hidden: true });
    this.log = h("ol", { class: "log", "aria-label": "Conversation" });
    this.chooser = h("div", { class: "chooser", role: "group", "aria-labelledby": "sc-chooser-q" });
    this.live = h("div", { class: "sr-only", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    this.disclaimer = h("p", { class: "disclaimer", text: DEFAULTS.disclaimer });
    this.contactEl = h("p", { class: "contact" });
    this.panel = h("section", {
      id: "sc-panel", class: "panel", role: "dialog", "aria-modal": "true", "aria-labelledby": "sc-title", hidden: true,
      onkeydown: function (event) { self.onPanelKey(event); }
    }, [
      h("header", { class: "head" }, [
        this.titleEl,
        h("button", { type: "button", class: "text-button", onclick: function () { self.clear(); } }, ["Start again", h("span", { class: "sr-only", text: " (clears this conversation)" })]),
        h("button", { type: "button", class: "close", "aria-label": "Close chat", onclick: function () { self.close(); } }, [closeIcon()])
      ]),
      this.disclaimer,
      this.banner,
      h("div", { class: "scroll" }, [this.audienceLine, this.chooser, this.log]),
      this.composer = this.buildComposer(),
      this.contactEl,
      this.live
    ]);
    root.appendChild(css);
    root.appendChild(this.launcher);
    root.appendChild(this.panel);
    this.scroller = this.panel.querySelector(".scroll");
    this.applyConfig(DEFAULTS);
  };

  proto.buildComposer = function () {
    var self = this;
    this.input = h("textarea", {
      id: "sc-input", rows: "2", maxlength: String(DEFAULTS.max_message_chars), autocomplete: "off",
      "aria-describedby": "sc-hint",
      onkeydown: function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          self.submit();
        }
      }
    });
    this.sendButton = h("button", { type: "submit", class: "send" }, ["Send"]);
    return h("form", {
      class: "composer", novalidate: true,
      onsubmit: function (event) { event.preventDefault(); self.submit(); }
    }, [
      h("label", { for: "sc-input", text: "Your question" }),
      h("span", { id: "sc-hint", class: "sr-only", text: "Press Enter to send, Shift and Enter for a new line." }),
      h("div", { class: "composer-row" }, [this.input, this.sendButton])
    ]);
  };

  function svg(pathData, size) {
    var ns = "http://www.w3.org/2000/svg";
    var icon = document.createElementNS(ns, "svg");
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.setAttribute("width", size);
    icon.setAttribute("height", size);
    icon.setAttribute("aria-hidden", "true");
    icon.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", pathData);
    icon.appendChild(path);
    return icon;
  }

  function bubbleIcon() {
    return svg("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z", "22");
  }

  function closeIcon() {
    return svg("M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z", "20");
  }

  /* ---------- configuration from the API ---------- */

  proto.fetchConfig = function () {
    var self = this;
    return fetch(apiBase + "/v1/widget/config", { credentials: "omit", mode: "cors" })
      .then(function (response) {
        if (!response.ok) throw friendlyError("server");
        return response.json();
      })
      .then(function (config) {
        self.state.config = config;
        self.state.configFailed = false;
        self.applyConfig(config);
        self.keepFocus(function () { self.showBanner(null); });
      })
      .catch(function (error) {
        self.state.configFailed = true;
        // A refused origin and an unreachable server fail alike (a TypeError); only a second request that
        // needs no permission can tell them apart. An error of ours (a 5xx) is neither.
        var probe = error && error.kind ? Promise.resolve(false) : serverAnswers();
        return probe.then(function (reachable) {
          if (reachable) return self.refuseOrigin();
          self.showBanner(friendlyError("offline").message, function () { self.fetchConfig(); });
        });
      });
  };

  // A "no-cors" request succeeds (with an unreadable reply) whenever the server answers at all, whatever
  // origins it allows.
  function serverAnswers() {
    return fetch(apiBase + "/healthz", { mode: "no-cors", credentials: "omit", cache: "no-store" })
      .then(function () { return true; }, function () { return false; });
  }

  // The server answers but refuses this page's origin: a set-up matter for the site's web team, told in the
  // console once; visitors get one short message and no question box that could only fail again.
  proto.refuseOrigin = function () {
    var origin = window.location.origin;
    if (!this.state.originRefused && window.console) {
      window.console.error(
        "SkillsConnector: the service at " + apiBase + " refused requests from this page's origin " + origin +
        ". To allow it, add " + origin + " to CONNECTOR_CORS_ORIGINS on that server (a comma-separated list)" +
        " and restart it."
      );
    }
    this.state.originRefused = true;
    this.showBanner(NOT_ON_THIS_SITE);
    this.chooser.hidden = true;
    this.audienceLine.hidden = true;
    this.composer.hidden = true;
  };

  proto.applyConfig = function (config) {
    var self = this;
    // The configuration may arrive after the visitor has started using the panel: rebuilt parts must
    // not take their keyboard focus away.
    this.keepFocus(function () { self.useConfig(config); });
  };

  proto.keepFocus = function (rebuild) {
    var active = this.shadowRoot && this.shadowRoot.activeElement;
    var key = active && (active.getAttribute("data-audience") || active.textContent);
    rebuild();
    if (!active || active.isConnected) return;
    var match = this.focusables().filter(function (el) {
      return (el.getAttribute("data-audience") || el.textContent) === key;
    })[0];
    (match || this.titleEl).focus();
  };

  proto.useConfig = function (config) {
    this.config = {
      title: config.title || DEFAULTS.title,
      disclaimer: config.disclaimer || DEFAULTS.disclaimer,
      contact: config.contact || DEFAULTS.contact,
      audiences: Array.isArray(config.audiences) && config.audiences.length ? config.audiences : DEFAULTS.audiences,
      max_message_chars: config.max_message_chars || DEFAULTS.max_message_chars
    };
    if (!data.title && config.title) this.setTitle(String(config.title));
    // Without data-accent, the area's own colour (checked for contrast like any other).
    if (!data.accent && config.accent) this.style.setProperty("--sc-accent", pickAccent(String(config.accent)));
    this.disclaimer.textContent = this.config.disclaimer;
    this.input.setAttribute("maxlength", String(this.config.max_message_chars));
    this.contactEl.textContent = "";
    this.contactEl.appendChild(h("strong", { text: "Talk to a person: " }));
    appendContact(this.contactEl, this.config.contact);
    this.renderAudience();
  };

  proto.setTitle = function (title) {
    // Without data-title, the deployment's own title (the area's widget title) heads the panel; the
    // launcher keeps its name so the help button reads the same on every page.
    this.titleEl.textContent = title;
  };

  function appendContact(parent, contact) {
    var parts = [];
    if (contact.name) parts.push(document.createTextNode(contact.name));
    if (/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(contact.email || "")) {
      parts.push(h("a", { href: "mailto:" + contact.email, text: contact.email }));
    }
    if (/^[+\d][\d\s()-]{5,}$/.test(contact.phone || "")) {
      parts.push(h("a", { href: "tel:" + contact.phone.replace(/[^\d+]/g, ""), text: contact.phone }));
    }
    var url = safeUrl(contact.url);
    if (url) parts.push(newTabLink(url, "Contact page"));
    var careers = safeUrl(contact.careers_url);
    if (careers) parts.push(newTabLink(careers, "National Careers Service"));
    parts.forEach(function (part, i) {
      if (i) parent.appendChild(document.createTextNode(" \u00b7 "));
      parent.appendChild(part);
    });
  }

  proto.showBanner = function (message, retry) {
    this.banner.textContent = "";
    this.banner.hidden = !message;
    if (!message) return;
    this.banner.appendChild(h("p", { role: "alert", text: message }));
    if (retry) this.banner.appendChild(h("button", { type: "button", class: "text-button retry", onclick: retry, text: "Try again" }));
  };

  /* ---------- audience ---------- */

  proto.renderAudience = function () {
    var self = this;
    var chosen = this.state.audience;
    this.chooser.textContent = "";
    this.chooser.hidden = !!chosen;
    this.audienceLine.textContent = "";
    this.audienceLine.hidden = !chosen;
    if (this.state.originRefused) { // nothing can be asked from this page: offer no choices
      this.chooser.hidden = this.audienceLine.hidden = true;
      return;
    }
    if (chosen) {
      this.audienceLine.appendChild(document.createTextNode("You're asking as " + AUDIENCE_NAMES[chosen] + ". "));
      this.audienceLine.appendChild(h("button", { type: "button", class: "link-button", onclick: function () { self.changeAudience(); } }, [
        "Change", h("span", { class: "sr-only", text: " who you are" })
      ]));
      return;
    }
    this.chooser.appendChild(h("p", { id: "sc-chooser-q", text: "To get the right answers, tell us who you are:" }));
    this.config.audiences.forEach(function (audience) {
      if (!AUDIENCE_NAMES[audience.id]) return;
      self.chooser.appendChild(h("button", {
        type: "button", class: "choice", "data-audience": audience.id, text: audience.label,
        onclick: function () { self.setAudience(audience.id, true); }
      }));
    });
  };

  proto.setAudience = function (audience, moveFocus) {
    if (!AUDIENCE_NAMES[audience]) return;
    this.state.audience = audience;
    if (this.state.sessionId) saveConversation({ id: this.state.sessionId, audience: audience });
    this.renderAudience();
    if (moveFocus) this.input.focus();
  };

  proto.changeAudience = function () {
    this.state.audience = null;
    this.renderAudience();
    var first = this.chooser.querySelector("button");
    if (first) first.focus();
  };

  /* ---------- open, close, focus ---------- */

  proto.open = function () {
    if (this.state.open) return;
    this.state.open = true;
    this.panel.hidden = false;
    this.launcher.setAttribute("aria-expanded", "true");
    this.setAttribute("data-open", "");
    if (!this.state.config) this.fetchConfig();
    this.syncViewport();
    this.focusStart();
  };

  proto.close = function () {
    if (!this.state.open) return;
    this.state.open = false;
    this.panel.hidden = true;
    this.launcher.setAttribute("aria-expanded", "false");
    this.removeAttribute("data-open");
    this.launcher.focus();
  };

  proto.focusStart = function () {
    var small = window.matchMedia && window.matchMedia("(max-width: 640px)").matches;
    var choice = this.chooser.hidden ? null : this.chooser.querySelector("button");
    // On phones, focusing the text box would pop up the keyboard over the disclaimer: start at the title.
    (choice || (small ? this.titleEl : this.input)).focus();
  };

  proto.focusables = function () {
    var selector = 'a[href], button:not([disabled]), textarea:not([disabled]), input:not([disabled]), summary, [tabindex="0"]';
    return Array.prototype.filter.call(this.panel.querySelectorAll(selector), function (el) {
      return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    });
  };

  proto.onPanelKey = function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      this.close();
      return;
    }
    if (event.key !== "Tab") return;
    var items = this.focusables();
    if (!items.length) return;
    // Move focus ourselves, in the panel's order, wrapping at both ends: leaving it to the browser lets
    // focus escape the panel when the answer is still adding links or buttons as the key is pressed.
    var index = items.indexOf(this.shadowRoot.activeElement);
    var next = event.shiftKey ? (index <= 0 ? items.length - 1 : index - 1) : (index + 1) % items.length;
    event.preventDefault();
    items[next].focus();
  };

  /* ---------- small screens: keep the panel above the on-screen keyboard ---------- */

  proto.trackViewport = function () {
    var self = this;
    var viewport = window.visualViewport;
    if (!viewport) return;
    function update() { self.syncViewport(); }
    viewport.addEventListener("resize", update);
    viewport.addEventListener("scroll", update);
  };

  proto.syncViewport = function () {
    var viewport = window.visualViewport;
    if (!viewport || !this.state.open) return;
    this.style.setProperty("--sc-vv-height", viewport.height + "px");
    this.style.setProperty("--sc-vv-top", viewport.offsetTop + "px");
  };

  /* ---------- conversation ---------- */

  proto.clear = function () {
    if (this.state.controller) this.state.controller.abort();
    this.state.controller = null;
    this.state.busy = false;
    this.state.sessionId = null;
    this.state.lastQuestion = null;
    this.state.audience = AUDIENCE_NAMES[data.audience] ? data.audience : null;
    saveConversation(null);
    this.log.textContent = "";
    this.input.value = "";
    this.sendButton.removeAttribute("aria-disabled");
    this.renderAudience();
    this.announce("Conversation cleared.");
    this.focusStart();
  };

  proto.announce = function (text) {
    // One polite announcement per finished answer; cleared first so a repeat is still read.
    var live = this.live;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  };

  proto.submit = function (retryQuestion) {
    if (this.state.busy) return; // a double click or a second Enter sends nothing more
    if (this.state.originRefused) return; // the panel already says why nothing can be sent
    var question = (retryQuestion || this.input.value).trim();
    if (!question) {
      this.input.focus();
      return;
    }
    if (!this.state.audience && !retryQuestion) {
      this.announce("Please choose who you are first.");
      var first = this.chooser.querySelector("button");
      if (first) first.focus();
      return;
    }
    if (!retryQuestion) {
      this.input.value = "";
      this.addUserMessage(question);
    }
    this.ask(question);
  };

  proto.addUserMessage = function (question) {
    this.log.appendChild(h("li", { class: "msg user" }, [
      h("span", { class: "sr-only", text: "You said: " }),
      h("p", { text: question })
    ]));
    this.scrollToEnd();
  };

  proto.scrollToEnd = function () {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  };

  proto.scrollToAnswer = function (bubble) {
    // Follow a growing answer until its start reaches the top; then stop, so it is read from the start.
    this.scroller.scrollTop = Math.max(0, bubble.el.offsetTop - 8);
  };

  proto.setBusy = function (busy) {
    this.state.busy = busy;
    if (busy) this.sendButton.setAttribute("aria-disabled", "true");
    else this.sendButton.removeAttribute("aria-disabled");
  };

  proto.ask = function (question) {
    var self = this;
    var bubble = new AnswerBubble(this);
    bubble.question = question;
    this.log.appendChild(bubble.el);
    this.scrollToEnd();
    this.setBusy(true);
    this.state.lastQuestion = question;
    this.announce("Searching for an answer.");
    var body = { message: question, audience: this.state.audience, stream: true };
    if (this.state.sessionId) body.session_id = this.state.sessionId;
    var request = this.stream(body, bubble);
    var controller = this.state.controller;
    request
      .then(function (result) { self.finish(bubble, result); })
      .catch(function (error) { self.fail(bubble, question, error); })
      .then(function () {
        if (self.state.controller !== controller) return; // cleared and restarted meanwhile
        self.setBusy(false);
        self.state.controller = null;
      });
  };

  proto.stream = function (body, bubble) {
    var controller = new AbortController();
    var timer = null;
    var slowTimer = window.setTimeout(function () { bubble.setStatus("Still working on it\u2026"); }, SLOW_NOTICE_MS);
    var timedOut = false;
    this.state.controller = controller;
    function resetIdle() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { timedOut = true; controller.abort(); }, IDLE_TIMEOUT_MS);
    }
    resetIdle();
    var result = null;
    return fetch(apiBase + "/v1/chat", {
      method: "POST", mode: "cors", credentials: "omit", signal: controller.signal,
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body)
    })
      .then(function (response) { return checkResponse(response); })
      .then(function (response) {
        if (/application\/json/.test(response.headers.get("content-type") || "")) {
          return response.json().then(function (json) { result = json; });
        }
        return readEvents(response, function (event) {
          window.clearTimeout(slowTimer);
          if (event.name === "error") throw friendlyError("server", referenceFor(event.data));
          if (event.name === "done") result = event.data;
          else bubble.onEvent(event);
        }, resetIdle);
      })
      .then(function () {
        if (!result || typeof result.answer !== "string") throw friendlyError("server");
        return result;
      })
      .catch(function (error) {
        controller.abort();
        if (error && error.kind) throw error;
        throw friendlyError(timedOut ? "slow" : "offline");
      })
      .then(function (value) {
        window.clearTimeout(timer);
        window.clearTimeout(slowTimer);
        return value;
      }, function (error) {
        window.clearTimeout(timer);
        window.clearTimeout(slowTimer);
        throw error;
      });
  };

  function referenceFor(payload) {
    return payload && payload.error_id ? "(Reference: " + String(payload.error_id).slice(0, 40) + ")" : "";
  }

  function checkResponse(response) {
    if (response.ok) return response;
    if (response.status === 429) throw friendlyError("busy");
    if (response.status >= 400 && response.status < 500) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        var detail = body && typeof body.detail === "string" ? body.detail : "Please shorten or rephrase it.";
        var error = friendlyError("input", detail.slice(0, 200));
        error.noRetry = true;
        throw error;
      });
    }
    throw friendlyError("server");
  }

  proto.finish = function (bubble, result) {
    if (result.session_id) {
      this.state.sessionId = result.session_id;
      saveConversation({ id: result.session_id, audience: this.state.audience });
    }
    bubble.complete(result);
    if (this.state.configFailed) this.fetchConfig(); // the service is back: clear the warning
    this.announce(plainText(result.answer) + (result.sources && result.sources.length ? " Sources are listed below the answer." : ""));
    this.scrollToAnswer(bubble);
  };

  proto.fail = function (bubble, question, error) {
    if (!this.log.contains(bubble.el)) return; // the conversation was cleared meanwhile
    var self = this;
    var message = (error && error.message) || friendlyError("server").message;
    bubble.showError(message, error && error.noRetry ? null : function () {
      if (self.state.busy) return;
      bubble.el.remove();
      self.input.focus(); // the button is gone: keep keyboard users in the conversation
      self.submit(question);
    });
    this.announce(message);
  };

  /* ---------- one answer in the transcript ---------- */

  function AnswerBubble(chat) {
    this.chat = chat;
    this.text = "";
    this.sources = [];
    this.cards = [];
    this.pending = false;
    this.settled = false; // complete or failed: streamed renders must not redraw over the final one
    this.body = h("div", { class: "answer-text" });
    this.status = h("p", { class: "thinking" }, [
      h("span", { class: "status-text", text: "Searching\u2026" }),
      h("span", { class: "dots", "aria-hidden": "true" }, [h("span"), h("span"), h("span")])
    ]);
    this.extras = h("div", { class: "extras" });
    this.el = h("li", { class: "msg bot", "aria-busy": "true" }, [
      h("span", { class: "sr-only", text: "Skills help said: " }), this.status, this.body, this.extras
    ]);
  }

  AnswerBubble.prototype.setStatus = function (text) {
    if (this.status.isConnected && !this.text) this.status.firstChild.textContent = text;
  };

  AnswerBubble.prototype.onEvent = function (event) {
    var payload = event.data || {};
    if (event.name === "status") {
      this.setStatus(payload.stage === "composing" ? "Writing an answer\u2026" : "Searching\u2026");
    } else if (event.name === "delta" && typeof payload.text === "string") {
      this.text += payload.text;
      this.scheduleRender();
    } else if (event.name === "reset") {
      this.text = ""; // the server replaces what it streamed so far (e.g. a checked answer follows)
      this.scheduleRender();
    } else if (event.name === "sources" && Array.isArray(payload.sources)) {
      this.sources = payload.sources;
      this.scheduleRender();
    } else if (event.name === "cards" && Array.isArray(payload.cards)) {
      this.cards = payload.cards;
    }
  };

  AnswerBubble.prototype.scheduleRender = function () {
    var self = this;
    if (this.pending) return;
    this.pending = true;
    window.setTimeout(function () {
      self.pending = false;
      if (self.settled) return; // a render queued before the final result would replace focused links
      if (self.text) self.status.remove();
      else if (!self.status.isConnected) self.el.insertBefore(self.status, self.body);
      renderRich(self.body, self.text, self.sources);
      self.chat.scrollToAnswer(self);
    }, 40);
  };

  AnswerBubble.prototype.complete = function (result) {
    this.settled = true;
    this.status.remove();
    this.text = result.answer;
    this.sources = Array.isArray(result.sources) ? result.sources : this.sources;
    this.cards = Array.isArray(result.cards) ? result.cards : this.cards;
    renderRich(this.body, this.text, this.sources);
    this.el.classList.add("status-" + String(result.status || "answered").replace(/[^a-z_]/g, ""));
    this.extras.textContent = "";
    if (this.cards.length) this.extras.appendChild(renderCards(this.cards));
    if (this.sources.length) this.extras.appendChild(renderSources(this.sources));
    var ctx = { need: this.question || "", sessionId: result.session_id, answerId: result.answer_id };
    if (result.status === "no_answer" || result.status === "refused") this.extras.appendChild(contactBox(result.contact || this.chat.config.contact, ctx));
    else if (this.chat.state.audience === "employer") this.extras.appendChild(enquiryButton(ctx));
    if (Array.isArray(result.follow_ups) && result.follow_ups.length) this.extras.appendChild(this.followUps(result.follow_ups));
    if (result.answer_id) {
      this.el.setAttribute("data-answer-id", String(result.answer_id));
      this.extras.appendChild(feedbackControl(this.chat, String(result.answer_id)));
    }
    this.el.removeAttribute("aria-busy");
  };

  AnswerBubble.prototype.showError = function (message, retry) {
    this.settled = true;
    this.status.remove();
    this.body.textContent = "";
    this.extras.textContent = "";
    this.el.classList.add("error");
    this.el.removeAttribute("aria-busy");
    this.body.appendChild(h("p", { text: message }));
    if (retry) this.body.appendChild(h("button", { type: "button", class: "text-button retry", onclick: retry, text: "Try again" }));
  };

  AnswerBubble.prototype.followUps = function (questions) {
    var chat = this.chat;
    return h("div", { class: "follow-ups", role: "group", "aria-label": "Suggested questions" }, questions.slice(0, 3).map(function (q) {
      return h("button", { type: "button", class: "chip", text: String(q), onclick: function () {
        if (chat.state.busy) return;
        chat.addUserMessage(String(q));
        chat.ask(String(q));
      } });
    }));
  };

  function renderSources(sources) {
    var seen = {};
    var list = h("ol", { class: "sources" });
    sources.forEach(function (source, i) {
      var url = safeUrl(source && source.url);
      if (!url || seen[url]) return;
      seen[url] = true;
      list.appendChild(h("li", { value: String(i + 1) }, [
        newTabLink(url, String(source.title || hostOf(url))),
        h("span", { class: "host", text: " " + hostOf(url) })
      ]));
    });
    if (!list.children.length) return null;
    return h("section", { class: "sources-block", "aria-label": "Sources" }, [h("h3", { text: "Sources" }), list]);
  }

  function contactBox(contact, ctx) {
    var box = h("div", { class: "contact-box" }, [h("p", {}, [h("strong", { text: "Talk to a person" })])]);
    var line = box.appendChild(h("p"));
    appendContact(line, contact || DEFAULTS.contact);
    if (ctx) box.appendChild(enquiryButton(ctx));
    return box;
  }

  /* ---------- enquiry: "Send this to providers who can help" ---------- */

  var enquiryCount = 0;
  var ENQUIRY_FIELDS = [
    // name, label, kind, required, hint
    ["need", "What training do you need?", "textarea", true, "In your own words. Providers will read this."],
    ["organisation", "Organisation", "text", true, ""],
    ["contact_name", "Your name", "text", true, ""],
    ["email", "Email", "email", true, "Providers will reply to this address."],
    ["phone", "Phone (optional)", "tel", false, ""],
    ["postcode_district", "Postcode district", "text", false, "For example SS14. Used to find providers near you."],
    ["people", "How many people? (optional)", "number", false, ""],
    ["level", "Level, if you know it (optional)", "text", false, "For example 2, 3 or entry."]
  ];

  function enquiryButton(ctx) {
    var wrap = h("div", { class: "enquiry-start" });
    var button = h("button", { type: "button", class: "text-button enquiry-open", text: "Send this to providers who can help", onclick: function () {
      if (wrap.querySelector("form")) return;
      var form = enquiryForm(ctx, wrap);
      wrap.appendChild(form);
      button.setAttribute("aria-expanded", "true");
      form.querySelector("textarea, input").focus();
    } });
    button.setAttribute("aria-expanded", "false");
    wrap.appendChild(button);
    return wrap;
  }

  function enquiryForm(ctx, wrap) {
    var n = ++enquiryCount;
    var key = "widget-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
    var inputs = {};
    var summary = h("div", { class: "enquiry-errors", role: "alert", tabindex: "-1", hidden: true });
    var rows = ENQUIRY_FIELDS.map(function (f) {
      var id = "sc-enq-" + n + "-" + f[0];
      var attrs = { id: id, name: f[0], "aria-describedby": id + "-hint " + id + "-error" };
      if (f[3]) attrs["aria-required"] = "true";
      if (f[2] === "textarea") { attrs.rows = "3"; attrs.maxlength = "2000"; }
      else { attrs.type = f[2]; attrs.maxlength = f[0] === "email" ? "320" : "200"; }
      if (f[2] === "email") attrs.autocomplete = "email";
      if (f[0] === "contact_name") attrs.autocomplete = "name";
      if (f[0] === "organisation") attrs.autocomplete = "organization";
      if (f[0] === "people") { attrs.min = "1"; attrs.inputmode = "numeric"; }
      var input = inputs[f[0]] = h(f[2] === "textarea" ? "textarea" : "input", attrs);
      if (f[0] === "need") input.value = ctx.need;
      return h("div", { class: "enquiry-field" }, [
        h("label", { for: id, text: f[1] }),
        h("span", { id: id + "-hint", class: "hint", text: f[4] }),
        h("span", { id: id + "-error", class: "field-error" }),
        input
      ]);
    });
    var consentId = "sc-enq-" + n + "-consent";
    inputs.consent = h("input", { id: consentId, type: "checkbox", name: "consent", "aria-describedby": consentId + "-error" });
    var consent = h("div", { class: "enquiry-field consent" }, [
      h("span", { id: consentId + "-error", class: "field-error" }),
      h("div", { class: "consent-row" }, [inputs.consent, h("label", { for: consentId, text: "I agree to these details being shared with the matched training providers." })])
    ]);
    var send = h("button", { type: "submit", class: "send", text: "Send enquiry" });
    var form = h("form", { class: "enquiry", novalidate: true, "aria-labelledby": "sc-enq-" + n + "-title", onsubmit: function (event) {
      event.preventDefault();
      if (send.getAttribute("aria-disabled") === "true") return; // a double click sends once
      var errors = checkEnquiry(inputs);
      if (showErrors(errors)) return;
      send.setAttribute("aria-disabled", "true");
      postEnquiry(enquiryBody(inputs, ctx, key)).then(function (result) {
        var done = h("p", { class: "enquiry-done", role: "status", tabindex: "-1" });
        var names = (result.matched_providers || []).map(function (p) { return text(p.name); }).join(", ");
        done.textContent = "Sent. Your reference is " + text(result.reference) + ". " +
          (names ? "It has gone to " + names + ". " : "") + "A confirmation email is on its way.";
        wrap.textContent = "";
        wrap.appendChild(done);
        done.focus();
      }, function (error) {
        send.removeAttribute("aria-disabled");
        showErrors(error.fields && error.fields.length ? error.fields : [[null, error.message]]);
      });
    } }, [
      h("h3", { id: "sc-enq-" + n + "-title", text: "Send this to providers who can help" }),
      h("p", { class: "hint", text: "We match your need to local training providers and email them your details. All fields except those marked optional are needed." }),
      summary
    ].concat(rows, [consent, send]));

    function showErrors(errors) {
      Object.keys(inputs).forEach(function (name) {
        inputs[name].removeAttribute("aria-invalid");
        form.querySelector("#" + inputs[name].id + "-error").textContent = "";
      });
      summary.textContent = "";
      summary.hidden = !errors.length;
      if (!errors.length) return false;
      summary.appendChild(h("p", { text: "There is a problem:" }));
      var list = summary.appendChild(h("ul"));
      errors.forEach(function (e) {
        list.appendChild(h("li", { text: e[1] }));
        if (e[0] && inputs[e[0]]) {
          inputs[e[0]].setAttribute("aria-invalid", "true");
          form.querySelector("#" + inputs[e[0]].id + "-error").textContent = e[1];
        }
      });
      var first = errors[0][0] && inputs[errors[0][0]];
      (first || summary).focus();
      return true;
    }
    return form;
  }

  function checkEnquiry(inputs) {
    var errors = [];
    if (inputs.need.value.trim().length < 3) errors.push(["need", "Describe the training you need."]);
    if (!inputs.organisation.value.trim()) errors.push(["organisation", "Enter your organisation's name."]);
    if (!inputs.contact_name.value.trim()) errors.push(["contact_name", "Enter your name."]);
    if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(inputs.email.value.trim())) errors.push(["email", "Enter an email address like name@example.com."]);
    var people = inputs.people.value.trim();
    if (people && !(/^\d+$/.test(people) && +people >= 1)) errors.push(["people", "Enter the number of people as a whole number."]);
    if (!inputs.consent.checked) errors.push(["consent", "Tick the box to agree to your details being shared, or we cannot send the enquiry."]);
    return errors;
  }

  function enquiryBody(inputs, ctx, key) {
    var body = { consent: true, idempotency_key: key };
    ENQUIRY_FIELDS.forEach(function (f) {
      var value = inputs[f[0]].value.trim();
      if (value) body[f[0]] = f[0] === "people" ? parseInt(value, 10) : value;
    });
    if (ctx.sessionId) body.session_id = String(ctx.sessionId);
    if (ctx.answerId) body.answer_id = String(ctx.answerId);
    return body;
  }

  // A JSON POST to the API; no cookies are sent (the widget runs on another site's page).
  function postJson(path, body) {
    return fetch(apiBase + path, {
      method: "POST", mode: "cors", credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    });
  }

  function postEnquiry(body) {
    return postJson("/v1/enquiries", body).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (response.ok) return json;
        if (response.status === 429) throw new Error("Several enquiries have been sent from here just now. Please wait a while and try again.");
        var error = new Error(response.status === 422 ? "Please check the form." : "Your enquiry couldn't be sent. Please try again.");
        error.fields = (Array.isArray(json.detail) ? json.detail : []).map(function (d) {
          var loc = Array.isArray(d.loc) ? d.loc : [];
          return [String(loc[loc.length - 1]), String(d.msg || "Please check this field.").replace(/^Value error, /, "")];
        });
        throw error;
      });
    }, function () {
      throw new Error("Your enquiry couldn't be sent. Check your connection and try again.");
    });
  }

  /* ---------- cards ---------- */

  function renderCards(cards) {
    var wrap = h("div", { class: "cards" });
    cards.slice(0, 10).forEach(function (card) {
      if (!card || typeof card !== "object") return;
      if (card.type === "course") wrap.appendChild(courseCard(card));
      else if (card.type === "tool") wrap.appendChild(toolCard(card));
    });
    return wrap.children.length ? wrap : null;
  }

  function text(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  function factList(pairs) {
    var dl = h("dl", { class: "facts" });
    pairs.forEach(function (pair) {
      if (!text(pair[1])) return;
      dl.appendChild(h("div", {}, [h("dt", { text: pair[0] }), h("dd", { text: text(pair[1]) })]));
    });
    return dl;
  }

  function courseCard(card) {
    var url = safeUrl(card.url);
    var heading = h("h3", {}, [url ? newTabLink(url, text(card.title)) : text(card.title)]);
    var where = [text(card.provider), text(card.town)].filter(Boolean).join(", ");
    return h("article", { class: "card course" }, [
      heading,
      where ? h("p", { class: "provider", text: where }) : null,
      card.sample ? h("p", { class: "badge", text: "Sample listing: check with the provider" }) : null,
      factList([["Level", card.level], ["Study", card.mode], ["Starts", card.start], ["Cost", card.cost], ["Funding", card.funding]])
    ]);
  }

  function toolCard(card) {
    var rows = Array.isArray(card.rows) ? card.rows : [];
    var working = Array.isArray(card.working) ? card.working : [];
    var links = (Array.isArray(card.sources) ? card.sources : []).map(function (s) {
      var url = safeUrl(s && s.url);
      return url ? h("li", {}, [newTabLink(url, text(s.title) || hostOf(url))]) : null;
    });
    return h("article", { class: "card tool" }, [
      h("h3", { text: text(card.title) || "Calculation" }),
      factList(rows.map(function (r) { return [text(r && r.label), r && r.value]; })),
      working.length ? h("details", {}, [
        h("summary", { text: "How this was worked out" }),
        h("ol", {}, working.map(function (step) { return h("li", { text: text(step) }); }))
      ]) : null,
      card.date_basis ? h("p", { class: "basis", text: text(card.date_basis) }) : null,
      links.some(Boolean) ? h("ul", { class: "card-sources" }, links) : null
    ]);
  }

  /* ---------- feedback ---------- */

  function feedbackControl(chat, answerId) {
    var box = h("div", { class: "feedback", role: "group", "aria-label": "Was this answer helpful?" });
    var note = h("p", { class: "feedback-note", role: "status", tabindex: "-1" });
    function vote(helpful) {
      var buttons = box.querySelectorAll(".vote");
      Array.prototype.forEach.call(buttons, function (b) { b.setAttribute("aria-disabled", "true"); });
      sendFeedback({ answer_id: answerId, helpful: helpful }).then(function () {
        box.textContent = "";
        box.appendChild(note);
        note.textContent = "Thanks for your feedback.";
        if (helpful) return note.focus(); // the buttons are gone: focus stays where the reader is
        var form = box.appendChild(commentForm(answerId, note));
        form.querySelector("textarea").focus();
      }, function () {
        Array.prototype.forEach.call(buttons, function (b) { b.removeAttribute("aria-disabled"); });
        note.textContent = "Your feedback couldn't be sent. Please try again.";
      });
    }
    function button(label, helpful) {
      return h("button", { type: "button", class: "vote", text: label, onclick: function (event) {
        if (event.currentTarget.getAttribute("aria-disabled") !== "true") vote(helpful);
      } });
    }
    box.appendChild(h("span", { class: "feedback-q", text: "Was this helpful?" }));
    box.appendChild(button("Yes", true));
    box.appendChild(button("No", false));
    box.appendChild(note);
    return box;
  }

  var commentCount = 0;

  function commentForm(answerId, note) {
    var id = "sc-comment-" + ++commentCount;
    var field = h("textarea", { id: id, rows: "2", maxlength: "1000" });
    var form = h("form", { class: "comment", onsubmit: function (event) {
      event.preventDefault();
      var comment = field.value.trim();
      if (!comment) return;
      sendFeedback({ answer_id: answerId, helpful: false, comment: comment }).then(function () {
        form.remove();
        note.textContent = "Thanks, we'll use this to improve the answers.";
        note.focus();
      }, function () {
        note.textContent = "Your comment couldn't be sent. Please try again.";
      });
    } }, [
      h("label", { for: id, text: "What was missing or wrong? (optional, please don't include personal details)" }),
      field,
      h("button", { type: "submit", class: "text-button", text: "Send comment" })
    ]);
    return form;
  }

  function sendFeedback(payload) {
    return postJson("/v1/feedback", payload).then(function (response) {
      if (!response.ok) throw new Error("feedback " + response.status);
    });
  }

  /* ---------- start-up and the command queue ---------- */

  function runCommand(element, command) {
    if (!Array.isArray(command) || typeof command[0] !== "string") return;
    var name = command[0];
    if (name === "open") element.open();
    else if (name === "close") element.close();
    else if (name === "setAudience") element.setAudience(command[1], false);
    else if (name === "clear") element.clear();
    else if (window.console) window.console.warn("SkillsConnector: unknown command", name);
  }

  function start() {
    window.customElements.define(TAG, SkillsChat);
    var element = document.querySelector(TAG) || document.body.appendChild(document.createElement(TAG));
    var queued = Array.isArray(window.SkillsConnector) ? window.SkillsConnector : [];
    var api = {
      version: VERSION,
      push: function (command) { runCommand(element, command); },
      open: function () { element.open(); },
      close: function () { element.close(); },
      setAudience: function (audience) { element.setAudience(audience, false); },
      clear: function () { element.clear(); }
    };
    window.SkillsConnector = api;
    queued.forEach(function (command) { runCommand(element, command); });
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
