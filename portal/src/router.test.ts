import { describe, expect, it } from 'vitest';
import { match } from './router';

describe('match', () => {
  it('gives the named parts of a matching path', () => {
    expect(match('/support/:id', '/support/3f2a')).toEqual({ id: '3f2a' });
    expect(match('/support/:id', '/support/3f2a/')).toEqual({ id: '3f2a' });
    expect(match('/', '/')).toEqual({});
  });
  it('refuses other paths', () => {
    expect(match('/support/:id', '/support')).toBeNull();
    expect(match('/support/:id', '/invoices/3f2a')).toBeNull();
    expect(match('/', '/support')).toBeNull();
  });
  it('refuses a parameter that is not an id, so it cannot redirect the API call', () => {
    expect(match('/webhooks/:id', '/webhooks/..%2F..%2Fusers%2Fx')).toBeNull();
    expect(match('/webhooks/:id', '/webhooks/a%20b')).toBeNull();
  });
});
