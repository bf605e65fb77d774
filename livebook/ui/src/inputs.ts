// Inputs of package kino (kino.InputText, InputNumber, InputSlider, InputSelect),
// shown as controls. Their values are the session's: a change here is sent as a
// set_input operation, and set_input operations from anyone update every control of
// the input (same id) on the page. Cells read the values when they start.

import { h } from "./dom";

/** An input output's JSON (kino.TypeInput). */
interface InputSpec {
  id: string;
  kind: "text" | "number" | "slider" | "select";
  label: string;
  default: string | number;
  min?: number;
  max?: number;
  step?: number;
  options?: string[];
}

type Value = string | number;

const values = new Map<string, Value>();
let sendInput: ((id: string, value: Value) => void) | null = null;

/** Takes the session's input values from a snapshot, and how to send a change. */
export function setInputs(saved: Record<string, unknown> | undefined, send: (id: string, value: Value) => void): void {
  values.clear();
  for (const [id, v] of Object.entries(saved ?? {})) {
    if (typeof v === "string" || typeof v === "number") values.set(id, v);
  }
  sendInput = send;
  for (const el of document.querySelectorAll<HTMLElement>(".output-input")) showValue(el);
}

/** Applies a set_input operation: every control of the input shows the value. */
export function inputChanged(id: string, value: unknown): void {
  if (typeof value !== "string" && typeof value !== "number") return;
  values.set(id, value);
  for (const el of document.querySelectorAll<HTMLElement>(".output-input")) {
    if (el.dataset["inputId"] === id) showValue(el);
  }
}

const specs = new WeakMap<HTMLElement, InputSpec>();

/** Shows the session's value of the input in its control, or the default. */
function showValue(el: HTMLElement): void {
  const spec = specs.get(el);
  if (!spec) return;
  const v = String(values.get(spec.id) ?? spec.default);
  const control = el.querySelector<HTMLInputElement | HTMLSelectElement>(".input-control");
  if (control && control.value !== v && document.activeElement !== control) control.value = v;
  const shown = el.querySelector(".input-value");
  if (shown) shown.textContent = v;
}

/** Renders an input output as its control, or returns null when its JSON is not one. */
export function renderInput(text: string): HTMLElement | null {
  let spec: InputSpec;
  try {
    spec = JSON.parse(text) as InputSpec;
  } catch {
    return null;
  }
  if (!spec || typeof spec.id !== "string" || typeof spec.label !== "string") return null;
  const change = (v: Value) => {
    values.set(spec.id, v);
    sendInput?.(spec.id, v);
  };
  let control: HTMLInputElement | HTMLSelectElement;
  let shown: HTMLElement | null = null;
  switch (spec.kind) {
    case "text":
      control = h("input", { type: "text", class: "input-control" });
      control.addEventListener("change", () => change(control.value));
      break;
    case "number":
      control = h("input", { type: "number", class: "input-control", step: "any" });
      control.addEventListener("change", () => {
        const n = Number(control.value);
        if (control.value.trim() !== "" && Number.isFinite(n)) change(n);
      });
      break;
    case "slider":
      control = h("input", { type: "range", class: "input-control", min: spec.min ?? 0, max: spec.max ?? 100, step: spec.step ?? 1 });
      shown = h("span", { class: "input-value" });
      control.addEventListener("input", () => {
        if (shown) shown.textContent = control.value;
      });
      control.addEventListener("change", () => change(Number(control.value)));
      break;
    case "select":
      control = h("select", { class: "input-control" }, ...(spec.options ?? []).map((o) => h("option", { value: o }, o)));
      control.addEventListener("change", () => change(control.value));
      break;
    default:
      return null;
  }
  const el = h(
    "div",
    { class: `output output-input input-${spec.kind}`, "data-input-id": spec.id },
    h("label", null, h("span", { class: "input-label" }, spec.label), control, shown),
  );
  specs.set(el, spec);
  showValue(el);
  // The element is not in the document yet: set the control directly.
  control.value = String(values.get(spec.id) ?? spec.default);
  if (shown) shown.textContent = control.value;
  return el;
}
