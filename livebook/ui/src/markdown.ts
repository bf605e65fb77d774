// Markdown rendering: marked turns it into HTML, DOMPurify removes anything that
// could run script, and links open in a new tab.

import DOMPurify from "dompurify";
import { Marked } from "marked";

const marked = new Marked({ gfm: true, breaks: false });

DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node instanceof HTMLAnchorElement && node.hasAttribute("href") && !node.getAttribute("href")?.startsWith("#")) {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});

/** Renders Markdown source to sanitized HTML. */
export function markdownHTML(src: string): string {
  const html = marked.parse(src, { async: false });
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select"],
    ADD_ATTR: ["target"],
  });
}

/** Returns an element showing Markdown source, rendered and sanitized. */
export function renderMarkdown(src: string, className = "markdown"): HTMLDivElement {
  const el = document.createElement("div");
  el.className = className;
  el.innerHTML = markdownHTML(src);
  return el;
}
