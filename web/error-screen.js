// The error screen. A panic in the simulator aborts its WebAssembly (a trap, thrown to whichever
// event or timer called in), and a file that fails to load leaves nothing to run: either way the
// page would sit frozen. Instead it says so and offers a reload, plus the details for a report.
// Loaded before the playground, as a plain script: it works even when the playground cannot
// start. Every text goes in as text (textContent), never as markup.
(() => {
  let shown = false;

  const show = (title, detail) => {
    if (shown) return;
    shown = true;
    const screen = document.createElement("div");
    screen.className = "crash";
    screen.dataset.testid = "crash";
    screen.setAttribute("role", "alertdialog");
    screen.setAttribute("aria-modal", "true");
    screen.setAttribute("aria-labelledby", "crash-title");
    screen.setAttribute("aria-describedby", "crash-text");
    const box = document.createElement("div");
    box.className = "crash-box";
    screen.append(box);
    const add = (tag, text) => {
      const element = document.createElement(tag);
      element.textContent = text;
      box.append(element);
      return element;
    };
    add("h2", title).id = "crash-title";
    add(
      "p",
      "The simulation cannot go on from here. Reload to go on from your work as this tab kept " +
        "it (up to a second before it stopped), or start over from the page's own start.",
    ).id = "crash-text";
    // Buttons, not links to this address: a link to an address with a #fragment only scrolls.
    const reload = add("button", "Reload");
    reload.className = "crash-reload";
    reload.dataset.testid = "crash-reload";
    reload.addEventListener("click", () => location.reload());
    // Start over: forget the work this tab kept (it may be what stops the playground) and the
    // link in the address, then load the page again.
    const over = add("button", "Start over");
    over.className = "crash-over";
    over.dataset.testid = "crash-start-over";
    over.addEventListener("click", () => {
      try {
        for (const key of Object.keys(sessionStorage)) {
          if (key.startsWith("kafka-playground:work:")) sessionStorage.removeItem(key);
        }
      } catch {
        // Storage may be unavailable (a sandboxed frame): there is nothing kept to forget.
      }
      location.replace(location.pathname + location.search);
    });
    let error;
    try {
      error = String(detail?.stack || detail?.message || detail);
    } catch {
      error = "(the error cannot be shown as text)";
    }
    const report = [error, `Address: ${location.href}`, `Browser: ${navigator.userAgent}`].join(
      "\n",
    );
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = "Report it: details to copy into a bug report";
    const text = document.createElement("pre");
    text.textContent = report;
    text.dataset.testid = "crash-report";
    details.append(summary, text);
    box.append(details);
    // The page behind cannot be used any more: keep keyboard and pointer out of it.
    for (const element of document.body.children) element.inert = true;
    document.body.append(screen);
    reload.focus();
  };

  addEventListener(
    "error",
    (event) => {
      const target = event.target;
      if (target instanceof HTMLScriptElement) {
        show("The playground could not load", `${target.src} did not load.`);
      } else if (target === window) {
        show("The playground stopped", event.error ?? event.message);
      }
    },
    true,
  );
  addEventListener("unhandledrejection", (event) => show("The playground stopped", event.reason));
})();
