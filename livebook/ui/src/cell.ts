// The view of one cell: its editor or rendered Markdown, its toolbar and status,
// its outputs, and the inserter below it.

import type { EditorView } from "@codemirror/view";
import {
  collaboration,
  pending,
  receive,
  replacement,
  showRemote,
  syncedVersion,
  type RemoteCursor,
} from "./collab";
import { formatDuration, h } from "./dom";
import { goAssist } from "./completion";
import { createEditor, type EditorOptions } from "./editor";
import { renderMarkdown } from "./markdown";
import { runnable, type Cell, type CellStatus } from "./model";
import { renderOutputs, streamOutputs } from "./outputs";
import type { EvalState, Op, Output, Selection } from "./protocol";

/** What a cell view needs from the notebook around it. */
export interface CellHost {
  /** The notebook's path, which names its session. */
  readonly path: string;
  /** Sends an operation; returns its ref, or "" when it could not be sent. */
  send(op: Op): string;
  /**
   * Sends an operation of the text's synchronisation quietly (no message when
   * offline); replies to its ref come back to this view. Returns the ref, or "".
   */
  sync(op: Op): string;
  /** This page's collab client id, the same for every cell and across reconnections. */
  readonly clientID: string;
  /**
   * Says where this user's cursor is (null: not editing); force sends it even
   * when it has not moved since it was last sent.
   */
  presence(sel: Selection | null, force?: boolean): void;
  /** The other people's cursors in a cell. */
  cursors(cellId: string): RemoteCursor[];
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
  private readonly editorEl: HTMLElement;
  private editor: EditorView;
  private rendered: HTMLElement | null = null;
  private editing = false;
  /** The ref of the cell_update on its way to the session, if any. */
  private inflight = "";
  /** The ref of the pull_updates on its way, if any. */
  private pulling = "";
  /** Evaluate once the session has every change typed here. */
  private evalAfterSync = false;

  constructor(
    private cell: Cell,
    private readonly host: CellHost,
    readonly setup: boolean,
  ) {
    this.kind = cell.kind;
    this.language = cell.language;
    this.readOnly = cell.readOnly;
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
    this.editorEl = h("div", { class: "cell-editor" });
    this.bodyEl.appendChild(this.editorEl);
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

    this.editor = this.makeEditor(cell.source, cell.version);
    if (!code) {
      this.editorEl.hidden = true;
      this.showMarkdown();
      this.bodyEl.addEventListener("dblclick", () => this.startEditing());
    }
  }

  /** Makes the cell's editor, a collaborator at version of text. */
  private makeEditor(text: string, version: number): EditorView {
    const code = this.kind !== "markdown";
    const o: EditorOptions = {
      doc: text,
      language: code ? this.language : "markdown",
      readOnly: this.readOnly !== "",
      onChange: () => this.push(),
      onSelection: (anchor, head, focused) =>
        this.host.presence(focused ? { cell_id: this.cell.id, anchor, head } : null),
      extensions: [
        collaboration(version, this.host.clientID),
        code && this.language === "go" && !this.readOnly ? goAssist(this.host.path) : [],
      ],
    };
    if (code) {
      Object.assign(o, {
        placeholder: runnable(this.cell) ? "Go code. Shift+Enter evaluates." : "",
        onEvaluate: () => this.evaluate(),
        onEscape: () => this.editor.contentDOM.blur(),
        onBlur: () => this.flush(),
      } satisfies Partial<EditorOptions>);
    } else {
      Object.assign(o, {
        wrap: true,
        placeholder: "Markdown. Escape or Shift+Enter shows it.",
        onEvaluate: () => this.stopEditing(),
        onEscape: () => this.stopEditing(),
        onBlur: () => window.setTimeout(() => this.editing && !this.hasFocus() && this.stopEditing(), 0),
      } satisfies Partial<EditorOptions>);
    }
    const view = createEditor(this.editorEl, o);
    showRemote(view, this.host.cursors(this.cell.id));
    return view;
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
   * Applies a change of the cell's text that the session broadcast (cell_update
   * or set_cell_source): the editor rebases what was typed here on it, and
   * learns which of its own changes the session confirmed.
   */
  apply(c: Cell, op: Op): void {
    this.cell = c;
    if (!receive(this.editor, op.doc_version ?? 0, op.updates ?? [])) this.pull();
    const confirmed = op.ref !== undefined && op.ref === this.inflight;
    if (confirmed) this.inflight = "";
    if (this.kind === "markdown" && !this.editing) this.showMarkdown();
    this.push();
    if (confirmed && !this.inflight && this.hasFocus()) {
      // The cursor as sent ran ahead of the text the others had; now they have it.
      const r = this.editor.state.selection.main;
      this.host.presence({ cell_id: this.cell.id, anchor: r.anchor, head: r.head }, true);
    }
  }

  /** Applies the updates a pull_updates asked for. */
  catchUp(op: Op): void {
    if (op.ref === this.pulling) this.pulling = "";
    if (!receive(this.editor, op.doc_version ?? 0, op.updates ?? [])) {
      this.reset(this.cell);
      return;
    }
    if (this.kind === "markdown" && !this.editing) this.showMarkdown();
    this.push();
  }

