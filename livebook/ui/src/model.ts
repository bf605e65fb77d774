// The client's replica of a session's notebook: built from a snapshot and kept in
// step by applying the session's ordered operations, exactly as the server applies
// them (livebook/server/ops.go).

import { applyUpdates } from "./collab";
import type { CellState, EvalState, Op, Output, SectionState, Snapshot, User } from "./protocol";

/** Names the server gives when an operation leaves them empty (package livemd). */
export const defaultSectionName = "Section";
export const defaultNotebookName = "Untitled notebook";

/** What a user sees as a cell's state. */
export type CellStatus = "fresh" | "queued" | "evaluating" | "evaluated" | "stale" | "error" | "aborted";

/** A cell of the replica. */
export interface Cell {
  id: string;
  kind: "markdown" | "code" | "smart";
  language: string;
  source: string;
  /** The version of source: how many updates made it. */
  version: number;
  /** Why the cell cannot be edited or evaluated here; "" when it can. */
  readOnly: string;
  /** Outputs saved in the notebook file. */
  saved: Output[];
  /** The latest evaluation in this session; a new object whenever it changes, except its stale flag. */
  eval: EvalState | undefined;
}

/** A section of the replica. */
export interface Section {
  id: string;
  name: string;
  branchParent: string;
  cells: Cell[];
}

/** What applying an operation changed, so views update only that. */
export type Change =
  | { kind: "structure"; cell?: string } // sections or cells were added, removed or moved
  | { kind: "section"; section: string } // a section's name
  | { kind: "source"; cell: string } // the cell's text: op carries the updates
  | { kind: "users"; cells?: string[] } // who is here, their names, or where their cursors are (in cells, when given)
  | { kind: "eval"; cell?: string } // evaluation state: of one cell, or of all
  | { kind: "output"; cell: string; prev: EvalState; outputs: Output[] } // outputs a running cell produced, after those of prev
  | { kind: "meta" } // the notebook's name, save state or clients
  | { kind: "none" };

/** Whether a cell can be edited and evaluated here. */
export function runnable(c: Cell): boolean {
  return c.kind === "code" && c.language === "go" && c.readOnly === "";
}

function languageName(lang: string): string {
  switch (lang) {
    case "go":
      return "Go";
    case "elixir":
      return "Elixir";
    case "erlang":
      return "Erlang";
    case "python":
      return "Python";
    case "":
      return "Unknown-language";
  }
  return lang;
}

function cellFrom(s: CellState): Cell {
  return {
    id: s.id,
    kind: s.kind,
    language: s.language ?? "",
    source: s.source,
    version: s.version ?? 0,
    readOnly: s.read_only ?? "",
    saved: s.outputs ?? [],
    eval: s.eval,
  };
}

function sectionFrom(s: SectionState): Section {
  return { id: s.id, name: s.name, branchParent: s.branch_parent ?? "", cells: s.cells.map(cellFrom) };
}

/**
 * Returns outputs followed by more, as the server merges streamed outputs: text
 * joins the text before it, and a frame update changes the frame with its id where
 * it is. It does not modify outputs.
 */
export function mergeOutputs(outputs: Output[], more: Output[]): Output[] {
  const out = [...outputs];
  for (const o of more) {
    if (o.type === "frame" && o.id) {
      const i = out.findIndex((x) => x.type === "frame" && x.id === o.id);
      const f = i >= 0 ? out[i] : undefined;
      if (f) {
        out[i] = { ...f, outputs: o.append ? [...(f.outputs ?? []), ...(o.outputs ?? [])] : (o.outputs ?? []) };
      } else {
        out.push({ ...o, append: false });
      }
      continue;
    }
    const last = out[out.length - 1];
    if (o.type === "text" && last && last.type === "text") {
      out[out.length - 1] = { ...last, text: (last.text ?? "") + (o.text ?? "") };
      continue;
    }
    out.push(o);
  }
  return out;
}

/** Clamps an optional index as the server's position() does: absent means the end. */
function position(index: number | undefined, n: number, insert: boolean): number {
  const limit = insert ? n : n - 1;
  if (index === undefined) return limit;
  return Math.max(0, Math.min(index, limit));
}

/** A session's notebook as this client knows it. */
export class Notebook {
  session: string;
  path: string;
  version: number;
  name: string;
  dirty: boolean;
  saveError: string;
  runtime: string;
  setup: Cell[];
  sections: Section[];
  clients: Set<string>;
  /** The people here, by client id. */
  users: Map<string, User>;
  warnings: string[];

