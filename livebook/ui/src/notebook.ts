// The notebook page: header, sections, cells, and the live connection that keeps
// them in step with the session.

import { exportNotebook } from "./api";
import { CellView, inserter, type CellHost } from "./cell";
import type { RemoteCursor } from "./collab";
import { Connection, type ConnectionState } from "./connection";
import { h, syncChildren } from "./dom";
import { inputChanged, setInputs } from "./inputs";
import { Notebook, runnable, type Cell, type Change, type Section } from "./model";
import type { Op, Selection, Snapshot, User } from "./protocol";
import { avatar, loadProfile, saveProfile } from "./users";

/** The shortest time between two presence messages (cursor moves). */
const presenceInterval = 80;

/** The view of one section: its header and its cells. */
class SectionView {
  readonly el: HTMLElement;
  readonly cellsEl: HTMLElement;
  private readonly nameEl: HTMLElement;
  private readonly top: HTMLElement;

  constructor(
    readonly id: string,
    page: NotebookView,
  ) {
    this.nameEl = h("h2", { class: "section-name", title: "Click to rename", tabindex: 0 });
    editable(this.nameEl, (name) => page.send({ op: "rename_section", section_id: id, name }));
    const button = (cls: string, text: string, title: string, f: () => void) =>
      h("button", { class: cls, type: "button", title, "aria-label": title, onclick: f }, text);
    this.top = inserter((kind) => page.insertCell(id, 0, kind));
    this.cellsEl = h("div", { class: "cells" });
    this.el = h(
      "section",
      { class: "section", "data-section-id": id },
      h(
        "header",
        { class: "section-header" },
        this.nameEl,
        h(
          "div",
          { class: "section-actions" },
          button("move-up", "↑", "Move section up", () => page.moveSection(id, -1)),
          button("move-down", "↓", "Move section down", () => page.moveSection(id, 1)),
          button("delete", "✕", "Delete section", () => page.deleteSection(id)),
        ),
      ),
      this.cellsEl,
    );
  }

  update(s: Section, parentName: string, cells: CellView[]): void {
    if (document.activeElement !== this.nameEl.querySelector("input")) {
      this.nameEl.textContent = s.name;
    }
    this.el.dataset["branch"] = parentName ? "true" : "";
    this.el.title = parentName ? `Branches from “${parentName}”` : "";
    syncChildren(this.cellsEl, [this.top, ...cells.map((c) => c.el)]);
    this.cellsEl.classList.toggle("empty", cells.length === 0);
  }
}

/**
 * Makes el editable in place: clicking (or Enter) swaps in a text field; Enter or
 * leaving it commits, Escape cancels.
 */
function editable(el: HTMLElement, commit: (text: string) => void): void {
  const start = () => {
    if (el.querySelector("input")) return;
    const old = el.textContent ?? "";
    const input = h("input", { class: "inline-edit", value: old, "aria-label": "New name" });
    let done = false;
    const finish = (save: boolean) => {
      if (done) return;
      done = true;
      const v = input.value.trim();
      el.textContent = save && v ? v : old;
      if (save && v && v !== old) commit(v);
    };
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") finish(true);
      if (ev.key === "Escape") finish(false);
    });
    input.addEventListener("blur", () => finish(true));
    el.replaceChildren(input);
    input.focus();
    input.select();
  };
  el.addEventListener("click", start);
  el.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && ev.target === el) start();
  });
}

const stateText: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  open: "",
  reconnecting: "Connection lost; reconnecting…",
  unauthorized: "",
  failed: "",
  closed: "",
};

/** The notebook page for the notebook at a path. */
export class NotebookView implements CellHost {
  readonly el: HTMLElement;
  private nb: Notebook | null = null;
  private readonly conn: Connection;
  private readonly cells = new Map<string, CellView>();
  private readonly sections = new Map<string, SectionView>();
  /** Refs of inserts sent from here, whose new cell gets the focus. */
  private readonly focusOnInsert = new Set<string>();
  /** Refs of the text synchronisation operations in flight, to their cell. */
  private readonly syncRefs = new Map<string, string>();
  /** The collab client id of this page's editors. */
  readonly clientID = `k${Math.random().toString(36).slice(2, 10)}`;
  /** Where this user's cursor is, as last sent, and what is still to send. */
  private sentPresence: string = "null";
  private nextPresence: Selection | null = null;
  private presenceTimer: number | undefined;
  private presenceAt = 0;

