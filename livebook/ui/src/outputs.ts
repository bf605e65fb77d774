// Rendering of cell outputs: text, Markdown, images, tables, frames (whose content
// running cells replace in place) and data the UI cannot show yet.

import { h } from "./dom";
import { renderMarkdown } from "./markdown";
import type { Output } from "./protocol";

// Image types safe to show from data: URLs (an <img> never runs SVG scripts).
const imageTypes = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"]);

// ANSI escape sequences (colours, cursor movement) that programs print to terminals.
const ansi = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** A table output's JSON (kino.TypeTable). */
interface TableData {
  title?: string;
  columns: string[];
  rows: unknown[][];
  total?: number;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** Renders a table output, or returns null when its JSON is not a table. */
function renderTable(text: string): HTMLElement | null {
  let t: TableData;
  try {
    t = JSON.parse(text) as TableData;
  } catch {
    return null;
  }
  if (!t || !Array.isArray(t.columns) || !Array.isArray(t.rows)) return null;
  const shown = t.rows.length;
  const note =
    t.total !== undefined && t.total > shown ? h("div", { class: "table-note" }, `${shown} of ${t.total} rows`) : null;
  return h(
    "div",
    { class: "output output-table" },
    t.title ? h("div", { class: "table-title" }, t.title) : null,
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        null,
        h("thead", null, h("tr", null, ...t.columns.map((c) => h("th", null, cellText(c))))),
        h(
          "tbody",
          null,
          ...t.rows.map((r) =>
            h("tr", null, ...(Array.isArray(r) ? r : []).map((v) => h("td", { class: typeof v === "number" ? "num" : null }, cellText(v)))),
          ),
        ),
      ),
    ),
    note,
  );
}

/** Returns the element for one output. */
export function renderOutput(o: Output): HTMLElement {
  const text = o.text ?? "";
  switch (o.type) {
    case "markdown":
      return renderMarkdown(text, "output output-markdown markdown");
    case "image":
      if (o.data && imageTypes.has(o.mime ?? "")) {
        return h("div", { class: "output output-image" }, h("img", { src: `data:${o.mime};base64,${o.data}`, alt: "" }));
      }
      break;
    case "table": {
      const el = renderTable(text);
      if (el) return el;
      break;
    }
    case "frame":
      return h(
        "div",
        { class: "output output-frame", "data-frame-id": o.id ?? "" },
        ...(o.outputs ?? []).map(renderOutput),
      );
    case "vega-lite":
      return h(
        "details",
        { class: "output output-data" },
        h("summary", null, "Vega-Lite chart (charts are not drawn yet): specification"),
        h("pre", null, text),
      );
  }
  if (o.text !== undefined) {
    return h("pre", { class: `output output-text output-${o.type}`, "data-type": o.type }, text.replace(ansi, ""));
  }
  const size = o.data ? Math.floor((o.data.length * 3) / 4) : 0;
  return h("div", { class: "output output-data" }, `${o.type} output (${o.mime ?? "data"}, ${size} bytes) cannot be shown here`);
}

/** Returns the elements for a cell's outputs and, if it failed, its error. */
export function renderOutputs(outputs: Output[], error?: string): HTMLElement[] {
  const els = outputs.map(renderOutput);
  if (error) {
    els.push(h("pre", { class: "output output-error", role: "alert" }, error.replace(ansi, "")));
  }
  return els;
}

/**
 * Shows outputs a running cell streamed after those already in el, in place, as
 * the session merges them: text joins the text shown last, and a frame update
 * replaces (or, with append, extends) the content of the frame with its id.
 */
export function streamOutputs(el: HTMLElement, more: Output[]): void {
  for (const o of more) {
    if (o.type === "frame" && o.id) {
      const frame = [...el.querySelectorAll<HTMLElement>(".output-frame")].find((f) => f.dataset["frameId"] === o.id);
      if (frame) {
        const kids = (o.outputs ?? []).map(renderOutput);
        if (o.append) frame.append(...kids);
        else frame.replaceChildren(...kids);
      } else {
        el.appendChild(renderOutput({ ...o, append: false }));
      }
      continue;
    }
    const last = el.lastElementChild;
    if (o.type === "text" && last instanceof HTMLElement && last.dataset["type"] === "text") {
      last.textContent = (last.textContent ?? "") + (o.text ?? "").replace(ansi, "");
      continue;
    }
    el.appendChild(renderOutput(o));
  }
}
