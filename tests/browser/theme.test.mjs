// The theme stays light: its stylesheets and scripts together under 30 KB (no build, no browser).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { THEME_DIR, listFiles } from "./harness.mjs";

const LIMIT = 30_000; // 30 KB, counted in thousands (the stricter reading)

test("the theme's CSS and JS total under 30 KB", () => {
  const dir = path.join(THEME_DIR, "static");
  const files = listFiles(dir).filter((f) => /\.(css|js|mjs)$/.test(f));
  assert.ok(files.length >= 2, `found only ${files.join(", ")}`);
  const sizes = Object.fromEntries(files.map((f) => [f, fs.statSync(path.join(dir, f)).size]));
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  console.log(`theme CSS+JS: ${total} bytes of ${LIMIT} (${JSON.stringify(sizes)})`);
  assert.ok(total < LIMIT, `the theme's CSS+JS is ${total} bytes: ${JSON.stringify(sizes)}`);
});

test("the theme loads nothing from another host", () => {
  const dir = path.join(THEME_DIR);
  const offenders = [];
  for (const f of listFiles(dir).filter((f) => /\.(css|js|html)$/.test(f))) {
    const text = fs.readFileSync(path.join(dir, f), "utf8");
    for (const m of text.matchAll(/(?:url\(\s*["']?|@import\s+["']|(?:src|href)=["'])(https?:)?\/\/[^"')\s]+/g)) {
      offenders.push(`${f}: ${m[0]}`);
    }
  }
  assert.deepEqual(offenders, []);
});