  private readonly titleEl: HTMLElement;
  private readonly saveEl: HTMLElement;
  private readonly presenceEl: HTMLElement;
  private readonly runtimeEl: HTMLElement;
  private readonly bannerEl: HTMLElement;
  private readonly warningsEl: HTMLElement;
  private readonly toastsEl: HTMLElement;
  private readonly setupEl: HTMLElement;
  private readonly setupCellsEl: HTMLElement;
  private readonly bodyEl: HTMLElement;
  private readonly endEl: HTMLElement;
  private readonly staleEl: HTMLButtonElement;
  private readonly stopEl: HTMLButtonElement;

  constructor(readonly path: string) {
    this.titleEl = h("h1", { class: "title", title: "Click to rename", tabindex: 0 }, path);
    editable(this.titleEl, (name) => this.send({ op: "rename_notebook", name }));
    this.saveEl = h("span", { class: "save-state" });
    this.presenceEl = h("div", { class: "presence" });
    this.runtimeEl = h("span", { class: "runtime" });
    this.bannerEl = h("div", { class: "banner", role: "status", hidden: true });
    this.warningsEl = h("div", { class: "warnings" });
    this.toastsEl = h("div", { class: "toasts", "aria-live": "assertive" });
    this.setupCellsEl = h("div", { class: "cells" });
    this.setupEl = h(
      "section",
      { class: "section setup" },
      h("header", { class: "section-header" }, h("h2", { class: "section-name" }, "Setup")),
      this.setupCellsEl,
    );
    this.endEl = h(
      "div",
      { class: "notebook-end" },
      h("button", { class: "add-section", type: "button", onclick: () => this.addSection() }, "+ Section"),
    );
    this.bodyEl = h("div", { class: "notebook-body" }, h("p", { class: "loading" }, "Opening the notebook…"));
    this.staleEl = h(
      "button",
      {
        class: "evaluate-stale",
        type: "button",
        title: "Evaluate again the cells that are out of date, from the top",
        onclick: () => this.evaluateStale(),
      },
      "▶ Evaluate stale",
    );
    this.stopEl = h(
      "button",
      {
        class: "interrupt",
        type: "button",
        title: "Stop the running and queued evaluations (stops the runtime's kernel: the cells evaluated before go stale)",
        onclick: () => this.send({ op: "interrupt" }),
      },
      "■ Stop",
    );
    this.staleEl.disabled = this.stopEl.disabled = true;
    this.el = h(
      "div",
      { class: "page notebook-page" },
      h(
        "header",
        { class: "topbar" },
        h("a", { class: "home", href: "#/", title: "All notebooks" }, "← Notebooks"),
        h("div", { class: "title-wrap" }, this.titleEl, h("span", { class: "path" }, path)),
        h(
          "div",
          { class: "topbar-actions" },
          this.saveEl,
          this.presenceEl,
          this.runtimeEl,
          h("button", { class: "evaluate-all", type: "button", onclick: () => this.evaluateAll() }, "▶ Evaluate all"),
          this.staleEl,
          this.stopEl,
          h(
            "button",
            {
              class: "restart",
              type: "button",
              title: "Stop the runtime; the next evaluation starts a new one",
              onclick: () => this.send({ op: "restart_runtime" }),
            },
            "Restart runtime",
          ),
          h(
            "button",
            {
              class: "export-livemd",
              type: "button",
              title: "Download the notebook as a .livemd file",
              onclick: () => void this.download("livemd"),
            },
            "⤓ .livemd",
          ),
          h(
            "button",
            {
              class: "export-go",
              type: "button",
              title: "Export as a Go program that builds with go build (main.go, go.mod and a package per cell, zipped)",
              onclick: () => void this.download("go"),
            },
            "⤓ Go program",
          ),
        ),
      ),
      this.bannerEl,
      h("main", { class: "notebook" }, this.warningsEl, this.bodyEl),
      this.toastsEl,
    );
    this.conn = new Connection(
      path,
      {
        snapshot: (s) => this.onSnapshot(s),
        op: (op, v, mine) => this.onOp(op, v, mine),
        catchUp: (op) => this.onCatchUp(op),
        error: (msg, ref, code) => this.onError(msg, ref, code),
        state: (st, detail) => this.onState(st, detail),
      },
      () => {
        const p = loadProfile();
        return { name: p.name ?? "", avatar: p.avatar ?? "" };
      },
    );
  }

