import { describe, expect, it } from 'vitest';
import { ApiError, query } from '../src/api';

describe('API client', () => {
  it('writes parameters, joins lists with commas and leaves out empty ones', () => {
    expect(query({ from: 'now-7d', to: undefined, groupBy: ['day', 'tool'], tool: '', limit: 100, tz: 'Europe/Berlin' })).toBe(
      '?from=now-7d&groupBy=day%2Ctool&limit=100&tz=Europe%2FBerlin',
    );
    expect(query({})).toBe('');
  });
  it('tells an endpoint this server lacks from a thing the API did not find', () => {
    // The query API's own answers for a path it has no endpoint for, and for a method a path does not take.
    expect(new ApiError(404, 'no_endpoint', 'no endpoint GET /api/stats; the API has: …', '/api/stats').missing).toBe(true);
    expect(new ApiError(405, 'method_not_allowed', '/api/sql takes POST, not GET', '/api/sql').missing).toBe(true);
    // Older servers: POST to a path only the site's GET handler knows: the framework's 405.
    expect(new ApiError(405, 'http_405', 'Method Not Allowed', '/api/sql').missing).toBe(true);
    expect(new ApiError(404, 'not_found', 'no such file', '/api/usage').missing).toBe(true);
    expect(new ApiError(404, 'http_404', 'Not Found', '/api/sql').missing).toBe(true);
    expect(new ApiError(404, 'not_found', 'no session abc', '/api/sessions/abc').missing).toBe(false);
    expect(new ApiError(400, 'bad_request', "'from' must be …", '/api/usage').missing).toBe(false);
    expect(new ApiError(401, 'unauthorized', 'token needed', '/api/usage').unauthorized).toBe(true);
  });
});
