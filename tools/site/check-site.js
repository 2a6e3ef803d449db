#!/usr/bin/env node
// Checks every page of the built pkgdown site in headless Chromium:
//   1. no broken internal links (<a> and <link>: the target file exists and, for a link
//      with a fragment, the target page has an element with that id), and
//      every internal resource (script, style sheet, image) loads;
//   2. every figure (<img>) has loaded (complete, naturalWidth > 0);
//   3. no R errors in rendered example and article output (a line of a
//      code block starting with "Error" or "#> Error"), except errors shown
//      on purpose: those of an expression wrapped in try() or tryCatch(), or
//      whose code carries the comment "# error on purpose" (listed, not
//      failures);
//   4. no raw LaTeX left unrendered in the text of the pages (\eqn, \frac,
//      $$, \( ... outside code blocks).
// The site is served from a local HTTP server; requests to any other host
// (pkgdown's assets on content delivery networks) are refused at once and
// listed, not counted as failures.
//
// Usage: node tools/site/check-site.js [site-dir] [--screenshots=dir]
//        [--shots=page.html,reference/lq.html,...]
// Chromium: $CHROMIUM, else /usr/bin/chromium. Exit status 1 on failures.
"use strict";
const fs = require("fs");
const path = require("path");
const http = require("http");

const args = process.argv.slice(2);
const opt = (name, def) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : def;
};
const root = path.resolve(args.find((x) => !x.startsWith("--")) || "docs");
const shotDir = opt("screenshots", null);
const shots = opt("shots", "index.html,reference/index.html,reference/ellison_glaeser.html,reference/sensitivity-methods.html,articles/bengbu.html")
  .split(",").filter(Boolean);
// The errors of a rendered code block (inputs as typed, outputs prefixed
// "#>"), each with whether it is deliberate: its expression (the input lines
// since the last output) calls try()/tryCatch() or says "# error on purpose".
function renderedErrors(block) {
  const out = [];
  let expr = [];
  let afterOutput = true;
  for (const raw of block.split("\n")) {
    const line = raw.replace(/\s+$/, "");
    const isOutput = /^\s*#>/.test(line);
    if (!isOutput && line.trim() !== "") {
      if (afterOutput) expr = [];
      expr.push(line);
      afterOutput = false;
    }
    if (isOutput) afterOutput = true;
    if (/^\s*(#>\s*)?Error\b/.test(line)) {
      const code = expr.join("\n");
      const deliberate = /\b(try|tryCatch)\s*\(/.test(code) || /#\s*error on purpose/i.test(code);
      out.push({ line: line.trim(), deliberate });
    }
  }
  return out;
}
module.exports = { renderedErrors };
if (require.main !== module) return;
const puppeteer = require("puppeteer-core");

const chromium = process.env.CHROMIUM ||
  (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : "chromium");

if (!fs.existsSync(path.join(root, "index.html"))) {
  console.error(`check-site: no site in ${root} (run make site first)`);
  process.exit(2);
}

function htmlFiles(d) {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(d, e.name);
    if (e.isDirectory()) return e.name === "deps" ? [] : htmlFiles(p);
    return e.name.endsWith(".html") ? [p] : [];
  });
}

const types = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript",
  ".png": "image/png", ".svg": "image/svg+xml", ".json": "application/json",
  ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf",
  ".xml": "application/xml", ".txt": "text/plain" };

// Resolve a URL path to a file of the site (directory -> index.html).
function fileOf(urlPath) {
  let p = path.join(root, decodeURIComponent(urlPath));
  if (!p.startsWith(root)) return null;
  if (fs.existsSync(p) && fs.statSync(p).isDirectory()) p = path.join(p, "index.html");
  return fs.existsSync(p) ? p : null;
}

const server = http.createServer((req, res) => {
  const f = fileOf(new URL(req.url, "http://x").pathname);
  if (!f) { res.writeHead(404); res.end("not found"); return; }
  res.writeHead(200, { "Content-Type": types[path.extname(f)] || "application/octet-stream" });
  fs.createReadStream(f).pipe(res);
});

