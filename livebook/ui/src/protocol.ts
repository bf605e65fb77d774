// Types of the server's JSON API and websocket messages. They mirror the Go types
// in livebook/server (notebook.go, ops.go, evaluator.go, store.go, api.go); keep
// them in step.

/** An output of a cell (server.Output). */
export interface Output {
  /** "text", "markdown", "image", "vega-lite", ... */
  type: string;
  /** Media type of data, for binary outputs such as images. */
  mime?: string;
  /** The output, for textual types. */
  text?: string;
  /** The output, base64, for binary types. */
  data?: string;
  /** A frame's id (type "frame"): later updates change the frame in place. */
  id?: string;
  /** A frame's content; in a streamed update, what replaces it (or follows it, with append). */
  outputs?: Output[];
  /** A streamed frame update that adds to the frame's content. */
  append?: boolean;
}

/** Evaluation statuses (server.Status*). */
export type EvalStatus = "queued" | "evaluating" | "ok" | "error" | "crashed" | "aborted";

/** A cell's latest evaluation in the session (server.EvalState). */
export interface EvalState {
  status: EvalStatus;
  outputs?: Output[];
  error?: string;
  duration_ms?: number;
  /** Names the cell bound, and names of earlier cells it read. */
  defined?: string[];
  used?: string[];
  /** The evaluation is out of date: the cell, or one whose names it uses, changed, or the runtime restarted. */
  stale?: boolean;
}

/** A cell of a snapshot (server.CellState). */
export interface CellState {
  id: string;
  kind: "markdown" | "code" | "smart";
  language?: string;
  source: string;
  /** The version of the text: how many updates made it (collaborative editing). */
  version: number;
  /** Why the cell cannot be edited or evaluated here; absent when it can. */
  read_only?: string;
  /** Outputs saved in the notebook file. */
  outputs?: Output[];
  eval?: EvalState;
}

/** A section of a snapshot (server.SectionState). */
export interface SectionState {
  id: string;
  name: string;
  branch_parent?: string;
  cells: CellState[];
}

/** The whole state of a session (server.Snapshot). */
export interface Snapshot {
  session: string;
  path: string;
  version: number;
  name: string;
  dirty: boolean;
  save_error?: string;
  runtime: string;
  setup: CellState[];
  sections: SectionState[];
  clients: string[];
  /** The people connected, one per client. */
  users: User[];
  warnings?: string[];
  /** Values of the notebook's kino inputs, by input id. */
  inputs?: Record<string, unknown>;
}

/** A person connected to a session (server.User). */
export interface User {
  /** The client id of their connection. */
  id: string;
  name: string;
  /** Their colour, as CSS. */
  color: string;
  /** The URL of their picture; without one, their initials show. */
  avatar?: string;
  /** Where their cursor is, while they edit a cell. */
  selection?: Selection;
}

/** A user's cursor and selection in a cell's text (UTF-16 offsets). */
export interface Selection {
  cell_id: string;
  anchor: number;
  head: number;
}

/** A change to a cell's text, as @codemirror/collab makes it (server.Update). */
export interface Update {
  /** A ChangeSet in CodeMirror's JSON form. */
  changes: unknown;
  /** The editor that made it; "" for the session. */
  client_id: string;
}

/** Names of operations (server.Op* constants). */
export type OpName =
  | "insert_section"
  | "delete_section"
  | "move_section"
  | "rename_section"
  | "rename_notebook"
  | "insert_cell"
  | "delete_cell"
  | "move_cell"
  | "set_cell_source"
  | "cell_update"
  | "pull_updates"
  | "presence"
  | "set_user"
  | "evaluate_cell"
  | "evaluate_stale"
  | "interrupt"
  | "restart_runtime"
  | "set_input"
  | "evaluation_started"
  | "evaluation_output"
  | "evaluation_finished"
  | "cells_stale"
  | "client_joined"
  | "client_left"
  | "notebook_saved";

/** An operation (server.Op); fields an operation does not use are absent. */
export interface Op {
  op: OpName;
  ref?: string;
  client?: string;
  section_id?: string;
  cell_id?: string;
  /** For cells_stale: every cell now stale (absent: none). */
  cell_ids?: string[];
  index?: number;
  kind?: "markdown" | "code";
  language?: string;
  source?: string;
  name?: string;
  status?: EvalStatus;
  outputs?: Output[];
  error?: string;
  duration_ms?: number;
  defined?: string[];
  used?: string[];
  /** The version of the cell's text that updates apply to (absent: 0). */
  doc_version?: number;
  /** Changes to a cell's text, in order. */
  updates?: Update[];
  /** Where the sender's cursor is (presence); absent: not editing. */
  selection?: Selection;
  /** The sender's picture URL (set_user). */
  avatar?: string;
  /** The sender as the session knows it (client_joined, presence, set_user). */
  user?: User;
  /** For set_input: the kino input's id (its label) and its value. */
  input_id?: string;
  value?: string | number;
}

/** What the server sends on a session's websocket (server.Message). */
export type Message =
  | { type: "snapshot"; version: number; snapshot: Snapshot; client: string }
  | { type: "op"; version: number; op: Op }
  | { type: "catch_up"; version: number; op: Op }
  | { type: "error"; version: number; ref?: string; error: string; code?: "stale" | "too_old" };

/** A notebook file under the root (server.NotebookInfo). */
export interface NotebookInfo {
  path: string;
  size: number;
  modified: string;
}

/** An open session (server.SessionInfo). */
export interface SessionInfo {
  id: string;
  path: string;
  ws: string;
}

/** A request for help editing a Go cell (server.AssistRequest). */
export interface AssistRequest {
  kind: "complete" | "hover" | "signature";
  /** The cell's text as the editor holds it. */
  source: string;
  /** An offset in source, in UTF-16 code units (CodeMirror's positions). */
  pos: number;
}

/** A completion (server.CompletionItem). */
export interface CompletionItem {
  label: string;
  /** What choosing it writes, when not the label. */
  insert?: string;
  /** A CodeMirror completion type: "function", "variable", "type", ... */
  kind?: string;
  detail?: string;
  /** Documentation, Markdown. */
  doc?: string;
}

/** The answer to an AssistRequest (server.AssistResult). */
export interface AssistResult {
  /** The text completions replace, or the name a hover is about. */
  from: number;
  to: number;
  items?: CompletionItem[];
  /** Hover documentation, or the signature's function's, Markdown. */
  doc?: string;
  /** The signature of the call around pos; empty outside calls. */
  label?: string;
  /** Parameters' [start, end) offsets in label; active is the one at pos, or -1. */
  params?: [number, number][];
  active: number;
  /** Why the runtime cannot help (gopls is not installed, ...); the rest is empty. */
  unavailable?: string;
}
