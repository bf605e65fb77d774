// The view of one cell: its editor or rendered Markdown, its toolbar and status,
// its outputs, and the inserter below it.

import type { EditorView } from "@codemirror/view";
import { formatDuration, h } from "./dom";
import { goAssist } from "./completion";
import { createEditor, setText } from "./editor";
import { renderMarkdown } from "./markdown";
import { runnable, type Cell, type CellStatus } from "./model";
import { renderOutputs, streamOutputs } from "./outputs";
import type { EvalState, Op, Output } from "./protocol";

/** How long typing pauses before the cell's source is sent. */
const sendDelay = 300;

/** What a cell view needs from the notebook around it. */
export interface CellHost {
  /** The notebook's path, which names its session. */
  readonly path: string;
  /** Sends an operation; returns its ref, or "" when it could not be sent. */
  send(op: Op): string;
  /** Moves the cell up (-1) or down (1), across sections. */
  move(cellId: string, by: -1 | 1): void;
  /** Inserts a new cell of kind just after the cell (or at the top of the section). */
  insertAfter(cellId: string, kind: "code" | "markdown"): void;
}

const statusLabels: Record<CellStatus, string> = {
  fresh: "fresh",
  queued: "queued",
  evaluating: "evaluating",
  evaluated: "evaluated",
  stale: "stale",
  error: "error",
  aborted: "aborted",
};

const statusTitles: Record<CellStatus, string> = {
  fresh: "Not evaluated in this session",
  queued: "Waiting for the cells queued before it",
  evaluating: "Running",
  evaluated: "Evaluated; up to date",
  stale: "Evaluated, but it, or a cell whose names it uses, changed since, or the runtime restarted",
  error: "The last evaluation failed",
  aborted: "The last evaluation was stopped",
};

/** Returns an inserter: buttons that add a code or Markdown cell at a place. */
export function inserter(add: (kind: "code" | "markdown") => void): HTMLElement {
  return h(
    "div",
    { class: "inserter" },
    h("button", { class: "insert-code", type: "button", onclick: () => add("code") }, "+ Code"),
    h("button", { class: "insert-markdown", type: "button", onclick: () => add("markdown") }, "+ Markdown"),
  );
}

/** The view of one cell. */
export class CellView {
  /** The cell and the inserter after it. */
  readonly el: HTMLElement;
  readonly kind: Cell["kind"];
  readonly language: string;
  readonly readOnly: string;

  private readonly cellEl: HTMLElement;
  private readonly bodyEl: HTMLElement;
  private readonly statusEl: HTMLElement;
  private readonly outputsEl: HTMLElement;
  private readonly evaluateEl: HTMLElement | null;
  private readonly stopEl: HTMLElement | null;
  /** What the outputs element shows: an evaluation, or the saved outputs. */
  private shown: EvalState | Output[] | null = null;
  private editor: EditorView | null = null;
  private rendered: HTMLElement | null = null;
  private editing = false;
  /** The latest text typed here, or the session's when nothing is. */
  private local: string;
  /** The cell holds text typed here that the session has not confirmed yet. */
  private dirty = false;
  private timer: number | undefined;

