// CodeMirror 6 editors for cells: Go with highlighting for code cells, plain
// wrapped text for Markdown and for languages gonx does not run. Features such
// as collaboration (collab.ts) come in as extra extensions.

import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { go } from "@codemirror/lang-go";
import { bracketMatching, defaultHighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorState, Transaction, type Extension } from "@codemirror/state";
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers, placeholder } from "@codemirror/view";

/** How a cell's editor behaves. */
export interface EditorOptions {
  /** The initial text. */
  doc: string;
  /** "go" highlights Go; anything else is plain text. */
  language: string;
  /** Shows the text without letting it change. */
  readOnly: boolean;
  /** Wraps long lines (Markdown) instead of scrolling (code). */
  wrap?: boolean;
  /** Text shown while the editor is empty. */
  placeholder?: string;
  /** Called after the user changes the text (not after remote changes). */
  onChange?: (text: string) => void;
  /** Shift+Enter or Ctrl/Cmd+Enter. */
  onEvaluate?: () => void;
  /** Escape. */
  onEscape?: () => void;
  /** The editor lost focus. */
  onBlur?: () => void;
  /** The cursor or selection moved, or the focus came or went. */
  onSelection?: (anchor: number, head: number, focused: boolean) => void;
  /** More extensions, such as completion (completion.ts) and collaboration (collab.ts). */
  extensions?: Extension[];
}

// The editors' look; a theme, so that it outranks CodeMirror's base theme.
const theme = EditorView.theme({
  "&": { fontSize: "13.5px", backgroundColor: "transparent" },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.6" },
  ".cm-gutters": { backgroundColor: "transparent", border: "none", color: "#b6bcc8" },
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "transparent" },
  "&.cm-focused .cm-activeLine": { backgroundColor: "#f5f7ff" },
  "&.cm-focused .cm-activeLineGutter": { backgroundColor: "#f5f7ff", color: "#6b7280" },
  ".cm-placeholder": { color: "#9ca3af" },
});

/** Creates an editor in parent. */
export function createEditor(parent: HTMLElement, o: EditorOptions): EditorView {
  const run = (f?: () => void) => () => {
    if (!f) return false;
    f();
    return true;
  };
  const ext: Extension[] = [
    keymap.of([
      { key: "Shift-Enter", run: run(o.onEvaluate) },
      { key: "Mod-Enter", run: run(o.onEvaluate) },
      { key: "Escape", run: run(o.onEscape) },
    ]),
    theme,
    history(),
    drawSelection(),
    EditorState.tabSize.of(4),
    EditorState.readOnly.of(o.readOnly),
    EditorView.editable.of(!o.readOnly),
    EditorView.contentAttributes.of({ "aria-label": o.readOnly ? "cell source (read-only)" : "cell source" }),
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.updateListener.of((u) => {
      if (u.docChanged && o.onChange && !u.transactions.some((t) => t.annotation(Transaction.remote))) {
        o.onChange(u.state.doc.toString());
      }
    }),
    EditorView.updateListener.of((u) => {
      if (o.onSelection && (u.selectionSet || u.focusChanged || u.docChanged)) {
        const r = u.state.selection.main;
        o.onSelection(r.anchor, r.head, u.view.hasFocus);
      }
    }),
    EditorView.domEventHandlers({
      blur: () => {
        o.onBlur?.();
        return false;
      },
    }),
  ];
  if (o.language === "go") {
    ext.push(
      go(),
      indentUnit.of("\t"),
      lineNumbers(),
      highlightActiveLine(),
      indentOnInput(),
      bracketMatching(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    );
  }
  if (o.extensions) ext.push(...o.extensions);
  if (o.wrap) ext.push(EditorView.lineWrapping);
  if (o.placeholder) ext.push(placeholder(o.placeholder));
  return new EditorView({ parent, state: EditorState.create({ doc: o.doc, extensions: ext }) });
}
