import { describe, expect, it } from 'vitest';
import { ApiError, query } from './api';
import { can } from './roles';

describe('ApiError', () => {
  it('finds the message the API gave for a field, also under a nested name', () => {
    const e = new ApiError(400, 'The request is not valid', '2 field(s) failed validation', [
      { field: 'subject', message: 'must not be blank' },
      { field: 'body.priority', message: 'must be one of [critical, high, medium, low]' },
    ]);
    expect(e.forField('subject')).toBe('must not be blank');
    expect(e.forField('priority')).toBe('must be one of [critical, high, medium, low]');
    expect(e.forField('description')).toBeUndefined();
  });
});

describe('query', () => {
  it('keeps only the set values', () => {
    expect(query({ status: 'open', q: '', cursor: null, limit: 20, read: false })).toBe('?status=open&limit=20&read=false');
    expect(query({ q: undefined })).toBe('');
  });
});

describe('can', () => {
  it('offers billing to billing roles only', () => {
    expect(can(['billing'], 'billing.read')).toBe(true);
    expect(can(['support'], 'billing.read')).toBe(false);
    expect(can(['viewer'], 'analytics.author')).toBe(false);
    expect(can(['analyst', 'viewer'], 'analytics.author')).toBe(true);
  });
});