(async () => {
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await puppeteer.launch({
    executablePath: chromium, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--no-first-run", "--disable-extensions"],
  });
  const version = await browser.version();
  const pages = htmlFiles(root).map((f) => path.relative(root, f).split(path.sep).join("/")).sort();
  const failures = [];
  const deliberate = [];
  const cdn = new Map();          // external asset -> pages that asked for it
  const jsErrors = new Map();
  const ids = new Map();          // page -> Set of ids
  const links = [];               // {from, href}
  let nImg = 0, nMath = 0, nCode = 0;
  const fail = (page, what) => {
    const f = `${page}: ${what}`;
    if (!failures.includes(f)) failures.push(f);
  };
  // the page that asked for a resource (late responses arrive after the
  // next page has started loading)
  const pageOf = (req) => {
    const ref = req.headers()["referer"] || "";
    return ref.startsWith(origin) ? ref.slice(origin.length + 1) : current;
  };

  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.setRequestInterception(true);
  let current = "";
  page.on("request", (req) => {
    const u = req.url();
    if (u.startsWith(origin) || u.startsWith("data:") || u.startsWith("about:")) {
      req.continue();
    } else {
      const k = u.replace(/[?#].*$/, "");
      if (!cdn.has(k)) cdn.set(k, new Set());
      cdn.get(k).add(current);
      req.abort("blockedbyclient");
    }
  });
  page.on("response", (res) => {
    // the browser asks for /favicon.ico by itself; pkgdown declares none
    if (res.url().startsWith(origin) && res.status() >= 400 &&
        res.url() !== `${origin}/favicon.ico`)
      fail(pageOf(res.request()), `internal resource ${res.url().slice(origin.length)} returned ${res.status()}`);
  });
  page.on("pageerror", (e) => {
    const k = String(e.message).split("\n")[0];
    if (!jsErrors.has(k)) jsErrors.set(k, new Set());
    jsErrors.get(k).add(current);
  });

  for (const p of pages) {
    current = p;
    await page.goto(`${origin}/${p}`, { waitUntil: "load", timeout: 60000 });
    const r = await page.evaluate(() => {
      const imgs = [...document.images].map((i) => ({
        src: i.getAttribute("src"), ok: i.complete && i.naturalWidth > 0,
        external: /^https?:\/\//.test(i.getAttribute("src") || "") &&
          !i.src.startsWith(location.origin) }));
      const hrefs = [...document.querySelectorAll("a[href], link[href]")].map((a) => a.getAttribute("href"));
      const ids = [...document.querySelectorAll("[id], a[name]")].map((e) => e.id || e.getAttribute("name"));
      // code output: pkgdown reference examples and article chunks
      const code = [...document.querySelectorAll("pre")].map((e) => e.innerText);
      // text outside code, scripts and maths, for raw LaTeX
      const body = document.body.cloneNode(true);
      body.querySelectorAll("pre, code, script, style, math, textarea").forEach((e) => e.remove());
      const maths = [...document.querySelectorAll("math")].map((m) => {
        const b = m.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
      return { imgs, hrefs, ids, code, text: body.textContent, maths };
    });
    ids.set(p, new Set(r.ids));
    for (const h of r.hrefs) links.push({ from: p, href: h });
    for (const i of r.imgs) {
      nImg++;
      if (!i.ok && !i.external) fail(p, `figure not loaded: ${i.src}`);
    }
    nMath += r.maths.length;
    r.maths.forEach((ok, k) => { if (!ok) fail(p, `formula ${k + 1} has no size (MathML not rendered)`); });
    nCode += r.code.length;
    for (const block of r.code) {
      for (const e of renderedErrors(block)) {
        if (e.deliberate) deliberate.push(`${p}: ${e.line.slice(0, 100)}`);
        else fail(p, `R error in rendered output: ${e.line.slice(0, 120)}`);
      }
    }
    const raw = r.text.match(/\\(eqn|deqn|frac|dfrac|sum|prod|sqrt|left|right|mathrm|mathbf|text|quad|qquad|cdot|ldots|alpha|beta|gamma|delta|sigma|lambda|le|ge|ne|times|in)\b|\$\$|\\\(|\\\)|\\\[|\\\]/g);
    if (raw) fail(p, `raw LaTeX in the page text: ${[...new Set(raw)].join(" ")}`);

    if (shotDir && shots.includes(p)) {
      fs.mkdirSync(shotDir, { recursive: true });
      const out = path.join(shotDir, p.replace(/\//g, "_").replace(/\.html$/, ".png"));
      await page.screenshot({ path: out, fullPage: false });
      // and the first figure or formula of the page, if any, in view
      const el = await page.$("main img:not(.logo), main math");
      if (el) {
        await el.evaluate((e) => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 120));
        await page.screenshot({ path: out.replace(/\.png$/, "-figure.png"), fullPage: false });
      }
    }
  }

  // internal links: target exists, fragment exists
  let nInternal = 0;
  for (const { from, href } of links) {
    if (/^(https?:|mailto:|javascript:|data:)/i.test(href) || href === "") continue;
    nInternal++;
    const u = new URL(href, `${origin}/${from}`);
    if (u.origin !== origin) continue;
    const f = fileOf(u.pathname);
    if (!f) { fail(from, `broken link ${href}`); continue; }
    if (u.hash && u.hash.length > 1 && f.endsWith(".html")) {
      const target = path.relative(root, f).split(path.sep).join("/");
      const set = ids.get(target);
      const frag = decodeURIComponent(u.hash.slice(1));
      if (set && !set.has(frag)) fail(from, `broken anchor ${href} (no id "${frag}" in ${target})`);
    }
  }

  await browser.close();
  server.close();

  console.log(`check-site: ${pages.length} pages, ${nInternal} internal links, ${nImg} figures, ` +
              `${nCode} code blocks, ${nMath} formulas (MathML) checked in ${version}`);
  console.log(`\nAssets from content delivery networks, not loaded here (not failures): ${cdn.size}`);
  for (const [u, ps] of [...cdn].sort()) console.log(`  ${u}  (${ps.size} pages)`);
  if (jsErrors.size) {
    console.log("\nJavaScript errors (from the missing CDN scripts; not failures):");
    for (const [m, ps] of jsErrors) console.log(`  ${m}  (${ps.size} pages)`);
  }
  if (deliberate.length) {
    console.log(`\nErrors shown on purpose (try(), tryCatch() or "# error on purpose"; not failures): ${deliberate.length}`);
    for (const d of deliberate) console.log("  " + d);
  }
  if (shotDir) console.log(`\nScreenshots in ${shotDir}`);
  if (failures.length) {
    console.log(`\n${failures.length} FAILURES:`);
    for (const f of failures) console.log("  " + f);
    process.exitCode = 1;
  } else {
    console.log("\nno failures");
  }

})().catch((e) => { console.error(e); server.close(); process.exit(2); });
