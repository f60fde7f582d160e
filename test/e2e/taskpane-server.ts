// A tiny HTTP server on 127.0.0.1 for the task-pane tests: it serves the built pane (dist/addin) and passes
// /api/* through to the county Worker (`wrangler dev`), so the pane and the Worker share one origin — as when
// the county serves dist/addin from the Worker's own address (addin/README.md, "Production"). The Worker sends
// no CORS headers, so a pane on another origin could not call it (see the report of this test).
// The pass-through can be cut (`upstream = null`: the connection is dropped, as when the server is
// unreachable) or slowed (`delay`, to see the pane's progress while a request is in flight).
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface PaneServer {
  url: string;
  /** Where /api/* goes (the Worker's origin), or null: every /api request fails like a dead network. */
  upstream: string | null;
  /** Milliseconds to hold the answer of matching API requests (e.g. POST /api/submissions). */
  delay: { match: RegExp; ms: number } | null;
  /** API requests seen: method, path, status (0: dropped). */
  requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.xml': 'application/xml',
  '.map': 'application/json',
};

export async function startPaneServer(dist: string): Promise<PaneServer> {
  const state: PaneServer = { url: '', upstream: null, delay: null, requests: [], close: async () => undefined };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/api/')) return proxy(req, res, url);
    void (async () => {
      try {
        const p = path.join(dist, decodeURIComponent(url.pathname));
        if (!p.startsWith(dist + path.sep)) throw new Error('outside');
        const body = await readFile(p);
        res.writeHead(200, { 'content-type': TYPES[path.extname(p)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });

  function proxy(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const record = { method: req.method ?? 'GET', path: url.pathname + url.search, status: 0 };
    state.requests.push(record);
    const upstream = state.upstream;
    if (!upstream) {
      req.socket.destroy();
      return;
    }
    const target = new URL(url.pathname + url.search, upstream);
    const headers = { ...req.headers, host: target.host };
    delete headers.origin;
    delete headers.referer;
    const out = http.request(target, { method: req.method, headers }, (up) => {
      record.status = up.statusCode ?? 0;
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const send = () => {
          const h = { ...up.headers };
          delete h['transfer-encoding'];
          res.writeHead(up.statusCode ?? 502, h);
          res.end(Buffer.concat(chunks));
        };
        const d = state.delay;
        if (d && d.match.test(`${record.method} ${url.pathname}`)) setTimeout(send, d.ms);
        else send();
      });
    });
    out.on('error', () => req.socket.destroy());
    req.pipe(out);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const a = server.address();
  state.url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
