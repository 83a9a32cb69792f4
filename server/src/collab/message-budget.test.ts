import { expect, it } from 'vitest';
import { MessageBudget } from './message-budget.ts';

const limits = { burstMessages: 10, messagesPerSecond: 5, burstBytes: 1_000, bytesPerSecond: 100 };

it('lets a burst through, refuses a sustained flood, and refills over time', () => {
  const budget = new MessageBudget(limits);
  const t0 = 1_000_000;
  for (let i = 0; i < 10; i++) expect(budget.spend(10, t0)).toBe(true);
  expect(budget.spend(10, t0)).toBe(false);
  expect(budget.spend(10, t0 + 2_000)).toBe(true); // 10 messages' worth refilled
});

it('counts bytes as well as messages', () => {
  const budget = new MessageBudget(limits);
  expect(budget.spend(900, 0)).toBe(true);
  expect(budget.spend(200, 0)).toBe(false);
});
