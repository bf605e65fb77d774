// Writes ../server/testdata/changesets.json: change sets made and applied by
// CodeMirror's own @codemirror/state, which the Go ChangeSet tests replay.
//
//   node tools/changesets.mjs
//
// The last 50 of the 300 change sets may cut surrogate pairs.
//
// Each case is {doc, changes, result} (result is what ChangeSet.apply gave) or
// {doc, changes, error: true} when CodeMirror refuses the change set.

import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ChangeSet, Text } from "@codemirror/state";

// A small deterministic generator, so the file only changes when this script does.
let seed = 20261128;
function rand(n) {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return Math.floor((seed / 2147483648) * n);
}

const pieces = ["a", "b", "xyz", "\n", "\t", " ", "é", "日本", "😀", "fmt.Println(x)\n", "", "ü\n\n"];
function randomText(max) {
  let s = "";
  const n = rand(max);
  for (let i = 0; i < n; i++) s += pieces[rand(pieces.length)];
  return s;
}

// Positions that do not fall inside a surrogate pair (every position, when
// split is set: then changes cut pairs, and the results hold lone halves).
function boundaries(s, split) {
  if (split) return Array.from({ length: s.length + 1 }, (_, i) => i);
  const out = [0];
  let i = 0;
  for (const ch of s) {
    i += ch.length;
    out.push(i);
  }
  return out;
}

function randomChanges(doc, split) {
  const b = boundaries(doc, split);
  const specs = [];
  const n = rand(4);
  let floor = 0;
  for (let i = 0; i < n; i++) {
    const cands = b.filter((p) => p >= floor);
    if (cands.length === 0) break;
    const from = cands[rand(cands.length)];
    const after = b.filter((p) => p >= from);
    const to = after[rand(Math.min(after.length, 4))];
    specs.push({ from, to, insert: randomText(3) });
    floor = to;
  }
  return ChangeSet.of(specs, doc.length);
}

const cases = [];
for (let i = 0; i < 300; i++) {
  const doc = randomText(12);
  const split = i >= 250;
  let cs = randomChanges(doc, split);
  // Sometimes a composition of two, as collab's sendable updates can be.
  if (rand(3) === 0) {
    const mid = cs.apply(Text.of(doc.split("\n"))).toString();
    cs = cs.compose(randomChanges(mid, split));
  }
  const result = cs.apply(Text.of(doc.split("\n"))).toString();
  cases.push({ doc, changes: cs.toJSON(), result });
}

// Change sets CodeMirror refuses: a wrong length, or a malformed form.
const bad = [
  { doc: "abc", changes: [2] },
  { doc: "abc", changes: [4] },
  { doc: "abc", changes: [1, [3, "x"]] },
  { doc: "", changes: [[1]] },
  { doc: "abc", changes: {} },
  { doc: "abc", changes: [[]] },
  { doc: "abc", changes: [["3"]] },
  { doc: "abc", changes: [[3, 4]] },
  { doc: "abc", changes: ["3"] },
  { doc: "abc", changes: [null] },
];
for (const c of bad) {
  let refused = false;
  try {
    ChangeSet.fromJSON(c.changes).apply(Text.of(c.doc.split("\n")));
  } catch {
    refused = true;
  }
  if (!refused) throw new Error(`CodeMirror accepts ${JSON.stringify(c)}`);
  cases.push({ ...c, error: true });
}

const here = dirname(fileURLToPath(import.meta.url));
writeFileSync(join(here, "../../server/testdata/changesets.json"), "[\n" + cases.map((c) => JSON.stringify(c)).join(",\n") + "\n]\n");
console.log(`${cases.length} cases`);
