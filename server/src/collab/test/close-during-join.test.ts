import { afterEach, describe, expect, it } from 'vitest';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { ControlledStore } from './controlled-store.ts';
import { ANA, DOC, closeOf, eventually, newServer, type CoreServer } from './core-server.ts';

let server: CoreServer;
afterEach(() => server?.stop());

// A shutdown stores and unloads every room it finds. A device whose join was still being checked,
// or whose document was still loading, must be turned away (it reconnects to the next server),
// not joined to a room that nothing will store again.
describe('closing while devices join', () => {
  it('turns away a device whose access was being checked, and loads nothing for it', async () => {
    let letThrough!: () => void;
    const checked = new Promise<void>((resolve) => (letThrough = resolve));
    const store = new ControlledStore();
    server = await newServer({
      store,
      hooks: {
        authorize: async () => {
          await checked;
          return 'allowed';
        },
      },
    });
    const ws = await server.raw(ANA, DOC, 'open');
    const closed = closeOf(ws);

    await server.hub.close();
    letThrough();

    expect(await closed).toMatchObject({ code: CollabCloseCode.serverRestarting });
    expect(store.loads).toBe(0);
    expect(server.hub.stats().rooms).toBe(0);
  });

  it('turns away a device whose document was loading, once the load ends, and detaches the room', async () => {
    const store = new ControlledStore();
    const release = store.holdLoads();
    let attached = 0;
    let detached = 0;
    server = await newServer({
      store,
      hooks: {
        // the document's own work on the room (projections): what it started must be finished
        onRoomLoaded: () => {
          attached++;
          return async () => void detached++;
        },
      },
    });
    const ws = await server.raw(ANA, DOC, 'open');
    const closed = closeOf(ws);
    await eventually(() => expect(store.loads).toBe(1));

    const closing = server.hub.close();
    release();
    await closing;

    expect(await closed).toMatchObject({ code: CollabCloseCode.serverRestarting });
    expect(server.hub.stats().rooms).toBe(0);
    expect({ attached, detached }).toEqual({ attached: 1, detached: 1 });
  });
});
