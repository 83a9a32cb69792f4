// A hostile partner rewriting the other's reply by going around the "only its author changes a
// reply" rule in steps: each step alone looks harmless to a check that reads one change at a
// time. Every step sequence must be refused (4422) and Ana's reply stay hers, word for word.
import { describe, it } from 'vitest';
import { childMap } from '../helpers/hostile.ts';
import { expectAttackRefused, hostileSuite } from '../helpers/hostile-scene.ts';

const { scene } = hostileSuite();

describe("rewriting the partner's reply in steps", () => {
  it.each([
    ['in one update', false],
    ['in two updates (kind away, then text and kind back)', true],
  ])("B changes A's reply text by flipping its kind away from 'reply' and back, %s", async (_how, twoMessages) => {
    const s = await scene();
    await expectAttackRefused(
      s,
      (doc) => {
        const reply = childMap(doc, 'thread', s.reply.id);
        doc.transact(() => reply.set('kind', 'resolved'));
        doc.transact(() => {
          reply.set('text', 'I was wrong about the elbow');
          reply.set('kind', 'reply');
        });
      },
      { messagePerTransaction: twoMessages },
    );
  });

  it.each([
    ['in one update', false],
    ['in two updates (delete, then set)', true],
  ])("B deletes A's reply's authorId and sets it again, to himself, %s", async (_how, twoMessages) => {
    const s = await scene();
    const ben = s.partners.b.user.id;
    await expectAttackRefused(
      s,
      (doc) => {
        const reply = childMap(doc, 'thread', s.reply.id);
        doc.transact(() => reply.delete('authorId'));
        doc.transact(() => {
          reply.set('authorId', ben);
          reply.set('text', 'Ben wrote this now');
        });
      },
      { messagePerTransaction: twoMessages },
    );
  });

  it("B deletes A's reply's authorId only (the reply disappears for both)", async () => {
    const s = await scene();
    await expectAttackRefused(s, (doc) => childMap(doc, 'thread', s.reply.id).delete('authorId'));
  });
});
