// The notification bell's browser side (inbox/ui/widgets/notification_bell.py fills in the data).
// Shows each new notification once per page, keeps "(N) " before the tab title, rings for critical ones.
(function () {
  const data = __DATA__;
  const w = window;
  w.__inboxShown = w.__inboxShown || new Set();
  w.__inboxUnread = data.unread;
  const strip = (t) => t.replace(/^\(\d+\) /, "");
  const applyTitle = () => {
    const base = strip(document.title);
    const wanted = w.__inboxUnread > 0 ? "(" + w.__inboxUnread + ") " + base : base;
    if (document.title !== wanted) document.title = wanted;
  };
  if (!w.__inboxTitleWatch) {  // the app sets the title on each page: put the count back each time
    w.__inboxTitleWatch = new MutationObserver(applyTitle);
    w.__inboxTitleWatch.observe(document.head, { subtree: true, childList: true, characterData: true });
  }
  applyTitle();
  const can = "Notification" in w;
  if (data.browser && can && Notification.permission === "default" && !w.__inboxAsked) {
    w.__inboxAsked = true;  // browsers only ask after a gesture: the user's next click
    document.addEventListener("click", () => Notification.requestPermission(), { once: true });
  }
  const ring = () => {
    try {
      const Ctx = w.AudioContext || w.webkitAudioContext;
      const ctx = (w.__inboxAudio = w.__inboxAudio || new Ctx());
      const tone = ctx.createOscillator();
      const gain = ctx.createGain();
      tone.type = "sine";
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.2, ctx.currentTime + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.4);
      tone.connect(gain).connect(ctx.destination);
      tone.start();
      tone.stop(ctx.currentTime + 0.45);
    } catch (e) {
      // no audio device: the pop-up and the count still tell
    }
  };
  for (const n of data.notices) {
    if (w.__inboxShown.has(n.id)) continue;
    w.__inboxShown.add(n.id);
    if (data.browser && can && Notification.permission === "granted") {
      const shown = new Notification(n.title, { body: n.body, tag: "inbox-" + n.id, requireInteraction: n.critical });
      shown.onclick = () => {
        w.focus();
        w.location.assign("./conversation?id=" + n.conv);
      };
    }
    if (n.critical && data.sound) ring();
  }
})();
