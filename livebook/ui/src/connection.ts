// The websocket connection to a notebook's session: the snapshot on joining, the
// ordered stream of operations after it, and reconnection with a fresh snapshot
// whenever the connection drops or a version is missed. (Cells' editors then
// catch up on the text updates they missed: collab.ts.)

import { APIError, openSession } from "./api";
import type { Message, Op, Snapshot } from "./protocol";

/** The state of a connection, for the user. */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "unauthorized" | "failed" | "closed";

/** What a Connection reports to its owner. */
export interface ConnectionHandlers {
  /** A fresh snapshot: replace all state with it. */
  snapshot(s: Snapshot): void;
  /** The next operation, in order; mine says whether this client sent it. */
  op(op: Op, version: number, mine: boolean): void;
  /** Updates of a cell's text that this client asked for (pull_updates). */
  catchUp(op: Op): void;
  /**
   * The server refused an operation this client sent (ref names it), or a
   * message; code says why, for refusals the client recovers from.
   */
  error(message: string, ref?: string, code?: string): void;
  /** The connection's state changed; detail says why, for failures. */
  state(state: ConnectionState, detail?: string): void;
}

const minDelay = 250;
const maxDelay = 5000;

let refCounter = 0;

/** A connection to the session of the notebook at a path, reconnecting until closed. */
export class Connection {
  /** The id the session gave this client, from the snapshot. */
  clientId = "";

  private ws: WebSocket | null = null;
  private version = -1;
  private closed = false;
  private delay = minDelay;
  private timer: number | undefined;
  private readonly prefix = `${Math.random().toString(36).slice(2, 8)}-`;

  constructor(
    readonly path: string,
    private readonly h: ConnectionHandlers,
    /** The query of the websocket URL: who the user is (name, avatar). */
    private readonly query: () => Record<string, string> = () => ({}),
  ) {
    void this.connect();
  }

  /** Reports whether the connection is open, so that operations can be sent. */
  get open(): boolean {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN && this.version >= 0;
  }

  /**
   * Sends an operation and returns the ref it carries, or "" when the connection
   * is not open (the operation is dropped; the next snapshot tells the truth).
   */
  send(op: Op): string {
    if (!this.open || !this.ws) return "";
    const ref = `${this.prefix}${++refCounter}`;
    this.ws.send(JSON.stringify({ ...op, ref }));
    return ref;
  }

  /** Drops the connection and makes a new one, which starts with a fresh snapshot. */
  resync(): void {
    if (this.closed) return;
    this.drop();
    void this.connect();
  }

  /** Closes the connection for good. */
  close(): void {
    this.closed = true;
    window.clearTimeout(this.timer);
    this.drop();
    this.h.state("closed");
  }

  private drop(): void {
    const ws = this.ws;
    this.ws = null;
    this.version = -1;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      ws.close();
    }
  }

  private async connect(): Promise<void> {
    window.clearTimeout(this.timer);
    this.h.state(this.delay === minDelay ? "connecting" : "reconnecting");
    let wsPath: string;
    try {
      // Opening again is harmless, and finds the session after a server restart.
      wsPath = (await openSession(this.path)).ws;
    } catch (err) {
      if (this.closed) return;
      if (err instanceof APIError && err.unauthorized) {
        this.h.state("unauthorized", err.message);
        return;
      }
      if (err instanceof APIError && err.status >= 400 && err.status < 500) {
        this.h.state("failed", err.message);
        return;
      }
      this.retry(err instanceof Error ? err.message : String(err));
      return;
    }
    if (this.closed) return;
    const url = new URL(wsPath, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    for (const [k, v] of Object.entries(this.query())) if (v) url.searchParams.set(k, v);
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onmessage = (ev) => this.receive(ev);
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.version = -1;
      this.retry(ev.reason || "connection lost");
    };
  }

  private retry(why: string): void {
    if (this.closed) return;
    this.h.state("reconnecting", why);
    this.timer = window.setTimeout(() => void this.connect(), this.delay);
    this.delay = Math.min(this.delay * 2, maxDelay);
  }

  private receive(ev: MessageEvent): void {
    let m: Message;
    try {
      m = JSON.parse(String(ev.data)) as Message;
    } catch {
      this.h.error("the server sent a message that is not JSON");
      return;
    }
    switch (m.type) {
      case "snapshot":
        this.version = m.version;
        this.clientId = m.client ?? "";
        this.delay = minDelay;
        this.h.snapshot(m.snapshot);
        this.h.state("open");
        return;
      case "op": {
        if (this.version < 0) return; // before the snapshot: cannot happen
        if (m.version <= this.version) return; // seen already
        if (m.version !== this.version + 1) {
          // A gap: some operation never arrived. Start again from a snapshot.
          this.resync();
          return;
        }
        this.version = m.version;
        const mine = m.op.ref !== undefined && m.op.ref.startsWith(this.prefix);
        this.h.op(m.op, m.version, mine);
        return;
      }
      case "catch_up":
        if (this.version >= 0) this.h.catchUp(m.op);
        return;
      case "error":
        this.h.error(m.error, m.ref, m.code);
        return;
    }
  }
}
