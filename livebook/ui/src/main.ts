// The livebook browser UI: a hash router between the notebook list (#/) and a
// notebook (#/notebook/<path>).

import { ListView } from "./list";
import { NotebookView } from "./notebook";

interface View {
  readonly el: HTMLElement;
  destroy(): void;
}

const root = document.getElementById("app") ?? document.body;
let current: View | null = null;

function navigate(hash: string): void {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function route(): void {
  const hash = location.hash.replace(/^#/, "");
  current?.destroy();
  const m = /^\/notebook\/(.+)$/.exec(hash);
  if (m && m[1]) {
    let path = m[1];
    try {
      path = path.split("/").map(decodeURIComponent).join("/");
    } catch {
      // Not percent-encoded after all: use it as it is.
    }
    current = new NotebookView(path);
  } else {
    current = new ListView(navigate);
  }
  root.replaceChildren(current.el);
  window.scrollTo(0, 0);
}

window.addEventListener("hashchange", route);
// Edits typed just before leaving still go out; a page restored from the
// back-forward cache connects again.
window.addEventListener("pagehide", () => current?.destroy());
window.addEventListener("pageshow", (ev) => {
  if (ev.persisted) route();
});
route();
