// Collaborative editing of a cell's text with @codemirror/collab, the session
// being the authority (livebook/server/collab.go): the editor sends the updates
// made on the version it has, the session applies them only at its current
// version and broadcasts them, and every editor receives them in order,
// rebasing its own unconfirmed changes. Also the other people's cursors and
// selections, drawn in their colours.

import { collab, getSyncedVersion, receiveUpdates, sendableUpdates } from "@codemirror/collab";
import { ChangeSet, EditorSelection, StateEffect, StateField, Text, type EditorState, type Extension } from "@codemirror/state";
import { Decoration, EditorView, WidgetType, type DecorationSet } from "@codemirror/view";
import type { Update, User } from "./protocol";

/** The extensions that make an editor a collaborator at a version of the text. */
export function collaboration(startVersion: number, clientID: string): Extension {
  return [collab({ startVersion, clientID }), remoteField, remoteTheme];
}

/** Updates as the session sends them, made into collab's. */
export function fromWire(updates: readonly Update[]): { changes: ChangeSet; clientID: string }[] {
  return updates.map((u) => ({ changes: ChangeSet.fromJSON(u.changes), clientID: u.client_id }));
}

/** The editor's unconfirmed updates, as the session takes them. */
export function pending(state: EditorState): Update[] {
  return sendableUpdates(state).map((u) => ({ changes: u.changes.toJSON(), client_id: u.clientID }));
}

/** The version of the text the editor has from the session. */
export function syncedVersion(state: EditorState): number {
  return getSyncedVersion(state);
}

/**
 * Applies updates that start at version from to the editor, skipping those it
 * has already; it returns false when there is a gap (from is past the editor's
 * version), so the missing ones must be asked for.
 */
export function receive(view: EditorView, from: number, updates: readonly Update[]): boolean {
  const synced = getSyncedVersion(view.state);
  if (from > synced) return false;
  const fresh = updates.slice(synced - from);
  if (fresh.length > 0) view.dispatch(receiveUpdates(view.state, fromWire(fresh)));
  return true;
}

/** Returns text with updates applied, as the session does; lines split as CodeMirror does. */
export function applyUpdates(text: string, updates: readonly Update[]): string {
  let doc = Text.of(text.split(/\r\n?|\n/));
  for (const u of updates) doc = ChangeSet.fromJSON(u.changes).apply(doc);
  return doc.toString();
}

/**
 * Returns the change that turns the editor's text into text, touching only the
 * stretch that differs.
 */
export function replacement(old: string, text: string): { from: number; to: number; insert: string } {
  let start = 0;
  const max = Math.min(old.length, text.length);
  while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let endOld = old.length;
  let endNew = text.length;
  while (endOld > start && endNew > start && old.charCodeAt(endOld - 1) === text.charCodeAt(endNew - 1)) {
    endOld--;
    endNew--;
  }
  return { from: start, to: endOld, insert: text.slice(start, endNew) };
}

/** Another person's cursor in the editor. */
export interface RemoteCursor {
  user: User;
  anchor: number;
  head: number;
}

/** Replaces the remote cursors the editor shows. */
const setRemote = StateEffect.define<RemoteCursor[]>();

/** Shows the cursors and selections of other people in the editor. */
export function showRemote(view: EditorView, cursors: RemoteCursor[]): void {
  view.dispatch({ effects: setRemote.of(cursors) });
}

class CursorWidget extends WidgetType {
  constructor(
    readonly name: string,
    readonly color: string,
  ) {
    super();
  }
  override eq(o: CursorWidget): boolean {
    return o.name === this.name && o.color === this.color;
  }
  toDOM(): HTMLElement {
    const el = document.createElement("span");
    el.className = "cm-remote-cursor";
    el.style.borderLeftColor = this.color;
    el.setAttribute("aria-hidden", "true");
    // The name shows through CSS, so it is no part of the editor's text content.
    const label = document.createElement("span");
    label.className = "cm-remote-name";
    label.style.backgroundColor = this.color;
    label.dataset["name"] = this.name;
    el.appendChild(label);
    return el;
  }
  override ignoreEvent(): boolean {
    return true;
  }
}

function decorations(cursors: RemoteCursor[], len: number): DecorationSet {
  const ranges = [];
  for (const c of cursors) {
    const anchor = Math.min(Math.max(c.anchor, 0), len);
    const head = Math.min(Math.max(c.head, 0), len);
    const attrs = { "data-user-id": c.user.id };
    if (anchor !== head) {
      const sel = EditorSelection.range(anchor, head);
      ranges.push(
        Decoration.mark({
          class: "cm-remote-selection",
          attributes: { ...attrs, style: `background-color: ${c.user.color}33` },
        }).range(sel.from, sel.to),
      );
    }
    ranges.push(
      Decoration.widget({ widget: new CursorWidget(c.user.name, c.user.color), side: 1, ...attrs }).range(head),
    );
  }
  return Decoration.set(ranges, true);
}

// The remote cursors, moved along with every change to the text.
const remoteField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) if (e.is(setRemote)) deco = decorations(e.value, tr.state.doc.length);
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const remoteTheme = EditorView.baseTheme({
  ".cm-remote-cursor": {
    position: "relative",
    borderLeft: "2px solid",
    marginLeft: "-1px",
    marginRight: "-1px",
  },
  ".cm-remote-name": {
    position: "absolute",
    top: "-1.25em",
    left: "-2px",
    fontSize: "10px",
    lineHeight: "1.2",
    padding: "0 3px",
    borderRadius: "3px 3px 3px 0",
    color: "white",
    whiteSpace: "nowrap",
    pointerEvents: "none",
    fontFamily: "var(--sans, sans-serif)",
  },
  ".cm-remote-name::after": { content: "attr(data-name)" },
});
