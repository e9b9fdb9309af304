#!/usr/bin/env node
// The one-file build: the built app (dist/) as a single self-contained HTML
// file that a consultant can e-mail and a client opens from disk (file://)
// in Chromium. The wasm, the workers and the styles are inside; workers are
// started from blob: URLs; the Content-Security-Policy allows only the
// page's own two inline blocks (by their hashes), blob: workers and wasm,
// and no connection at all.
//
//   node scripts/single-file.mjs [--dist dist] [--out dist-single/ltv-lens.html]
//
// Run it after `trunk build --release`. The page's boot code is public/boot.js
// itself, with its four file references replaced by the embedded copies (the
// script stops if any of them is not found exactly once).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? path.resolve(args[i + 1]) : dflt;
};
const DIST = opt('--dist', path.join(ROOT, 'dist'));
const OUT = opt('--out', path.join(ROOT, 'dist-single', 'ltv-lens.html'));

const read = (name) => {
  const file = path.join(DIST, name);
  if (!fs.existsSync(file)) {
    console.error(`single-file: ${file} not found (run trunk build --release first)`);
    process.exit(2);
  }
  return fs.readFileSync(file);
};

/** Replaces `from` by `to` in `text`, which must hold `from` exactly once. */
function replaceOnce(text, from, to, what) {
  const n = text.split(from).length - 1;
  if (n !== 1) throw new Error(`single-file: expected ${JSON.stringify(from)} once in ${what}, found it ${n} times`);
  return text.replace(from, () => to);
}

const app = read('ltv-lens-app.js').toString('utf8');
const wasm = read('ltv-lens-app_bg.wasm');
const css = read('style.css').toString('utf8');
const index = read('index.html').toString('utf8');
let boot = read('boot.js').toString('utf8');
let worker = read('worker.js').toString('utf8');
const reader = read('reader.js').toString('utf8');

// The wasm-bindgen module and its importers become one script each: the
// page's module (app + boot) and the engine worker's (app + worker).
const IMPORT_BOOT = "import init, { page_main } from './ltv-lens-app.js';";
const IMPORT_WORKER = "import init, { worker_main, helper_main } from './ltv-lens-app.js';";
boot = replaceOnce(boot, IMPORT_BOOT, 'const init = __wbg_init;', 'boot.js');
boot = replaceOnce(
  boot,
  "await compileWasm(new URL('./ltv-lens-app_bg.wasm', import.meta.url))",
  "await WebAssembly.compile(embedded('ltv-wasm'))",
  'boot.js',
);
boot = replaceOnce(boot, "new URL('./worker.js', import.meta.url)", "embeddedScript('ltv-engine-worker')", 'boot.js');
boot = replaceOnce(boot, "new URL('./reader.js', import.meta.url)", "embeddedScript('ltv-reader')", 'boot.js');
boot = replaceOnce(boot, "{ type: 'module', name }", '{ name }', 'boot.js');
worker = replaceOnce(worker, IMPORT_WORKER, 'const init = __wbg_init;', 'worker.js');

const helpers = `
// One-file build: the embedded files (base64 in data blocks, which never run).
function embedded(id) {
  const text = atob(document.getElementById(id).textContent.trim());
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
const scriptUrls = new Map();
function embeddedScript(id) {
  if (!scriptUrls.has(id)) {
    scriptUrls.set(id, URL.createObjectURL(new Blob([embedded(id)], { type: 'text/javascript' })));
  }
  return scriptUrls.get(id);
}
`;
// Chromium starts no module worker from a blob: URL in a page opened from
// disk, so the engine worker is a classic script: the app module without
// its `export`s (and its one `import.meta.url`, unused when the module is
// handed over) then worker.js.
function classic(module) {
  let text = module
    .replace(/^export (class|function|const|let|async function) /gm, '$1 ')
    .replace(/^export \{[^}]*\};?$/gm, '')
    .replace(/import\.meta\.url/g, 'self.location.href');
  const left = text.match(/^(export|import)\b.*$/m);
  if (left) throw new Error(`single-file: cannot make a classic script of ltv-lens-app.js: ${left[0]}`);
  return text;
}
// Blocks keep boot.js's and worker.js's names apart from the app module's.
const pageModule = `${app}\n${helpers}\n{\n${boot}\n}\n`;
const workerModule = `${classic(app)}\n{\n${worker}\n}\n`;

const sha256 = (text) => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const b64 = (data) => Buffer.from(data).toString('base64');

const csp = [
  "default-src 'none'",
  `script-src ${sha256(pageModule)} 'wasm-unsafe-eval'`,
  `style-src ${sha256(css)}`,
  'worker-src blob:',
  "connect-src 'none'",
  'img-src data: blob:',
  "font-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
  "frame-src 'none'",
].join('; ');

const title = (index.match(/<title>([^<]*)<\/title>/) || [null, 'ltv-lens'])[1];
const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <!--
    ltv-lens, the one-file build (scripts/single-file.mjs): everything the
    app needs is in this file. It makes no connection of any kind: the
    policy below allows none, only this page's own code and styles.
  -->
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="referrer" content="no-referrer">
  <title>${title}</title>
  <link rel="icon" href="data:,">
  <style>${css}</style>
  <script type="application/octet-stream" id="ltv-wasm">${b64(wasm)}</script>
  <script type="application/octet-stream" id="ltv-engine-worker">${b64(workerModule)}</script>
  <script type="application/octet-stream" id="ltv-reader">${b64(reader)}</script>
  <script type="module">${pageModule}</script>
</head>
<body>
  <noscript>ltv-lens runs in your browser and needs JavaScript and WebAssembly.</noscript>
</body>
</html>
`;
if (/<\/script/i.test(pageModule) || /<\/style/i.test(css)) {
  throw new Error('single-file: the inline code holds a closing tag; it cannot be inlined as is');
}
fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, html);
console.log(`single-file: ${path.relative(process.cwd(), OUT)} (${html.length.toLocaleString('en')} bytes)`);
