// A static file server for the page, on localhost only, sending the page's Content-Security-Policy
// as a header on every file (a module worker takes its policy from its own response, not the page).
//   node scripts/serve.mjs [DIR] [--port N]      (default: build/wasm/site, port 8080)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * No connection beyond the page's own files; wasm compiles, nothing is evaluated from strings.
 * `frameOrigins` may frame these pages and be framed by them (the iframe widget).
 */
export function contentSecurityPolicy(frameOrigins) {
  const frames = ["'self'", ...frameOrigins].join(' ');
  return [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  `frame-src ${frames}`,
  `frame-ancestors ${frames}`,
  ].join('; ');
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

/**
 * Starts serving `root`; resolves with {server, origin}. Port 0 picks a free one. `frameOrigins`
 * (an array, read at each request) lists other origins allowed to frame these pages and be framed.
 */
export async function serve(root, { port = 8080, host = '127.0.0.1', frameOrigins = [] } = {}) {
  const base = path.resolve(root);
  const server = createServer(async (request, response) => {
    const headers = {
      'Content-Security-Policy': contentSecurityPolicy(frameOrigins),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    };
    try {
      const url = new URL(request.url, 'http://localhost');
      let file = path.resolve(base, '.' + decodeURIComponent(url.pathname));
      if (file !== base && !file.startsWith(base + path.sep)) throw Object.assign(new Error('outside'), { status: 403 });
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      response.writeHead(200, { ...headers, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch (error) {
      const status = error.status ?? 404;
      response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(status === 404 ? 'Not found' : 'Forbidden');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return { server, origin: `http://${host}:${server.address().port}` };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const portAt = args.indexOf('--port');
  const port = portAt >= 0 ? Number(args[portAt + 1]) : Number(process.env.PORT ?? 8080);
  const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--port') ?? 'build/wasm/site';
  let served;
  try {
    served = await serve(dir, { port });
  } catch (error) {
    if (error.code !== 'EADDRINUSE') throw error;
    served = await serve(dir, { port: 0 });
    console.log(`Port ${port} is taken; using another.`);
  }
  console.log(`Serving ${dir} at ${served.origin}/  (Ctrl-C to stop)`);
}
