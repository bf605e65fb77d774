// The server's JSON API (see livebook/server/doc.go for the route table).

import type { AssistRequest, AssistResult, NotebookInfo, SessionInfo } from "./protocol";

/** An API request that failed: the HTTP status and the server's message. */
export class APIError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "APIError";
  }

  /** Whether the browser is not (or no longer) logged in. */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json" },
    signal,
  };
  if (body !== undefined) {
    init.headers = { Accept: "application/json", "Content-Type": "application/json" };
    init.body = JSON.stringify(body);
  }
  let resp: Response;
  try {
    resp = await fetch(path, init);
  } catch (err) {
    throw new APIError(0, `cannot reach the server: ${String(err)}`);
  }
  if (resp.status === 204) {
    return undefined as T;
  }
  let data: unknown = null;
  try {
    data = await resp.json();
  } catch {
    // A body that is not JSON: only the status tells.
  }
  if (!resp.ok) {
    const msg =
      data && typeof data === "object" && "error" in data ? String((data as { error: unknown }).error) : resp.statusText;
    throw new APIError(resp.status, msg || `HTTP ${resp.status}`);
  }
  return data as T;
}

/** Lists the notebooks under the server's root. */
export async function listNotebooks(): Promise<NotebookInfo[]> {
  const r = await request<{ notebooks: NotebookInfo[] }>("GET", "/api/notebooks");
  return r.notebooks;
}

/** Creates a notebook file with a title; fails with status 409 when it exists. */
export async function createNotebook(path: string, name: string): Promise<string> {
  const r = await request<{ path: string }>("POST", "/api/notebooks", { path, name });
  return r.path;
}

/**
 * Imports the .livemd notebook at an http or https URL into the notebooks root and
 * returns its path there. The server refuses other schemes, notebooks over its size
 * limit (413), downloads over its time limit (504) and content that is not a notebook.
 */
export async function importNotebook(url: string): Promise<string> {
  const r = await request<{ path: string }>("POST", "/api/notebooks/import", { url });
  return r.path;
}

/**
 * Downloads a notebook exported as kind: "livemd" (the notebook, with the unsaved
 * edits of its session) or "go" (a zip of a Go program: main.go, go.mod and one
 * package per cell). The server answers 422 with the reason when a cell does not
 * compile.
 */
export async function exportNotebook(kind: "livemd" | "go", path: string): Promise<{ blob: Blob; filename: string }> {
  const url = `/api/export/${kind}/${path.split("/").map(encodeURIComponent).join("/")}`;
  let resp: Response;
  try {
    resp = await fetch(url, { credentials: "same-origin" });
  } catch (err) {
    throw new APIError(0, `cannot reach the server: ${String(err)}`);
  }
  if (!resp.ok) {
    let msg = resp.statusText;
    try {
      const data = (await resp.json()) as { error?: unknown };
      if (data && data.error) msg = String(data.error);
    } catch {
      // Not JSON: the status tells.
    }
    throw new APIError(resp.status, msg || `HTTP ${resp.status}`);
  }
  const m = /filename="([^"]+)"/.exec(resp.headers.get("Content-Disposition") ?? "");
  const filename = m?.[1] ?? (kind === "go" ? "notebook.zip" : "notebook.livemd");
  return { blob: await resp.blob(), filename };
}

/** Deletes a notebook file, closing its session first if it has one. */
export function deleteNotebook(path: string): Promise<void> {
  return request<void>("DELETE", `/api/notebooks/${path.split("/").map(encodeURIComponent).join("/")}`);
}

/** Lists the open sessions. */
export async function listSessions(): Promise<SessionInfo[]> {
  const r = await request<{ sessions: SessionInfo[] }>("GET", "/api/sessions");
  return r.sessions;
}

/** Opens the notebook at path, or returns its session when it is open already. */
export function openSession(path: string): Promise<SessionInfo> {
  return request<SessionInfo>("POST", "/api/sessions", { path });
}

/** Saves the notebook and closes its session. */
export function closeSession(id: string): Promise<void> {
  return request<void>("DELETE", `/api/sessions/${encodeURIComponent(id)}`);
}

/** Asks the session's runtime for completions, hover docs or signature help in a Go cell. */
export function assist(sessionId: string, req: AssistRequest, signal?: AbortSignal): Promise<AssistResult> {
  return request<AssistResult>("POST", `/api/sessions/${encodeURIComponent(sessionId)}/assist`, req, signal);
}