  constructor(s: Snapshot) {
    this.session = s.session;
    this.path = s.path;
    this.version = s.version;
    this.name = s.name;
    this.dirty = s.dirty;
    this.saveError = s.save_error ?? "";
    this.runtime = s.runtime;
    this.setup = (s.setup ?? []).map(cellFrom);
    this.sections = (s.sections ?? []).map(sectionFrom);
    this.clients = new Set(s.clients ?? []);
    this.users = new Map((s.users ?? []).map((u) => [u.id, u]));
    this.warnings = s.warnings ?? [];
  }

  /** Returns the cell with id. */
  cell(id: string): Cell | undefined {
    return this.allCells().find((c) => c.id === id);
  }

  /** Returns the section with id. */
  section(id: string): Section | undefined {
    return this.sections.find((s) => s.id === id);
  }

  /** Returns the section holding the cell with id (null for a setup cell) and its index. */
  locate(id: string): { section: Section | null; index: number } | undefined {
    const si = this.setup.findIndex((c) => c.id === id);
    if (si >= 0) return { section: null, index: si };
    for (const s of this.sections) {
      const i = s.cells.findIndex((c) => c.id === id);
      if (i >= 0) return { section: s, index: i };
    }
    return undefined;
  }

  /** Returns every cell in notebook order: the setup cells, then each section's. */
  allCells(): Cell[] {
    return [...this.setup, ...this.sections.flatMap((s) => s.cells)];
  }

  /**
   * Returns the status of every cell. The session says which evaluated cells are
   * stale (their source, or that of a cell whose names they use, changed since
   * they ran, or the runtime restarted).
   */
  statuses(): Map<string, CellStatus> {
    const out = new Map<string, CellStatus>();
    for (const c of this.allCells()) {
      if (c.kind !== "code") continue;
      const e = c.eval;
      let st: CellStatus = "fresh";
      switch (e?.status) {
        case "queued":
          st = "queued";
          break;
        case "evaluating":
          st = "evaluating";
          break;
        case "error":
        case "crashed":
          st = e.stale ? "stale" : "error";
          break;
        case "aborted":
          st = "aborted";
          break;
        case "ok":
          st = e.stale ? "stale" : "evaluated";
          break;
      }
      out.set(c.id, st);
    }
    return out;
  }

  /** Reports whether any cell is queued or evaluating. */
  busy(): boolean {
    return this.allCells().some((c) => c.eval?.status === "queued" || c.eval?.status === "evaluating");
  }

  /** Reports whether any cell is stale. */
  anyStale(): boolean {
    return this.allCells().some((c) => c.eval?.stale === true);
  }

