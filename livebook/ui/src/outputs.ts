// Rendering of cell outputs: text, Markdown, images, tables (sorted and paged here),
// Vega-Lite charts (drawn by the lazily loaded vega chunk, extended in place by pushed
// records), frames (whose content running cells replace in place) and data the UI
// cannot show yet.

import { h } from "./dom";
import { renderMarkdown } from "./markdown";
import type { Output } from "./protocol";
import type { DrawnChart } from "./vega";
import { renderInput } from "./inputs";

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

/** Rows a table shows per page; longer tables get a pager. */
export const tablePageSize = 20;

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** Orders table cells: numbers by value, before text (by locale), before empty cells. */
function compareCells(a: unknown, b: unknown): number {
  const rank = (v: unknown) => (v === null || v === undefined ? 2 : typeof v === "number" ? 0 : 1);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return (a as number) - (b as number);
  if (ra === 2) return 0;
  return cellText(a).localeCompare(cellText(b), undefined, { numeric: true });
}

/**
 * Renders a table output, or returns null when its JSON is not a table. The table
 * arrives whole, once; the page sorts it (click a heading: ascending, descending,
 * as sent) and shows it a page at a time.
 */
function renderTable(text: string): HTMLElement | null {
  let t: TableData;
  try {
    t = JSON.parse(text) as TableData;
  } catch {
    return null;
  }
  if (!t || !Array.isArray(t.columns) || !Array.isArray(t.rows)) return null;
  const rows = t.rows.map((r) => (Array.isArray(r) ? r : []));
  const pages = Math.max(1, Math.ceil(rows.length / tablePageSize));
  let order = rows;
  let sortCol = -1;
  let sortDir = 0; // 1 ascending, -1 descending, 0 as sent
  let page = 0;

  const tbody = h("tbody", null);
  const heads = t.columns.map((c, j) =>
    h("th", { class: "sortable", title: "Sort", "data-col": j, onclick: () => sortBy(j) }, cellText(c)),
  );
  const status = h("span", { class: "table-pages" });
  const prev = h("button", { type: "button", class: "table-prev", onclick: () => show(page - 1) }, "‹ Prev");
  const next = h("button", { type: "button", class: "table-next", onclick: () => show(page + 1) }, "Next ›");

  function show(p: number): void {
    page = Math.min(Math.max(p, 0), pages - 1);
    const from = page * tablePageSize;
    const slice = order.slice(from, from + tablePageSize);
    tbody.replaceChildren(
      ...slice.map((r) => h("tr", null, ...r.map((v) => h("td", { class: typeof v === "number" ? "num" : null }, cellText(v))))),
    );
    status.textContent = rows.length === 0 ? "no rows" : `rows ${from + 1}–${from + slice.length} of ${rows.length}`;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }

  function sortBy(j: number): void {
    sortDir = sortCol !== j ? 1 : sortDir === 1 ? -1 : sortDir === -1 ? 0 : 1;
    sortCol = sortDir === 0 ? -1 : j;
    order = sortDir === 0 ? rows : [...rows].sort((a, b) => sortDir * compareCells(a[j], b[j]));
    heads.forEach((th, k) => {
      th.dataset["sort"] = k === sortCol ? (sortDir > 0 ? "asc" : "desc") : "";
    });
    show(0);
  }

  show(0);
  const shown = rows.length;
  const note =
    t.total !== undefined && t.total > shown ? h("div", { class: "table-note" }, `${shown} of ${t.total} rows sent`) : null;
  return h(
    "div",
    { class: "output output-table" },
    t.title ? h("div", { class: "table-title" }, t.title) : null,
    h("div", { class: "table-scroll" }, h("table", null, h("thead", null, h("tr", null, ...heads)), tbody)),
    pages > 1 ? h("div", { class: "table-pager" }, prev, status, next) : null,
    note,
  );
}

/** A Vega-Lite chart being drawn or drawn, by its element. */
interface ChartState {
  spec: Record<string, unknown>;
  drawn?: DrawnChart;
  /** Records pushed before the chart was drawn. */
  pending: unknown[];
}

const charts = new WeakMap<HTMLElement, ChartState>();

