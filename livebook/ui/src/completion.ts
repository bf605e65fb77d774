// Help editing Go cells from gopls, through the session's runtime: completion as
// one types (earlier cells' names included), documentation on hover, and the
// signature of the call around the cursor. The server answers POST
// /api/sessions/{id}/assist; when it cannot help (gopls is not installed, the
// runtime does not offer it) the editor says so once, asks again only now and
// then, and works as before.

import { autocompletion, type Completion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { StateEffect, StateField, type Extension } from "@codemirror/state";
import { EditorView, hoverTooltip, keymap, showTooltip, type Tooltip, type TooltipView } from "@codemirror/view";
import { APIError, assist, openSession } from "./api";
import { h } from "./dom";
import { renderMarkdown } from "./markdown";
import type { AssistRequest, AssistResult } from "./protocol";

/** Characters of a Go identifier. */
const identRE = /[\p{L}\p{N}_]*$/u;

/** How long to wait before asking again a runtime that could not help, in ms. */
const retryDelay = 30_000;

/** Asks the server, one request of each kind at a time, for one notebook. */
class AssistClient {
  private session: Promise<string> | null = null;
  private readonly inflight = new Map<string, AbortController>();
  /** Why help is unavailable, once the server said so; shown once. */
  unavailable = "";
  private told = false;
  private retryAt = 0;

  constructor(private readonly path: string) {}

  private sessionId(): Promise<string> {
    this.session ??= openSession(this.path).then((s) => s.id);
    return this.session;
  }

  /** Asks, cancelling the previous request of the same kind; null when superseded, failed or unavailable. */
  async ask(req: AssistRequest): Promise<AssistResult | null> {
    if (this.unavailable && Date.now() < this.retryAt) return null;
    this.inflight.get(req.kind)?.abort();
    const ctl = new AbortController();
    this.inflight.set(req.kind, ctl);
    try {
      const id = await this.sessionId();
      const res = await assist(id, req, ctl.signal);
      if (res.unavailable) {
        // Say it once; ask again now and then, in case it changed (a runtime restart).
        if (res.unavailable !== this.unavailable) this.told = false;
        this.unavailable = res.unavailable;
        this.retryAt = Date.now() + retryDelay;
        return null;
      }
      this.unavailable = "";
      return res;
    } catch (err) {
      if (err instanceof APIError && (err.status === 404 || err.status === 410)) {
        this.session = null; // the session closed; the next request opens it again
      }
      return null;
    } finally {
      if (this.inflight.get(req.kind) === ctl) this.inflight.delete(req.kind);
    }
  }

  /** Returns the reason help is unavailable if it was not shown yet (or always, when asked). */
  notice(always: boolean): string {
    if (!this.unavailable || (this.told && !always)) return "";
    this.told = true;
    return this.unavailable;
  }
}

/** Shows or hides the signature or notice tooltip. */
const setTip = StateEffect.define<Tooltip | null>();

/** The tooltip above the cursor: a call's signature, or why help is unavailable. */
const tipField = StateField.define<Tooltip | null>({
  create: () => null,
  update(tip, tr) {
    for (const e of tr.effects) if (e.is(setTip)) return e.value;
    if (tip && tr.docChanged) return { ...tip, pos: tr.changes.mapPos(tip.pos) };
    return tip;
  },
  provide: (f) => showTooltip.from(f),
});

function tipView(dom: HTMLElement): () => TooltipView {
  return () => ({ dom });
}

/** A tooltip that says why completion and documentation are unavailable. */
function noticeTip(pos: number, msg: string): Tooltip {
  return {
    pos,
    above: true,
    create: tipView(h("div", { class: "cm-assist-notice", role: "status" }, "Completion unavailable: ", msg)),
  };
}

/** The completion source. */
function completionSource(client: AssistClient) {
  return async (ctx: CompletionContext): Promise<CompletionResult | null> => {
    const word = ctx.matchBefore(identRE);
    const afterDot = ctx.matchBefore(/\.[\p{L}\p{N}_]*$/u) !== null;
    if (!ctx.explicit && !afterDot && (!word || word.from === word.to)) return null;
    const res = await client.ask({ kind: "complete", source: ctx.state.doc.toString(), pos: ctx.pos });
    if (ctx.aborted) return null;
    if (!res) {
      const msg = client.notice(ctx.explicit);
      if (msg) ctx.view?.dispatch({ effects: setTip.of(noticeTip(ctx.pos, msg)) });
      return null;
    }
    const items = res.items ?? [];
    if (items.length === 0) return null;
    const options: Completion[] = items.map((it, i) => ({
      label: it.label,
      apply: it.insert,
      type: it.kind,
      detail: it.detail,
      info: it.doc ? () => renderMarkdown(it.doc ?? "", "cm-assist-doc markdown") : undefined,
      // gopls ranks them: keep its order among equally good matches.
      boost: Math.max(-99, 99 - i),
    }));
    return { from: res.from, to: Math.max(res.to, ctx.pos), options, validFor: /^[\p{L}\p{N}_]*$/u };
  };
}

/** The hover tooltip: gopls's documentation of the name under the pointer. */
function hoverSource(client: AssistClient) {
  return async (view: EditorView, pos: number): Promise<Tooltip | null> => {
    const res = await client.ask({ kind: "hover", source: view.state.doc.toString(), pos });
    if (!res?.doc) return null;
    const doc = res.doc;
    return {
      pos: res.from,
      end: Math.max(res.to, res.from),
      above: true,
      create: () => ({ dom: renderMarkdown(doc, "cm-assist-doc cm-assist-hover markdown") }),
    };
  };
}

/** Reports whether pos is probably inside a call's parentheses, looking back a little. */
function inCall(text: string, pos: number): boolean {
  let depth = 0;
  for (let i = pos - 1; i >= 0 && i >= pos - 2000; i--) {
    const c = text[i];
    if (c === ")" || c === "]" || c === "}") depth++;
    else if (c === "(" || c === "[" || c === "{") {
      if (depth === 0) return c === "(";
      depth--;
    }
  }
  return false;
}

/** The element that shows a signature, its active parameter emphasized. */
function signatureDOM(res: AssistResult): HTMLElement {
  const label = res.label ?? "";
  const span = res.params && res.active >= 0 ? res.params[res.active] : undefined;
  const sig = span
    ? h(
        "code",
        { class: "cm-assist-sig" },
        label.slice(0, span[0]),
        h("strong", { class: "cm-assist-param" }, label.slice(span[0], span[1])),
        label.slice(span[1]),
      )
    : h("code", { class: "cm-assist-sig" }, label);
  const first = (res.doc ?? "").split(/\n\s*\n/)[0];
  return h(
    "div",
    { class: "cm-assist-signature" },
    sig,
    first ? renderMarkdown(first, "cm-assist-doc markdown") : null,
  );
}

/** Signature help: while the cursor is in a call, its signature shows above it. */
function signatureHelp(client: AssistClient): Extension {
  let timer: number | undefined;
  let asked = 0;
  const update = (view: EditorView) => {
    const sel = view.state.selection.main;
    const text = view.state.doc.toString();
    const shown = view.state.field(tipField);
    if (!sel.empty || !inCall(text, sel.head)) {
      if (shown) view.dispatch({ effects: setTip.of(null) });
      return;
    }
    const n = ++asked;
    void client.ask({ kind: "signature", source: text, pos: sel.head }).then((res) => {
      if (n !== asked || view.state.doc.toString() !== text) return;
      const tip: Tooltip | null = res?.label
        ? { pos: sel.head, above: true, create: tipView(signatureDOM(res)) }
        : null;
      if (tip || view.state.field(tipField)) view.dispatch({ effects: setTip.of(tip) });
    });
  };
  return [
    tipField,
    EditorView.updateListener.of((u) => {
      if (!u.docChanged && !u.selectionSet) return;
      if (u.docChanged && u.state.field(tipField) && !inCall(u.state.doc.toString(), u.state.selection.main.head)) {
        // Hide at once when the call closes; otherwise wait for the new signature.
        u.view.dispatch({ effects: setTip.of(null) });
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(() => update(u.view), 150);
    }),
    EditorView.domEventHandlers({
      blur: (_e, view) => {
        window.clearTimeout(timer);
        asked++;
        if (view.state.field(tipField)) view.dispatch({ effects: setTip.of(null) });
        return false;
      },
    }),
    keymap.of([
      {
        key: "Escape",
        run: (view) => {
          if (!view.state.field(tipField)) return false;
          asked++;
          view.dispatch({ effects: setTip.of(null) });
          return true;
        },
      },
    ]),
  ];
}

/** The look of the tooltips. */
const assistTheme = EditorView.baseTheme({
  ".cm-tooltip.cm-tooltip-autocomplete > ul": { fontFamily: "var(--mono)", maxHeight: "16em" },
  ".cm-assist-doc": { maxWidth: "36em", maxHeight: "20em", overflow: "auto", padding: "2px 8px", fontSize: "12.5px" },
  ".cm-assist-doc pre": { whiteSpace: "pre-wrap" },
  ".cm-assist-signature": { padding: "2px 6px", maxWidth: "40em" },
  ".cm-assist-sig": { fontFamily: "var(--mono)", fontSize: "12.5px" },
  ".cm-assist-param": { textDecoration: "underline" },
  ".cm-assist-notice": { padding: "2px 8px", fontSize: "12.5px", color: "#92400e", maxWidth: "36em" },
});

/** One client per notebook, shared by its cells. */
const clients = new Map<string, AssistClient>();

/** The completion, hover and signature extensions for the Go cells of the notebook at path. */
export function goAssist(path: string): Extension[] {
  let client = clients.get(path);
  if (!client) {
    client = new AssistClient(path);
    clients.set(path, client);
  }
  return [
    autocompletion({ override: [completionSource(client)], activateOnTypingDelay: 80 }),
    hoverTooltip(hoverSource(client), { hoverTime: 350 }),
    signatureHelp(client),
    assistTheme,
  ];
}
