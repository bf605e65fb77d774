// Builds the UI bundle into dist/, which package ui embeds:
//
//   dist/index.html                 the page, naming the hashed assets
//   dist/assets/main-HASH.js        the application (TypeScript, CodeMirror, marked, DOMPurify)
//   dist/assets/chunk-HASH.js       code loaded on demand: Vega, Vega-Lite and vega-embed
//                                   (src/vega.ts), fetched when a notebook first shows a chart
//   dist/assets/style-HASH.css      the styles
//   dist/assets/licenses.txt        the licenses of the bundled packages
//   dist/manifest.json              the SHA-256 of the sources the bundle was built from
//
// Run it through `make ui` (npm ci, tsc --noEmit, then this). The Go test in
// package ui recomputes the sources' hash the same way and fails when the bundle
// is missing or older than the sources.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const assets = join(dist, "assets");

/** The files whose content the bundle depends on, slash-separated, sorted. */
function sourceFiles() {
  const out = ["build.mjs", "package.json", "package-lock.json", "tsconfig.json"];
  const walk = (dir) => {
    for (const name of readdirSync(join(here, dir))) {
      const rel = `${dir}/${name}`;
      if (statSync(join(here, rel)).isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  walk("src");
  return out.sort();
}

/** SHA-256 over each source file's path, NUL, content (CRLF as LF), NUL. */
function sourceHash() {
  const h = createHash("sha256");
  for (const f of sourceFiles()) {
    const text = readFileSync(join(here, f)).toString("latin1").replaceAll("\r\n", "\n");
    h.update(f, "utf8");
    h.update("\0");
    h.update(Buffer.from(text, "latin1"));
    h.update("\0");
  }
  return h.digest("hex");
}

/** The licenses of the npm packages whose code went into the bundle. */
function licenses(metafile) {
  const pkgs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(?:.*\/)?node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.split(sep).join("/"));
    if (m) pkgs.add(m[1]);
  }
  const parts = [];
  for (const p of [...pkgs].sort()) {
    const dir = join(here, "node_modules", p);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file ? readFileSync(join(dir, file), "utf8").trim() : `License: ${pkg.license}`;
    parts.push(`${p}@${pkg.version} (${pkg.license})\n\n${text}\n`);
  }
  return `Third-party software in this bundle\n\n${parts.join("\n" + "-".repeat(72) + "\n\n")}`;
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: { main: "src/main.ts", style: "src/style.css" },
  outdir: assets,
  entryNames: "[name]-[hash]",
  chunkNames: "chunk-[hash]",
  bundle: true,
  splitting: true,
  minify: true,
  format: "esm",
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  charset: "utf8",
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

const outputs = Object.keys(result.metafile.outputs).map((f) => relative(assets, join(here, f)).split(sep).join("/"));
const js = outputs.find((f) => /^main-.*\.js$/.test(f));
const css = outputs.find((f) => /^style-.*\.css$/.test(f));
if (!js || !css) throw new Error(`build: missing outputs in ${outputs.join(", ")}`);
const chunks = outputs.filter((f) => /^chunk-.*\.js$/.test(f)).sort();
if (chunks.length === 0) throw new Error(`build: no chunk for src/vega.ts in ${outputs.join(", ")}`);

const page = readFileSync(join(here, "src", "index.html"), "utf8").replace("{{js}}", js).replace("{{css}}", css);
writeFileSync(join(dist, "index.html"), page);
writeFileSync(join(assets, "licenses.txt"), licenses(result.metafile));
writeFileSync(
  join(dist, "manifest.json"),
  JSON.stringify(
    {
      sources_sha256: sourceHash(),
      index: "index.html",
      js: `assets/${js}`,
      css: `assets/${css}`,
      chunks: chunks.map((c) => `assets/${c}`),
    },
    null,
    2,
  ) + "\n",
);

for (const f of [...outputs, "licenses.txt"]) {
  const size = statSync(join(assets, f)).size;
  console.log(`dist/assets/${f}  ${(size / 1024).toFixed(1)} KiB`);
}