  /** Closes the connection and the editors. */
  destroy(): void {
    for (const c of this.cells.values()) c.flush();
    window.clearTimeout(this.presenceTimer);
    this.conn.close();
    for (const c of this.cells.values()) c.destroy();
    this.cells.clear();
  }

  /** Sends an operation to the session; returns its ref, or "" when offline. */
  send(op: Op): string {
    const ref = this.conn.send(op);
    if (ref === "") this.toast("Not connected: the change was not sent.");
    return ref;
  }

  /** Sends a text synchronisation operation quietly; its replies go to its cell. */
  sync(op: Op): string {
    const ref = this.conn.send(op);
    if (ref && op.cell_id) this.syncRefs.set(ref, op.cell_id);
    return ref;
  }

  /** Says where this user's cursor is, at most once per presenceInterval. */
  presence(sel: Selection | null, force = false): void {
    this.nextPresence = sel;
    if (force) this.sentPresence = "";
    if (this.presenceTimer !== undefined) return;
    const wait = Math.max(0, this.presenceAt + presenceInterval - Date.now());
    this.presenceTimer = window.setTimeout(() => this.sendPresence(false), wait);
  }

  private sendPresence(force: boolean): void {
    window.clearTimeout(this.presenceTimer);
    this.presenceTimer = undefined;
    const key = JSON.stringify(this.nextPresence);
    if ((!force && key === this.sentPresence) || !this.conn.open) return;
    const op: Op = { op: "presence" };
    if (this.nextPresence) op.selection = this.nextPresence;
    this.conn.send(op);
    this.sentPresence = key;
    this.presenceAt = Date.now();
  }

  /** The cursors of the other people in a cell. */
  cursors(cellId: string): RemoteCursor[] {
    const out: RemoteCursor[] = [];
    for (const u of this.nb?.users.values() ?? []) {
      const sel = u.selection;
      if (u.id === this.conn.clientId || !sel || sel.cell_id !== cellId) continue;
      out.push({ user: u, anchor: sel.anchor, head: sel.head });
    }
    return out;
  }

  /** Moves a cell up or down one place, into the next section at the edges. */
  move(cellId: string, by: -1 | 1): void {
    const nb = this.nb;
    const at = nb?.locate(cellId);
    if (!nb || !at || !at.section) return;
    const si = nb.sections.indexOf(at.section);
    const i = at.index + by;
    if (i >= 0 && i < at.section.cells.length) {
      this.send({ op: "move_cell", cell_id: cellId, index: i });
      return;
    }
    const next = nb.sections[si + by];
    if (!next) return;
    this.send({
      op: "move_cell",
      cell_id: cellId,
      section_id: next.id,
      index: by < 0 ? next.cells.length : 0,
    });
  }

  /** Inserts a cell of kind after the cell with id. */
  insertAfter(cellId: string, kind: "code" | "markdown"): void {
    const at = this.nb?.locate(cellId);
    if (at?.section) this.insertCell(at.section.id, at.index + 1, kind);
  }

  /** Inserts a cell of kind into a section at index. */
  insertCell(sectionId: string, index: number, kind: "code" | "markdown"): void {
    const op: Op = { op: "insert_cell", section_id: sectionId, index, kind };
    if (kind === "code") op.language = "go";
    const ref = this.send(op);
    if (ref) this.focusOnInsert.add(ref);
  }

  /** Moves a section up or down one place. */
  moveSection(id: string, by: -1 | 1): void {
    const i = this.nb?.sections.findIndex((s) => s.id === id) ?? -1;
    const j = i + by;
    if (i < 0 || !this.nb || j < 0 || j >= this.nb.sections.length) return;
    this.send({ op: "move_section", section_id: id, index: j });
  }

  /** Deletes a section and its cells, after asking when it has any. */
  deleteSection(id: string): void {
    const s = this.nb?.section(id);
    if (!s) return;
    if (s.cells.length > 0 && !window.confirm(`Delete the section “${s.name}” and its ${s.cells.length} cell(s)?`)) {
      return;
    }
    this.send({ op: "delete_section", section_id: id });
  }

  private addSection(): void {
    const ref = this.send({ op: "insert_section" });
    if (ref) this.focusOnInsert.add(ref);
  }