  constructor(
    private cell: Cell,
    private readonly host: CellHost,
    readonly setup: boolean,
  ) {
    this.kind = cell.kind;
    this.language = cell.language;
    this.readOnly = cell.readOnly;
    this.local = cell.source;
    const code = cell.kind !== "markdown";
    const canRun = runnable(cell);

    this.statusEl = h("span", { class: "status", "data-status": "fresh" });
    const label = code
      ? h(
          "span",
          { class: cell.readOnly ? "lang read-only" : "lang", title: cell.readOnly || null },
          cell.readOnly ? `${langName(cell.language)} · read-only` : langName(cell.language),
        )
      : h("span", { class: "lang" }, "Markdown");
    const button = (cls: string, text: string, title: string, f: () => void) =>
      h("button", { class: cls, type: "button", title, "aria-label": title, onclick: f }, text);
    this.evaluateEl = canRun ? button("evaluate", "▶ Evaluate", "Evaluate (Shift+Enter)", () => this.evaluate()) : null;
    this.stopEl = canRun
      ? button("stop", "■ Stop", "Stop this evaluation (stops the runtime's kernel)", () =>
          host.send({ op: "interrupt", cell_id: this.cell.id }),
        )
      : null;
    if (this.stopEl) this.stopEl.hidden = true;
    const actions = h(
      "div",
      { class: "cell-actions" },
      this.evaluateEl,
      this.stopEl,
      !code ? button("edit", "Edit", "Edit (double-click)", () => this.startEditing()) : null,
      setup ? null : button("move-up", "↑", "Move up", () => host.move(this.cell.id, -1)),
      setup ? null : button("move-down", "↓", "Move down", () => host.move(this.cell.id, 1)),
      setup ? null : button("delete", "✕", "Delete cell", () => this.remove()),
    );
    this.bodyEl = h("div", { class: "cell-body" });
    this.outputsEl = h("div", { class: "outputs", "aria-live": "polite" });
    this.cellEl = h(
      "div",
      {
        class: `cell cell-${cell.kind}`,
        "data-cell-id": cell.id,
        "data-kind": cell.kind,
        "data-read-only": cell.readOnly ? "true" : null,
      },
      h("div", { class: "cell-toolbar" }, canRun ? this.statusEl : null, label, actions),
      this.bodyEl,
      code ? this.outputsEl : null,
    );
    if (cell.readOnly) {
      this.cellEl.appendChild(h("div", { class: "read-only-note" }, cell.readOnly));
    }
    this.el = h(
      "div",
      { class: "cell-wrap" },
      this.cellEl,
      setup ? null : inserter((kind) => host.insertAfter(this.cell.id, kind)),
    );

    if (code) {
      this.editor = createEditor(this.bodyEl, {
        doc: cell.source,
        language: cell.language,
        readOnly: cell.readOnly !== "",
        placeholder: canRun ? "Go code. Shift+Enter evaluates." : "",
        onChange: (t) => this.changed(t),
        onEvaluate: () => this.evaluate(),
        onEscape: () => this.editor?.contentDOM.blur(),
        onBlur: () => this.flush(),
        extensions: cell.language === "go" && !cell.readOnly ? goAssist(host.path) : undefined,
      });
    } else {
      this.showMarkdown();
      this.bodyEl.addEventListener("dblclick", () => this.startEditing());
    }
  }

  /** The id of the cell. */
  get id(): string {
    return this.cell.id;
  }

  /** Reports whether the view can show cell (same kind, language and editability). */
  fits(c: Cell): boolean {
    return c.kind === this.kind && c.language === this.language && c.readOnly === this.readOnly;
  }

  /**
   * Shows the cell's source from the session: after an operation (mine says this
   * client sent it) or a fresh snapshot (resend: edits the session has not
   * confirmed are sent again).
   */
  sync(c: Cell, mine: boolean, resend = false): void {
    this.cell = c;
    if (this.dirty) {
      if (resend) {
        this.schedule(0);
      } else if (mine && this.text() === c.source) {
        this.dirty = false;
      }
      // Else keep the local text: it is sent after this and wins.
      return;
    }
    this.local = c.source;
    if (this.editor) setText(this.editor, c.source);
    if (this.kind === "markdown" && !this.editing) this.showMarkdown();
  }

  /** Shows the cell's status and outputs. */
  refresh(c: Cell, status: CellStatus): void {
    this.cell = c;
    if (this.kind === "markdown") return;
    this.cellEl.dataset["status"] = status;
    this.statusEl.dataset["status"] = status;
    let text = statusLabels[status];
    if ((status === "evaluated" || status === "error") && c.eval?.duration_ms !== undefined) {
      text += ` · ${formatDuration(c.eval.duration_ms)}`;
    }
    this.statusEl.textContent = text;
    this.statusEl.title = statusTitles[status];
    const running = status === "queued" || status === "evaluating";
    if (this.evaluateEl) this.evaluateEl.hidden = running;
    if (this.stopEl) this.stopEl.hidden = !running;
    const e = c.eval;
    const shown = e ?? c.saved;
    if (shown === this.shown) return; // the outputs did not change
    this.shown = shown;
    const els = e ? renderOutputs(e.outputs ?? [], e.error) : renderOutputs(c.saved);
    this.outputsEl.classList.toggle("saved", !e && c.saved.length > 0);
    this.outputsEl.title = !e && c.saved.length > 0 ? "Output saved in the notebook file" : "";
    this.outputsEl.replaceChildren(...els);
  }

