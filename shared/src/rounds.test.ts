import { describe, expect, it } from 'vitest';
import { giverAndReceiver } from './rounds.ts';

describe('giverAndReceiver', () => {
  it('has partner A give round 1 and partner B give round 2', () => {
    expect(giverAndReceiver(1, 'Ana', 'Ben')).toEqual({ giver: 'Ana', receiver: 'Ben' });
    expect(giverAndReceiver(2, 'Ana', 'Ben')).toEqual({ giver: 'Ben', receiver: 'Ana' });
  });
});
