/// <reference types="node" />
// The client against a hand-written HTTP server on loopback that answers like the query API does,
// including the failures: 401 without a token, 400 with {error, message}, an unknown endpoint's 404, a dead port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as api from '../src/api';

let server: Server;
const seen: { url: string; auth: string | undefined; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization !== 'Bearer s3cret') return json(401, { error: 'unauthorized', message: 'a bearer token is required' });
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/api/usage' && url.searchParams.get('tz') === 'Mars/Base') return json(400, { error: 'bad_request', message: "'tz' must be an IANA time zone, not 'Mars/Base'" });
      if (url.pathname === '/api/usage')
        return json(200, {
          rows: [{ tool: 'claude-code', calls: 2, input_tokens: 2450, output_tokens: 47, cache_read_tokens: 8300, cache_write_tokens: 350, reasoning_tokens: 0, cost_usd: 0.01415, reported_cost_usd: 0.01415 },
                 { tool: 'gemini-cli', calls: 3, input_tokens: 820, output_tokens: 73, cache_read_tokens: 5400, cache_write_tokens: 0, reasoning_tokens: 35, cost_usd: null, reported_cost_usd: null }],
          totals: { calls: 5, input_tokens: 3270, output_tokens: 120, cache_read_tokens: 13700, cache_write_tokens: 350, reasoning_tokens: 35, cost_usd: 0.01415, reported_cost_usd: 0.01415 },
        });
      if (url.pathname === '/api/sql') return json(200, { columns: [{ name: 'tool', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }], rows: [['codex', 4]], truncated: false, elapsed_ms: 3 });
      json(404, { error: 'no_endpoint', message: 'no endpoint ' + req.method + ' ' + url.pathname + '; the API has: GET /api/usage, POST /api/sql' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api.setApiBase('http://127.0.0.1:' + (server.address() as AddressInfo).port);
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('API client over HTTP', () => {
  it('asks for a token once the API answers 401, then sends it as a bearer token', async () => {
    let asked = 0;
    api.onUnauthorized(() => asked++);
    api.setToken(null);
    const denied = await api.usage({ from: 'now-7d', to: 'now', groupBy: ['tool'] }).catch((e) => e);
    expect(denied).toBeInstanceOf(api.ApiError);
    expect([denied.status, denied.unauthorized, denied.message]).toEqual([401, true, 'a bearer token is required']);
    expect(asked).toBe(1);

    api.setToken('s3cret');
    const report = await api.usage({ from: 'now-7d', to: 'now', groupBy: ['tool'], tz: 'Europe/Berlin' });
    expect(seen.at(-1)).toMatchObject({ url: '/api/usage?from=now-7d&to=now&groupBy=tool&tz=Europe%2FBerlin', auth: 'Bearer s3cret' });
    expect(report.rows.map((r) => [r.tool, r.input_tokens, r.cost_usd])).toEqual([['claude-code', 2450, 0.01415], ['gemini-cli', 820, null]]);
    expect(report.totals.input_tokens).toBe(3270);
  });
  it('passes the API\'s one-line reason for a bad parameter through', async () => {
    const e = await api.usage({ from: 'now-7d', to: 'now', groupBy: ['day'], tz: 'Mars/Base' }).catch((x) => x);
    expect([e.status, e.code, e.message, e.missing]).toEqual([400, 'bad_request', "'tz' must be an IANA time zone, not 'Mars/Base'", false]);
  });
  it('reports an endpoint the server lacks as missing, not as a failure', async () => {
    const e = await api.stats().catch((x) => x);
    expect([e.status, e.missing, e.path]).toEqual([404, true, '/api/stats']);
  });
  it('posts SQL as JSON and reads columns and rows', async () => {
    expect(await api.sql('SELECT tool, count(*) AS n FROM logs GROUP BY ALL')).toEqual({ columns: ['tool', 'n'], types: ['VARCHAR', 'BIGINT'], rows: [['codex', 4]], truncated: false, elapsed_ms: 3 });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ sql: 'SELECT tool, count(*) AS n FROM logs GROUP BY ALL' });
  });
  it('says the server cannot be reached when nothing listens', async () => {
    const port = (server.address() as AddressInfo).port;
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    api.setApiBase('http://127.0.0.1:' + deadPort);
    expect(await api.health()).toBe(false);
    const err = await api.logs({ from: 'now-1h', to: 'now' }).catch((x) => x);
    expect([err.status, err.code]).toEqual([0, 'unreachable']);
    api.setApiBase('http://127.0.0.1:' + port);
  });
});