let vegaModule: Promise<typeof import("./vega")> | null = null;

/** Loads the Vega chunk once, when the first chart is shown. */
function loadVega(): Promise<typeof import("./vega")> {
  vegaModule ??= import("./vega");
  return vegaModule;
}

/** The inline records of a chart's data set "values", created when absent. */
function chartValues(spec: Record<string, unknown>): unknown[] {
  let data = spec["data"] as Record<string, unknown> | undefined;
  if (!data || typeof data !== "object") {
    data = { name: "values", values: [] };
    spec["data"] = data;
  }
  if (!Array.isArray(data["values"])) data["values"] = [];
  return data["values"] as unknown[];
}

/** Renders a Vega-Lite output; the chart is drawn once the Vega chunk has loaded. */
function renderChart(text: string): HTMLElement | null {
  let spec: Record<string, unknown>;
  try {
    spec = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!spec || typeof spec !== "object" || Array.isArray(spec)) return null;
  const target = h("div", { class: "chart" });
  const el = h("div", { class: "output output-vega-lite", "data-state": "loading" }, target);
  const state: ChartState = { spec, pending: [] };
  charts.set(el, state);
  loadVega()
    .then((m) => m.drawChart(target, spec))
    .then((drawn) => {
      state.drawn = drawn;
      if (state.pending.length > 0) drawn.insert(state.pending.splice(0));
      el.dataset["state"] = "drawn";
    })
    .catch((err: unknown) => {
      el.dataset["state"] = "error";
      el.append(h("pre", { class: "output output-error" }, `chart: ${String(err)}`));
    });
  return el;
}

/** Adds the records of a vega-lite-data output to the chart drawn in el. */
function pushChart(el: HTMLElement, text: string): void {
  const state = charts.get(el);
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    return;
  }
  if (!state || !Array.isArray(rows)) return;
  if (state.drawn) {
    state.drawn.insert(rows);
  } else {
    // The spec has not been drawn yet, or is being: drawChart reads the values
    // when it starts, so later records wait.
    state.pending.push(...rows);
  }
}

/** Folds vega-lite-data outputs into the chart before them: a frame's saved content. */
function foldChartData(outputs: Output[]): Output[] {
  const out: Output[] = [];
  for (const o of outputs) {
    const last = out[out.length - 1];
    if (o.type === "vega-lite-data" && last && last.type === "vega-lite") {
      try {
        const spec = JSON.parse(last.text ?? "") as Record<string, unknown>;
        const rows = JSON.parse(o.text ?? "") as unknown;
        if (Array.isArray(rows)) {
          chartValues(spec).push(...rows);
          out[out.length - 1] = { ...last, text: JSON.stringify(spec) };
          continue;
        }
      } catch {
        // Shown as data below.
      }
    }
    out.push(o);
  }
  return out;
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
        ...foldChartData(o.outputs ?? []).map(renderOutput),
      );
    case "vega-lite": {
      const el = renderChart(text);
      if (el) return el;
      break;
    }
    case "input": {
      const el = renderInput(text);
      if (el) return el;
      break;
    }
  }
  if (o.text !== undefined) {
    return h("pre", { class: `output output-text output-${o.type}`, "data-type": o.type }, text.replace(ansi, ""));
  }
  const size = o.data ? Math.floor((o.data.length * 3) / 4) : 0;
  return h("div", { class: "output output-data" }, `${o.type} output (${o.mime ?? "data"}, ${size} bytes) cannot be shown here`);
}

/** Returns the elements for a cell's outputs and, if it failed, its error. */
export function renderOutputs(outputs: Output[], error?: string): HTMLElement[] {
  const els = foldChartData(outputs).map(renderOutput);
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
        if (!o.append) frame.replaceChildren();
        for (const k of foldChartData(o.outputs ?? [])) {
          const chart = frame.querySelector<HTMLElement>(":scope > .output-vega-lite:last-of-type");
          if (k.type === "vega-lite-data" && chart && frame.lastElementChild === chart) {
            pushChart(chart, k.text ?? "");
          } else {
            frame.append(renderOutput(k));
          }
        }
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
