// A small helper for building DOM trees without a framework.

/** What h accepts as a child: nodes, text, and nothing (null, undefined, false). */
export type Child = Node | string | null | undefined | false;

/** Properties of h: attributes, "class", and "on<event>" listeners. */
export type Props = Record<string, string | number | boolean | null | undefined | EventListener>;

/**
 * Creates an element: h("button", { class: "primary", onclick: f }, "Save").
 * Keys starting with "on" add event listeners; true sets a boolean attribute,
 * false, null and undefined leave it out; "value" sets the property.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props?: Props | null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, v] of Object.entries(props ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === "function") {
      el.addEventListener(key.slice(2), v);
    } else if (key === "value") {
      (el as unknown as { value: string }).value = String(v);
    } else {
      el.setAttribute(key, v === true ? "" : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el: Node, children: (Child | Child[])[]): void {
  for (const c of children) {
    if (Array.isArray(c)) {
      append(el, c);
    } else if (c !== null && c !== undefined && c !== false) {
      el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
  }
}

/**
 * Makes parent's children exactly nodes, in order, moving only the nodes that are
 * out of place, so that unchanged ones (and the editors in them) keep focus.
 */
export function syncChildren(parent: Element, nodes: Node[]): void {
  const want = new Set(nodes);
  for (const c of Array.from(parent.childNodes)) {
    if (!want.has(c)) parent.removeChild(c);
  }
  nodes.forEach((n, i) => {
    const at = parent.childNodes[i] ?? null;
    if (at !== n) parent.insertBefore(n, at);
  });
}

/** Formats a byte count for people. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Formats a time as "5 min ago", or a date for older ones. */
export function formatAge(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(t).toLocaleDateString();
}

/** Formats an evaluation's duration. */
export function formatDuration(ms: number): string {
  if (ms < 1) return "<1 ms";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}