  /** Evaluates every Go cell from the top, after sending pending edits. */
  private evaluateAll(): void {
    if (!this.nb) return;
    for (const v of this.cells.values()) v.flush();
    for (const c of this.nb.allCells()) {
      if (runnable(c)) this.send({ op: "evaluate_cell", cell_id: c.id });
    }
  }

  /** Evaluates the stale cells again, after sending pending edits. */
  private evaluateStale(): void {
    for (const v of this.cells.values()) v.flush();
    this.send({ op: "evaluate_stale" });
  }

  private onSnapshot(s: Snapshot): void {
    setInputs(s.inputs, (id, value) => this.send({ op: "set_input", input_id: id, value }));
    const first = this.nb === null;
    const sameSession = this.nb?.session === s.session;
    this.nb = new Notebook(s);
    this.syncRefs.clear();
    this.el.dataset["session"] = s.session;
    if (first) this.bodyEl.replaceChildren();
    // Views of cells that still exist keep their editors: they catch up on the
    // updates they missed and send the changes typed here meanwhile.
    for (const [id, v] of this.cells) {
      const c = this.nb.cell(id);
      if (c && v.fits(c)) {
        v.resync(c, sameSession);
      } else {
        v.destroy();
        this.cells.delete(id);
      }
    }
    this.layout();
    this.refreshMeta();
    this.refreshUsers();
    this.sendPresence(true);
    this.warningsEl.replaceChildren(
      ...(s.warnings?.length
        ? [
            h(
              "details",
              { class: "parse-warnings" },
              h("summary", null, `${s.warnings.length} problem(s) reading the file`),
              h("ul", null, ...s.warnings.map((w) => h("li", null, w))),
            ),
          ]
        : []),
    );
  }

  private onOp(op: Op, version: number, mine: boolean): void {
    const nb = this.nb;
    if (!nb) return;
    if (op.op === "set_input" && op.input_id) inputChanged(op.input_id, op.value);
    const change: Change = nb.apply(op, version);
    switch (change.kind) {
      case "structure":
        this.layout();
        if (mine && op.ref && this.focusOnInsert.delete(op.ref)) {
          if (op.op === "insert_cell" && op.cell_id) this.cells.get(op.cell_id)?.focus();
          if (op.op === "insert_section" && op.section_id) {
            this.sections.get(op.section_id)?.el.querySelector<HTMLElement>(".section-name")?.click();
          }
        }
        break;
      case "section":
        this.layout();
        break;
      case "source": {
        if (op.ref) this.syncRefs.delete(op.ref);
        const c = nb.cell(change.cell);
        if (c) this.cells.get(c.id)?.apply(c, op);
        this.refreshStatuses();
        break;
      }
      case "users":
        this.refreshUsers(change.cells);
        break;
      case "eval":
        this.refreshStatuses();
        break;
      case "output": {
        const c = nb.cell(change.cell);
        if (c) this.cells.get(c.id)?.stream(c, change.prev, change.outputs);
        this.refreshStatuses();
        break;
      }
      case "meta":
      case "none":
        break;
    }
    this.refreshMeta();
  }

  private onCatchUp(op: Op): void {
    if (op.ref) this.syncRefs.delete(op.ref);
    const c = this.nb?.cell(op.cell_id ?? "");
    if (c) this.cells.get(c.id)?.catchUp(op);
  }

  private onError(msg: string, ref?: string, code?: string): void {
    const cell = ref ? this.syncRefs.get(ref) : undefined;
    if (ref && cell !== undefined) {
      this.syncRefs.delete(ref);
      this.cells.get(cell)?.rejected(ref, code);
      if (code) return; // recovered from: no news for the user
    }
    this.toast(msg);
  }

  private onState(st: ConnectionState, detail?: string): void {
    let text = stateText[st];
    if (st === "unauthorized") {
      this.bannerEl.replaceChildren(
        "Not logged in (the server may have restarted with a new token). ",
        h("a", { href: `/authenticate?return_to=${encodeURIComponent("/" + location.hash)}` }, "Log in"),
        " or open the URL that livebook server printed.",
      );
      this.bannerEl.hidden = false;
      this.bannerEl.dataset["state"] = st;
      return;
    }
    if (st === "failed") text = `Cannot open ${this.path}: ${detail ?? "unknown error"}`;
    if (st === "reconnecting" && detail) text += ` (${detail})`;
    this.bannerEl.textContent = text;
    this.bannerEl.hidden = text === "";
    this.bannerEl.dataset["state"] = st;
    this.el.dataset["connection"] = st;
  }