  /**
   * Shows outputs the running cell streamed: in place when the view shows prev,
   * the evaluation they follow, else by showing the cell's outputs again.
   */
  stream(c: Cell, prev: EvalState, more: Output[]): void {
    this.cell = c;
    if (this.shown !== prev || !c.eval) {
      this.shown = null;
      return; // refresh shows it all
    }
    streamOutputs(this.outputsEl, more);
    this.shown = c.eval;
  }

  /** Sends the source now if it has changed. */
  flush(): void {
    window.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty || this.readOnly) return;
    // Not confirmed until the session echoes it; if it cannot be sent now, the
    // next snapshot sends it again.
    this.host.send({ op: "set_cell_source", cell_id: this.cell.id, source: this.text() });
  }

  /** Sends the source if it changed, then asks the session to evaluate the cell. */
  evaluate(): void {
    if (!runnable(this.cell)) return;
    this.flush();
    this.host.send({ op: "evaluate_cell", cell_id: this.cell.id });
  }

  /** Moves the keyboard focus into the cell, editing Markdown. */
  focus(): void {
    if (this.kind === "markdown") {
      this.startEditing();
      return;
    }
    this.editor?.focus();
  }

  /** Reports whether the keyboard focus is in the cell. */
  hasFocus(): boolean {
    return this.cellEl.contains(document.activeElement);
  }

  /** Releases the editor. */
  destroy(): void {
    window.clearTimeout(this.timer);
    this.editor?.destroy();
    this.editor = null;
  }

  private text(): string {
    return this.editor ? this.editor.state.doc.toString() : this.local;
  }

  private changed(text: string): void {
    this.local = text;
    this.dirty = true;
    this.schedule(sendDelay);
  }

  private schedule(ms: number): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.flush(), ms);
  }

  private remove(): void {
    this.host.send({ op: "delete_cell", cell_id: this.cell.id });
  }

  /** Shows the Markdown as typed here, even before the session confirms it. */
  private showMarkdown(): void {
    const el = this.local.trim()
      ? renderMarkdown(this.local)
      : h("div", { class: "markdown empty" }, "Empty Markdown cell: double-click to write.");
    if (this.rendered) this.rendered.replaceWith(el);
    else this.bodyEl.appendChild(el);
    this.rendered = el;
  }

  private startEditing(): void {
    if (this.kind !== "markdown" || this.readOnly) return;
    if (this.editing) {
      this.editor?.focus();
      return;
    }
    this.editing = true;
    this.cellEl.classList.add("editing");
    this.rendered?.remove();
    this.rendered = null;
    this.editor = createEditor(this.bodyEl, {
      doc: this.local,
      language: "markdown",
      readOnly: false,
      wrap: true,
      placeholder: "Markdown. Escape or Shift+Enter shows it.",
      onChange: (t) => this.changed(t),
      onEvaluate: () => this.stopEditing(),
      onEscape: () => this.stopEditing(),
      onBlur: () => window.setTimeout(() => this.editing && !this.hasFocus() && this.stopEditing(), 0),
    });
    this.editor.focus();
  }

  private stopEditing(): void {
    if (!this.editing || !this.editor) return;
    this.flush();
    this.editing = false;
    this.cellEl.classList.remove("editing");
    this.editor.destroy();
    this.editor = null;
    this.showMarkdown();
  }
}

function langName(lang: string): string {
  switch (lang) {
    case "go":
      return "Go";
    case "elixir":
      return "Elixir";
    case "erlang":
      return "Erlang";
    case "python":
      return "Python";
    case "pyproject.toml":
      return "pyproject.toml";
  }
  return lang || "Code";
}
