#!/usr/bin/env node
// Renders the TeX maths of a built pkgdown site to MathML, in place, so that
// the pages show their equations without the MathJax script that pkgdown
// 2.0 loads from a content delivery network (browsers render MathML
// natively). Handles the delimiters that pkgdown and pandoc write:
// $$...$$ and \[...\] (display), \(...\) (inline), in text outside <pre>,
// <code>, <script>, <style> and <math>. Usage: node render-math.js docs
"use strict";
const fs = require("fs");
const path = require("path");
const katex = require("katex");

const dir = process.argv[2] || "docs";

function htmlFiles(d) {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) return e.name === "deps" ? [] : htmlFiles(p);
    return e.name.endsWith(".html") ? [p] : [];
  });
}

function unescape(s) {
  return s
    .replace(/<[^>]+>/g, "")           // downlit may have wrapped parts in spans
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&nbsp;/g, " ").replace(/&amp;/g, "&");
}

let nMath = 0;
const problems = [];

function render(tex, display, file) {
  nMath++;
  try {
    return katex.renderToString(unescape(tex), {
      displayMode: display, output: "mathml", throwOnError: true, strict: false,
    });
  } catch (e) {
    problems.push(`${file}: ${e.message}`);
    return katex.renderToString(unescape(tex), {
      displayMode: display, output: "mathml", throwOnError: false, strict: false,
    });
  }
}

// Regions left alone: code, scripts, styles, maths already in MathML.
const skip = /(<(pre|code|script|style|math|textarea)\b[\s\S]*?<\/\2>)/gi;
const delims = /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)/g;

for (const file of htmlFiles(dir)) {
  const html = fs.readFileSync(file, "utf8");
  const before = nMath;
  const parts = html.split(skip);
  // split() with two groups yields [text, whole, tag, text, whole, tag, ...]
  const out = [];
  for (let i = 0; i < parts.length; i += 3) {
    out.push(parts[i].replace(delims, (m, d1, d2, inl) =>
      inl !== undefined ? render(inl, false, file) : render(d1 ?? d2, true, file)));
    if (i + 1 < parts.length) out.push(parts[i + 1]);
  }
  if (nMath > before) fs.writeFileSync(file, out.join(""));
}

console.log(`render-math: ${nMath} formulas rendered to MathML in ${dir}`);
if (problems.length) {
  console.log(`render-math: ${problems.length} formulas KaTeX could not parse:`);
  for (const p of problems) console.log("  " + p);
  process.exitCode = 1;
}