  /** Brings the views in line with the notebook's structure. */
  private layout(): void {
    const nb = this.nb;
    if (!nb) return;
    const focused = [...this.cells.values()].find((v) => v.hasFocus());
    const live = new Set(nb.allCells().map((c) => c.id));
    for (const [id, v] of this.cells) {
      if (!live.has(id)) {
        v.destroy();
        this.cells.delete(id);
      }
    }
    const view = (c: Cell, setup: boolean): CellView => {
      let v = this.cells.get(c.id);
      if (!v) {
        v = new CellView(c, this, setup);
        this.cells.set(c.id, v);
      }
      return v;
    };
    const setupViews = nb.setup.map((c) => view(c, true));
    syncChildren(
      this.setupCellsEl,
      setupViews.map((v) => v.el),
    );
    const liveSections = new Set(nb.sections.map((s) => s.id));
    for (const id of this.sections.keys()) if (!liveSections.has(id)) this.sections.delete(id);
    const sectionEls = nb.sections.map((s) => {
      let sv = this.sections.get(s.id);
      if (!sv) {
        sv = new SectionView(s.id, this);
        this.sections.set(s.id, sv);
      }
      const parent = s.branchParent ? (nb.section(s.branchParent)?.name ?? "") : "";
      sv.update(
        s,
        parent,
        s.cells.map((c) => view(c, false)),
      );
      return sv.el;
    });
    syncChildren(this.bodyEl, [...(setupViews.length ? [this.setupEl] : []), ...sectionEls, this.endEl]);
    if (focused && !focused.hasFocus() && this.cells.get(focused.id) === focused) focused.focus();
    this.refreshStatuses();
  }

  private refreshStatuses(): void {
    const nb = this.nb;
    if (!nb) return;
    const st = nb.statuses();
    for (const c of nb.allCells()) {
      this.cells.get(c.id)?.refresh(c, st.get(c.id) ?? "fresh");
    }
    this.staleEl.disabled = !nb.anyStale();
    this.stopEl.disabled = !nb.busy();
  }

  private refreshMeta(): void {
    const nb = this.nb;
    if (!nb) return;
    if (!this.titleEl.querySelector("input")) this.titleEl.textContent = nb.name;
    document.title = `${nb.name} · Livebook`;
    this.saveEl.textContent = nb.saveError ? "Save failed" : nb.dirty ? "Unsaved changes" : "Saved";
    this.saveEl.title = nb.saveError;
    this.saveEl.dataset["state"] = nb.saveError ? "error" : nb.dirty ? "dirty" : "saved";
    this.runtimeEl.textContent = nb.runtime;
    this.runtimeEl.title = `Runtime: ${nb.runtime}`;
  }

  /**
   * Shows who is here in the header, and their cursors in the cells (only
   * those of cells, when given).
   */
  private refreshUsers(cells?: string[]): void {
    const nb = this.nb;
    if (!nb) return;
    const me = this.conn.clientId;
    const users = [...nb.users.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.presenceEl.replaceChildren(
      ...users.map((u) => {
        const a = avatar(u, u.id === me);
        if (u.id === me) a.addEventListener("click", () => this.rename(u));
        return a;
      }),
    );
    for (const id of cells ?? this.cells.keys()) this.cells.get(id)?.showCursors(this.cursors(id));
  }

  /** Asks this user for their name, and tells the session. */
  private rename(u: User): void {
    const name = window.prompt("Your name, as the others see it:", u.name)?.trim();
    if (!name || name === u.name) return;
    const p = loadProfile();
    saveProfile({ ...p, name });
    this.send({ op: "set_user", name, avatar: p.avatar ?? "" });
  }

  /** Downloads the notebook exported as kind; a failure shows as a toast. */
  private async download(kind: "livemd" | "go"): Promise<void> {
    try {
      const { blob, filename } = await exportNotebook(kind, this.path);
      const url = URL.createObjectURL(blob);
      const a = h("a", { href: url, download: filename, hidden: true });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      this.toast(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private toast(msg: string): void {
    // The same message again (one per cell of "evaluate all" while offline) is
    // shown once.
    if ([...this.toastsEl.children].some((t) => t.textContent === msg)) return;
    const t = h("div", { class: "toast", role: "alert" }, msg);
    this.toastsEl.appendChild(t);
    window.setTimeout(() => t.remove(), 8000);
  }
}
