import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it('is the peer with no trusted proxy, whatever X-Forwarded-For claims', () => {
    expect(clientAddress(request('10.0.0.1', '203.0.113.9'), 0)).toBe('10.0.0.1');
  });

  it('counts trusted hops from the right of X-Forwarded-For', () => {
    const req = request('10.0.0.1', 'spoofed, 203.0.113.9, 10.0.0.2');
    expect(clientAddress(req, 1)).toBe('10.0.0.2');
    expect(clientAddress(req, 2)).toBe('203.0.113.9');
  });

  it('stops at the leftmost entry when there are fewer entries than hops', () => {
    expect(clientAddress(request('10.0.0.1', '203.0.113.9'), 5)).toBe('203.0.113.9');
    expect(clientAddress(request('10.0.0.1'), 1)).toBe('10.0.0.1');
  });
});
