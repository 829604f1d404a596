// Keyboard shortcuts (inbox/ui/widgets/shortcuts.py fills in the data): each key clicks or focuses an element
// found by its Streamlit key (the "st-key-<key>" class) or a material icon's name, never by translated text.
// Keys typed in a text field are the field's, except Ctrl+Enter (Cmd+Enter on a Mac): send.
(function () {
  const data = __DATA__;
  const w = window;
  w.__inboxShortcuts = data;
  if (w.__inboxShortcutsOn) {
    // the app ran again: the list is built again from the new data (the language may have changed),
    // still open if it was
    const stale = document.getElementById("inbox-shortcuts-help");
    if (stale) {
      const open = stale.style.display === "flex";
      stale.remove();
      if (open) w.__inboxShortcutsHelp(true);
    }
    return;
  }
  w.__inboxShortcutsOn = true;
  const doc = document;
  const one = (selector) => doc.querySelector(selector);
  const clickable = (el) => el && !el.disabled && el.getAttribute("aria-disabled") !== "true";
  const inField = (el) =>
    el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  const byKey = (pattern) => {
    for (const el of doc.querySelectorAll("[class*='st-key-']")) {
      if ([...el.classList].some((c) => pattern.test(c))) return el;
    }
    return null;
  };
  const modeButton = (icon) => {
    const box = byKey(/^st-key-composer-\d+-mode$/);
    for (const b of box ? box.querySelectorAll("button") : []) {
      const i = b.querySelector("[data-testid='stIconMaterial']");
      if (i && i.textContent.trim() === icon) return b;
    }
    return null;
  };
  const send = () => {
    const field = doc.activeElement;
    if (field && inField(field)) field.blur();  // the field's value reaches the app first
    let tries = 0;
    const attempt = () => {
      const box = byKey(/^st-key-send-\d+$/);
      const b = box && box.querySelector("button");
      if (clickable(b)) return b.click();
      if (++tries < 50) setTimeout(attempt, 100);
    };
    attempt();
  };
  const actions = {
    next: () => {
      const b = one(".st-key-next button");
      if (clickable(b)) b.click();
    },
    public: () => {
      const b = modeButton("public");
      if (clickable(b)) b.click();
    },
    private: () => {
      const b = modeButton("lock");
      if (clickable(b)) b.click();
    },
    template: () => {
      const box = byKey(/^st-key-composer-\d+-template$/);
      const input = box && box.querySelector("input");
      if (input) input.focus();
    },
    search: () => {
      const input = one(".st-key-q-text input");
      if (input) input.focus();
    },
    resolve: () => {
      const box = byKey(/^st-key-status-\d+$/);
      const b = box && box.querySelectorAll("button")[w.__inboxShortcuts.resolved_index];
      if (clickable(b)) b.click();
    },
    send: send,
  };
  const overlay = () => {
    let el = doc.getElementById("inbox-shortcuts-help");
    if (el) return el;
    const d = w.__inboxShortcuts;
    el = doc.createElement("div");
    el.id = "inbox-shortcuts-help";
    el.setAttribute("role", "dialog");
    el.setAttribute("aria-modal", "true");
    el.setAttribute("aria-label", d.title);
    el.style.cssText =
      "position:fixed;inset:0;z-index:1000000;display:none;align-items:center;justify-content:center;" +
      "background:rgba(0,0,0,.45);font-family:inherit";
    const box = doc.createElement("div");
    box.style.cssText =
      "background:#fff;color:#222;border-radius:10px;padding:20px 28px;min-width:360px;max-width:90vw;" +
      "box-shadow:0 8px 30px rgba(0,0,0,.3)";
    const h = doc.createElement("h3");
    h.textContent = d.title;
    h.style.margin = "0 0 12px 0";
    box.appendChild(h);
    const table = doc.createElement("table");
    table.style.borderCollapse = "collapse";
    for (const row of d.rows) {
      const tr = doc.createElement("tr");
      const k = doc.createElement("td");
      const kbd = doc.createElement("kbd");
      kbd.textContent = row.keys;
      kbd.style.cssText = "border:1px solid #bbb;border-radius:4px;padding:1px 6px;background:#f4f4f4";
      k.appendChild(kbd);
      k.style.cssText = "padding:4px 16px 4px 0;white-space:nowrap";
      const t = doc.createElement("td");
      t.textContent = row.label;
      tr.append(k, t);
      table.appendChild(tr);
    }
    box.appendChild(table);
    const hint = doc.createElement("p");
    hint.textContent = d.close;
    hint.style.cssText = "margin:12px 0 0 0;color:#666;font-size:.9em";
    box.appendChild(hint);
    el.appendChild(box);
    el.addEventListener("click", (e) => {
      if (e.target === el) el.style.display = "none";
    });
    doc.body.appendChild(el);
    return el;
  };
  const toggleHelp = (show) => {
    const el = overlay();
    el.style.display = show === undefined ? (el.style.display === "flex" ? "none" : "flex") : show ? "flex" : "none";
  };
  w.__inboxShortcutsHelp = toggleHelp;
  doc.addEventListener(
    "keydown",
    (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        return actions.send();
      }
      if (e.key === "Escape") return toggleHelp(false);
      if (e.ctrlKey || e.metaKey || e.altKey || inField(e.target)) return;
      if (e.key === "?") return toggleHelp();
      const name = w.__inboxShortcuts.keys[e.key.toLowerCase()];
      if (!name) return;
      e.preventDefault();
      toggleHelp(false);
      actions[name]();
    },
    true
  );
})();
