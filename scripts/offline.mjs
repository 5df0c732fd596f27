// Builds the offline page: one self-contained HTML file (scripts, worker, stylesheet and the
// WebAssembly module inlined) that opens from disk with no server and makes no request at all.
//   node scripts/offline.mjs [SITE_DIR] [OUT.html]   (default: build/wasm/site -> build/wasm/leadscore-offline.html)
// Each ES module is wrapped in a function with a tiny module table, so names never collide. The file
// keeps a strict Content-Security-Policy: its one script and one style are allowed by their hashes,
// the worker by `blob:`, and `connect-src 'none'` forbids every connection.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';

const site = path.resolve(process.argv[2] ?? 'build/wasm/site');
const out = path.resolve(process.argv[3] ?? path.join(site, '..', 'leadscore-offline.html'));

/** The modules of one bundle, dependencies first, as one script defining and running them. */
function bundle(files, entry) {
  const modules = files.map((file) => {
    const name = path.basename(file, '.mjs');
    let source = readFileSync(path.join(site, file), 'utf8');
    const exported = [];
    source = source
      .replace(/^import (\w+) from '([^']+)';$/gm, (_, id, from) => `const ${id} = __require('${path.basename(from, '.mjs')}').default;`)
      .replace(/^import \{([^}]+)\} from '([^']+)';$/gm, (_, ids, from) => `const {${ids}} = __require('${path.basename(from, '.mjs')}');`)
      .replace(/^import '([^']+)';$/gm, (_, from) => `__require('${path.basename(from, '.mjs')}');`)
      .replace(/^export default (\w+);$/gm, (_, id) => `__exports.default = ${id};`)
      .replace(/^export \{([^}]+)\};$/gm, (_, ids) => {
        exported.push(...ids.split(',').map((id) => id.trim()));
        return '';
      })
      .replace(/^export (class|async function\*|async function|function\*|function|const|let) (\w+)/gm, (_, kind, id) => {
        exported.push(id);
        return `${kind} ${id}`;
      });
    return `__define('${name}', (__exports) => {\n${source}\nObject.assign(__exports, { ${exported.join(', ')} });\n});`;
  });
  return `const __factories = {}; const __cache = {};
function __define(name, factory) { __factories[name] = factory; }
function __require(name) {
  if (!__cache[name]) { __cache[name] = {}; __factories[name](__cache[name]); }
  return __cache[name];
}
${modules.join('\n')}
__require('${entry}');`;
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const wasm = readFileSync(path.join(site, 'leadscore-core.wasm')).toString('base64');
// A classic script (a page opened from disk cannot start module workers): no import.meta there.
const workerSource = (`globalThis.LEADSCORE_WASM_BINARY = Uint8Array.from(atob(${JSON.stringify(wasm)}), (c) => c.charCodeAt(0));\n` +
  bundle(['leadscore-core.mjs', 'protocol.mjs', 'errors.mjs', 'sources.mjs', 'parts.mjs', 'workbook.mjs', 'index.mjs', 'worker.mjs'], 'worker')).replaceAll('import.meta.url', 'self.location.href');
const styles = readFileSync(path.join(site, 'styles.css'), 'utf8');
const pageSource = `globalThis.LEADSCORE_STYLES = ${JSON.stringify(styles)};
globalThis.LEADSCORE_WORKER_URL = URL.createObjectURL(new Blob([${JSON.stringify(workerSource)}], { type: 'text/javascript' }));
` + bundle(['errors.mjs', 'protocol.mjs', 'client.mjs', 'dom.mjs', 'words.mjs', 'engine.mjs', 'lead-summary.mjs',
  'lead-table.mjs', 'lead-detail.mjs', 'lead-mapping.mjs', 'model-store.mjs', 'lead-model.mjs', 'lead-presentation.mjs', 'lead-learn.mjs', 'zip.mjs', 'lead-warehouse.mjs', 'lead-scorer.mjs', 'app.mjs']
  .map((f) => (f.startsWith('lead-') ? `components/${f}` : f)), 'app');

const index = readFileSync(path.join(site, 'index.html'), 'utf8');
const header = index.slice(index.indexOf('<header'), index.indexOf('</footer>') + '</footer>'.length);
const csp = [
  "default-src 'none'", `script-src ${sha256(pageSource)} 'wasm-unsafe-eval'`, 'worker-src blob:',
  `style-src ${sha256(styles)}`, "img-src data:", "connect-src 'none'", "object-src 'none'", "base-uri 'none'",
  "form-action 'none'",
].join('; ');
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<title>leadscore (offline): private lead scoring</title>
<link rel="icon" href="data:,">
<style>${styles}</style>
<script type="module">${pageSource}</script>
</head>
<body>
${header}
</body>
</html>
`;
writeFileSync(out, html);
console.log(`${out}: ${(html.length / 1e6).toFixed(2)} MB`);