  /**
   * The session refused an operation of ref: updates made on an old version
   * (code "stale": the missing updates are fetched, then they are sent again,
   * rebased) or a pull of updates it no longer keeps ("too_old").
   */
  rejected(ref: string, code?: string): void {
    if (ref === this.inflight) this.inflight = "";
    if (ref === this.pulling) this.pulling = "";
    if (code === "stale") this.pull();
    else this.reset(this.cell);
  }

  /**
   * Catches up with a fresh snapshot after a reconnection (sameSession: the
   * session is the one the editor was synchronised with): fetches the updates
   * it missed, then sends what was typed here meanwhile.
   */
  resync(c: Cell, sameSession: boolean): void {
    this.cell = c;
    this.inflight = this.pulling = "";
    const synced = syncedVersion(this.editor.state);
    if (!sameSession || c.version < synced) this.reset(c);
    else if (c.version > synced) this.pull();
    else this.push();
  }

  /** Shows the other people's cursors in this cell. */
  showCursors(cursors: RemoteCursor[]): void {
    showRemote(this.editor, cursors);
  }

  /** The version of the text the editor has from the session (for tests and debugging). */
  get version(): number {
    return syncedVersion(this.editor.state);
  }

  /**
   * Starts again from the session's text, then makes the changes typed here
   * that it does not have, so none is lost.
   */
  private reset(c: Cell): void {
    const local = this.editor.state.doc.toString();
    const sel = this.editor.state.selection.main;
    const focused = this.editor.hasFocus;
    this.editor.destroy();
    this.editor = this.makeEditor(c.source, c.version);
    const base = this.editor.state.doc.toString();
    if (local !== base && !this.readOnly) {
      this.editor.dispatch({ changes: replacement(base, local), userEvent: "input" });
    }
    const len = this.editor.state.doc.length;
    this.editor.dispatch({ selection: { anchor: Math.min(sel.anchor, len), head: Math.min(sel.head, len) } });
    if (focused) this.editor.focus();
    if (this.kind === "markdown" && !this.editing) this.showMarkdown();
    this.push();
  }

  /** Asks the session for the updates after the editor's version. */
  private pull(): void {
    if (this.pulling) return;
    this.pulling = this.host.sync({
      op: "pull_updates",
      cell_id: this.cell.id,
      doc_version: syncedVersion(this.editor.state),
    });
  }

  /**
   * Sends the changes typed here that the session has not confirmed, unless
   * some are on their way already (they follow once those are confirmed).
   */
  private push(): void {
    if (this.readOnly || this.inflight || this.pulling) return;
    const updates = pending(this.editor.state);
    if (updates.length === 0) {
      if (this.evalAfterSync) {
        this.evalAfterSync = false;
        this.host.send({ op: "evaluate_cell", cell_id: this.cell.id });
      }
      return;
    }
    this.inflight = this.host.sync({
      op: "cell_update",
      cell_id: this.cell.id,
      doc_version: syncedVersion(this.editor.state),
      updates,
    });
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

  /** Sends the changes typed here now, if none is on its way. */
  flush(): void {
    this.push();
  }

  /** Asks the session to evaluate the cell once it has every change typed here. */
  evaluate(): void {
    if (!runnable(this.cell)) return;
    this.push();
    if (pending(this.editor.state).length > 0) {
      // Sent once the session has confirmed them, so it evaluates what is here.
      this.evalAfterSync = true;
      return;
    }
    this.host.send({ op: "evaluate_cell", cell_id: this.cell.id });
  }

  /** Moves the keyboard focus into the cell, editing Markdown. */
  focus(): void {
    if (this.kind === "markdown") {
      this.startEditing();
      return;
    }
    this.editor.focus();
  }

  /** Reports whether the keyboard focus is in the cell. */
  hasFocus(): boolean {
    return this.cellEl.contains(document.activeElement);
  }

  /** Releases the editor. */
  destroy(): void {
    this.editor.destroy();
  }

  /** The text as typed here: the session's with the changes not confirmed yet. */
  text(): string {
    return this.editor.state.doc.toString();
  }

  private remove(): void {
    this.host.send({ op: "delete_cell", cell_id: this.cell.id });
  }

  /** Shows the Markdown as typed here, even before the session confirms it. */
  private showMarkdown(): void {
    const text = this.text();
    const el = text.trim()
      ? renderMarkdown(text)
      : h("div", { class: "markdown empty" }, "Empty Markdown cell: double-click to write.");
    if (this.rendered) this.rendered.replaceWith(el);
    else this.bodyEl.appendChild(el);
    this.rendered = el;
  }

  private startEditing(): void {
    if (this.kind !== "markdown" || this.readOnly) return;
    if (this.editing) {
      this.editor.focus();
      return;
    }
    this.editing = true;
    this.cellEl.classList.add("editing");
    this.rendered?.remove();
    this.rendered = null;
    this.editorEl.hidden = false;
    this.editor.focus();
  }

  private stopEditing(): void {
    if (!this.editing) return;
    this.flush();
    this.editing = false;
    this.cellEl.classList.remove("editing");
    this.editorEl.hidden = true;
    this.editor.contentDOM.blur();
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