  /**
   * Applies an operation the session broadcast with version, and says what
   * changed. Operations that do not apply (which the server never broadcasts)
   * change nothing.
   */
  apply(op: Op, version: number): Change {
    this.version = version;
    switch (op.op) {
      case "insert_section": {
        if (!op.section_id) return { kind: "none" };
        const i = position(op.index, this.sections.length, true);
        const s: Section = { id: op.section_id, name: op.name || defaultSectionName, branchParent: "", cells: [] };
        this.sections.splice(i, 0, s);
        this.dirty = true;
        return { kind: "structure" };
      }
      case "delete_section": {
        const i = this.sections.findIndex((s) => s.id === op.section_id);
        if (i < 0) return { kind: "none" };
        const [gone] = this.sections.splice(i, 1);
        for (const s of this.sections) if (s.branchParent === gone?.id) s.branchParent = "";
        this.dirty = true;
        return { kind: "structure" };
      }
      case "move_section": {
        const i = this.sections.findIndex((s) => s.id === op.section_id);
        if (i < 0) return { kind: "none" };
        const j = position(op.index, this.sections.length, false);
        const [s] = this.sections.splice(i, 1);
        if (s) this.sections.splice(j, 0, s);
        this.dirty = true;
        return { kind: "structure" };
      }
      case "rename_section": {
        const s = this.section(op.section_id ?? "");
        if (!s) return { kind: "none" };
        s.name = op.name || defaultSectionName;
        this.dirty = true;
        return { kind: "section", section: s.id };
      }
      case "rename_notebook":
        this.name = op.name || defaultNotebookName;
        this.dirty = true;
        return { kind: "meta" };
      case "insert_cell": {
        const s = this.section(op.section_id ?? "");
        if (!s || !op.cell_id) return { kind: "none" };
        const kind = op.kind === "markdown" ? "markdown" : "code";
        const language = kind === "code" ? op.language || "go" : "";
        const c: Cell = {
          id: op.cell_id,
          kind,
          language,
          source: op.source ?? "",
          version: 0,
          readOnly:
            kind === "code" && language !== "go"
              ? `${languageName(language)} cell: gonx runs Go cells only; shown read-only`
              : "",
          saved: [],
          eval: undefined,
        };
        s.cells.splice(position(op.index, s.cells.length, true), 0, c);
        this.dirty = true;
        return { kind: "structure", cell: c.id };
      }
      case "delete_cell": {
        const at = this.locate(op.cell_id ?? "");
        if (!at || !at.section) return { kind: "none" };
        at.section.cells.splice(at.index, 1);
        this.dirty = true;
        return { kind: "structure" };
      }
      case "move_cell": {
        const at = this.locate(op.cell_id ?? "");
        if (!at || !at.section) return { kind: "none" };
        const to = op.section_id ? this.section(op.section_id) : at.section;
        if (!to) return { kind: "none" };
        const [c] = at.section.cells.splice(at.index, 1);
        if (!c) return { kind: "none" };
        to.cells.splice(position(op.index, to.cells.length + 1, false), 0, c);
        this.dirty = true;
        return { kind: "structure", cell: c.id };
      }
      case "set_cell_source":
      case "cell_update": {
        // Updates from doc_version on; the session sends them in order, so they
        // start at the cell's version.
        const c = this.cell(op.cell_id ?? "");
        if (!c) return { kind: "none" };
        const from = op.doc_version ?? 0;
        const updates = op.updates ?? [];
        if (op.op === "set_cell_source") c.source = op.source ?? "";
        else if (from <= c.version) c.source = applyUpdates(c.source, updates.slice(c.version - from));
        c.version = Math.max(c.version, from + updates.length);
        this.dirty = true;
        return { kind: "source", cell: c.id };
      }
      case "evaluate_cell": {
        const c = this.cell(op.cell_id ?? "");
        if (!c) return { kind: "none" };
        c.eval = { status: "queued" };
        return { kind: "eval", cell: c.id };
      }
      case "evaluation_started": {
        const c = this.cell(op.cell_id ?? "");
        if (!c || !c.eval) return { kind: "none" };
        c.eval = { ...c.eval, status: "evaluating" };
        return { kind: "eval", cell: c.id };
      }
      case "evaluation_output": {
        // Outputs a running cell produced since the last: text is appended, and
        // frames change in place.
        const c = this.cell(op.cell_id ?? "");
        if (!c || !c.eval) return { kind: "none" };
        const more = op.outputs ?? [];
        const prev = c.eval;
        c.eval = { ...prev, outputs: mergeOutputs(prev.outputs ?? [], more) };
        return { kind: "output", cell: c.id, prev, outputs: more };
      }
      case "evaluation_finished": {
        const c = this.cell(op.cell_id ?? "");
        if (!c) return { kind: "none" };
        const st: EvalState = { status: op.status ?? "ok" };
        if (op.outputs) st.outputs = op.outputs;
        if (op.error) st.error = op.error;
        if (op.duration_ms !== undefined) st.duration_ms = op.duration_ms;
        if (op.defined) st.defined = op.defined;
        if (op.used) st.used = op.used;
        c.eval = st;
        return { kind: "eval", cell: c.id };
      }
      case "cells_stale": {
        const stale = new Set(op.cell_ids ?? []);
        for (const c of this.allCells()) if (c.eval) c.eval.stale = stale.has(c.id);
        return { kind: "eval" };
      }
      case "client_joined":
        if (op.client) this.clients.add(op.client);
        if (op.user) this.users.set(op.user.id, op.user);
        return { kind: "users" };
      case "client_left":
        if (op.client) {
          this.clients.delete(op.client);
          this.users.delete(op.client);
        }
        return { kind: "users" };
      case "presence":
      case "set_user": {
        if (!op.user || !this.clients.has(op.user.id)) return { kind: "none" };
        const before = this.users.get(op.user.id)?.selection?.cell_id;
        this.users.set(op.user.id, op.user);
        const cells = [before, op.user.selection?.cell_id].filter((c): c is string => c !== undefined);
        return op.op === "presence" ? { kind: "users", cells } : { kind: "users" };
      }
      case "pull_updates":
        return { kind: "none" };
      case "notebook_saved":
        if (op.error) {
          this.saveError = op.error;
        } else {
          this.dirty = false;
          this.saveError = "";
        }
        return { kind: "meta" };
      case "restart_runtime":
      case "interrupt":
      case "evaluate_stale":
        // What they change arrives as operations of their own.
        return { kind: "none" };
    }
    return { kind: "none" };
  }
}
