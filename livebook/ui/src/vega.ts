// Vega-Lite charts, drawn with vega-embed. This module is its own chunk of the bundle
// (outputs.ts imports it dynamically), so that pages without charts never load Vega.

import embed from "vega-embed";

/** A drawn chart: add records to its data set "values" (kino.ChartData). */
export interface DrawnChart {
  insert(rows: unknown[]): void;
  finalize(): void;
}

/**
 * Draws the Vega-Lite specification spec into el as SVG. Expressions run in Vega's
 * interpreter (ast), not through new Function: the page's Content-Security-Policy
 * allows no eval.
 */
export async function drawChart(el: HTMLElement, spec: Record<string, unknown>): Promise<DrawnChart> {
  const result = await embed(el, spec as never, {
    actions: false,
    renderer: "svg",
    mode: "vega-lite",
    ast: true,
  });
  const view = result.view;
  return {
    insert(rows: unknown[]): void {
      void view.insert("values", rows).runAsync();
    },
    finalize(): void {
      result.finalize();
    },
  };
}
