// The home page: the notebooks under the server's root, the open sessions, and a
// form that creates a notebook.

import { APIError, closeSession, createNotebook, deleteNotebook, importNotebook, listNotebooks, listSessions } from "./api";
import { formatAge, formatBytes, h } from "./dom";
import type { NotebookInfo, SessionInfo } from "./protocol";

/** Returns the address of the notebook page for path. */
export function notebookHash(path: string): string {
  return `#/notebook/${path.split("/").map(encodeURIComponent).join("/")}`;
}

/** Turns a title into a file name: "My notebook!" → "my-notebook.livemd". */
export function fileName(title: string): string {
  const base = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${base || "notebook"}.livemd`;
}

/** The list of notebooks. */
export class ListView {
  readonly el: HTMLElement;
  private readonly listEl: HTMLElement;
  private readonly sessionsEl: HTMLElement;
  private readonly errorEl: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly hint: HTMLElement;
  private readonly importDialog: HTMLDialogElement;

  constructor(private readonly navigate: (hash: string) => void) {
    this.input = h("input", {
      class: "new-title",
      type: "text",
      placeholder: "Title of a new notebook",
      "aria-label": "Title of a new notebook",
      maxlength: 200,
    });
    this.hint = h("span", { class: "hint" });
    this.input.addEventListener("input", () => {
      const t = this.input.value.trim();
      this.hint.textContent = t ? `saved as ${fileName(t)}` : "";
    });
    const form = h(
      "form",
      { class: "new-notebook" },
      this.input,
      h("button", { class: "primary create", type: "submit" }, "New notebook"),
      h(
        "button",
        { class: "import-open", type: "button", title: "Import a .livemd notebook from a URL", onclick: () => this.openImport() },
        "Import from URL",
      ),
      this.hint,
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      void this.create();
    });
    this.importDialog = this.buildImportDialog();
    this.errorEl = h("div", { class: "error", role: "alert", hidden: true });
    this.sessionsEl = h("div", { class: "sessions" });
    this.listEl = h("div", { class: "notebook-list" }, h("p", { class: "loading" }, "Loading…"));
    this.el = h(
      "div",
      { class: "page list-page" },
      h("header", { class: "topbar" }, h("span", { class: "brand" }, "Livebook"), h("span", { class: "tagline" }, "notebooks for Go")),
      h("main", { class: "list" }, form, this.errorEl, this.sessionsEl, h("h2", null, "Notebooks"), this.listEl),
      this.importDialog,
    );
    document.title = "Notebooks · Livebook";
    void this.load();
  }

  /** The dialog that imports a notebook from a URL. */
  private buildImportDialog(): HTMLDialogElement {
    const url = h("input", {
      class: "import-url",
      type: "url",
      required: true,
      placeholder: "https://example.com/notebook.livemd",
      "aria-label": "URL of a .livemd notebook",
    });
    const error = h("p", { class: "error import-error", role: "alert", hidden: true });
    const submit = h("button", { class: "primary import-submit", type: "submit" }, "Import");
    const cancel = h("button", { class: "import-cancel", type: "button" }, "Cancel");
    const form = h(
      "form",
      { method: "dialog", class: "import-form" },
      h("h2", null, "Import a notebook"),
      h("p", { class: "hint" }, "An http or https URL of a .livemd file; it is saved under the notebooks root."),
      url,
      error,
      h("div", { class: "dialog-actions" }, cancel, submit),
    );
    const dialog = h("dialog", { class: "import-dialog", "aria-label": "Import a notebook from a URL" }, form);
    cancel.addEventListener("click", () => dialog.close());
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      void (async () => {
        error.hidden = true;
        submit.disabled = true;
        submit.textContent = "Importing…";
        try {
          const path = await importNotebook(url.value.trim());
          dialog.close();
          this.navigate(notebookHash(path));
        } catch (err) {
          error.textContent = err instanceof Error ? err.message : String(err);
          error.hidden = false;
        } finally {
          submit.disabled = false;
          submit.textContent = "Import";
        }
      })();
    });
    return dialog;
  }

  /** Opens the import dialog. */
  private openImport(): void {
    const input = this.importDialog.querySelector<HTMLInputElement>(".import-url");
    const error = this.importDialog.querySelector<HTMLElement>(".import-error");
    if (input) input.value = "";
    if (error) error.hidden = true;
    this.importDialog.showModal();
    input?.focus();
  }

  /** Nothing to release. */
  destroy(): void {}

  private showError(err: unknown): void {
    let msg = err instanceof Error ? err.message : String(err);
    if (err instanceof APIError && err.unauthorized) {
      msg = "Not logged in: open the URL that livebook server printed (it carries the token), or log in.";
      this.errorEl.replaceChildren(msg, " ", h("a", { href: "/authenticate?return_to=%2F" }, "Log in"));
    } else {
      this.errorEl.textContent = msg;
    }
    this.errorEl.hidden = false;
  }

  private async load(): Promise<void> {
    let notebooks: NotebookInfo[];
    let sessions: SessionInfo[];
    try {
      [notebooks, sessions] = await Promise.all([listNotebooks(), listSessions()]);
    } catch (err) {
      this.listEl.replaceChildren();
      this.showError(err);
      return;
    }
    const open = new Map(sessions.map((s) => [s.path, s]));
    this.sessionsEl.replaceChildren(
      ...(sessions.length
        ? [
            h("h2", null, "Open sessions"),
            h(
              "ul",
              { class: "session-list" },
              ...sessions.map((s) =>
                h(
                  "li",
                  null,
                  h("a", { href: notebookHash(s.path) }, s.path),
                  h(
                    "button",
                    {
                      class: "close-session",
                      type: "button",
                      title: "Save the notebook and close its session (its runtime stops)",
                      onclick: () => void this.close(s.id),
                    },
                    "Close",
                  ),
                ),
              ),
            ),
          ]
        : []),
    );
    if (notebooks.length === 0) {
      this.listEl.replaceChildren(h("p", { class: "empty" }, "No notebooks under the notebooks root yet: create one above."));
      return;
    }
    this.listEl.replaceChildren(
      h(
        "table",
        null,
        h(
          "thead",
          null,
          h("tr", null, h("th", null, "Notebook"), h("th", null, "Modified"), h("th", { class: "num" }, "Size"), h("th", null)),
        ),
        h(
          "tbody",
          null,
          ...notebooks.map((n) =>
            h(
              "tr",
              { "data-path": n.path },
              h(
                "td",
                null,
                h("a", { class: "open-notebook", href: notebookHash(n.path) }, n.path),
                open.has(n.path) ? h("span", { class: "badge", title: "A session has it open" }, "open") : null,
              ),
              h("td", { title: n.modified }, formatAge(n.modified)),
              h("td", { class: "num" }, formatBytes(n.size)),
              h(
                "td",
                { class: "row-actions" },
                h(
                  "button",
                  {
                    class: "delete-notebook",
                    type: "button",
                    title: `Delete ${n.path}`,
                    "aria-label": `Delete ${n.path}`,
                    onclick: () => void this.remove(n.path),
                  },
                  "Delete",
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  private async close(id: string): Promise<void> {
    try {
      await closeSession(id);
    } catch (err) {
      this.showError(err);
    }
    await this.load();
  }

  private async remove(path: string): Promise<void> {
    if (!window.confirm(`Delete ${path}? The file is removed; this cannot be undone.`)) return;
    try {
      await deleteNotebook(path);
    } catch (err) {
      this.showError(err);
    }
    await this.load();
  }

  /** Creates a notebook named after the title, adding -2, -3... if the file exists. */
  private async create(): Promise<void> {
    const title = this.input.value.trim() || "Untitled notebook";
    const base = fileName(title).replace(/\.livemd$/, "");
    for (let n = 1; n <= 50; n++) {
      const path = n === 1 ? `${base}.livemd` : `${base}-${n}.livemd`;
      try {
        const created = await createNotebook(path, title);
        this.navigate(notebookHash(created));
        return;
      } catch (err) {
        if (err instanceof APIError && err.status === 409) continue;
        this.showError(err);
        return;
      }
    }
    this.showError(new Error(`${base}.livemd and 49 others exist already; choose another title`));
  }
}
