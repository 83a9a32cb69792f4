import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { OFFLINE_AFTER_MS, shouldReconnect, watchConnection, type ConnectionInfo } from './connection.ts';

type Listener = (...args: unknown[]) => void;

/** The part of WebsocketProvider the watcher uses, driven by hand. */
class FakeProvider {
  private listeners = new Map<string, Set<Listener>>();
  on(name: string, fn: Listener) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name)!.add(fn);
  }
  off(name: string, fn: Listener) {
    this.listeners.get(name)?.delete(fn);
  }
  emit(name: string, args: unknown[]) {
    for (const fn of this.listeners.get(name) ?? []) fn(...args);
  }
  wsconnected = false;
  synced = false;
  connect = vi.fn();
  disconnect = vi.fn();
}

const closeEvent = (code: number, reason = '') => ({ code, reason }) as CloseEvent;

describe('watchConnection', () => {
  let provider: FakeProvider;
  let states: ConnectionInfo[];
  const last = () => states[states.length - 1]!;

  beforeEach(() => {
    vi.useFakeTimers();
    const events = new EventTarget();
    vi.stubGlobal('navigator', { onLine: true });
    vi.stubGlobal('window', {
      setTimeout,
      clearTimeout,
      addEventListener: events.addEventListener.bind(events),
      removeEventListener: events.removeEventListener.bind(events),
    });
    provider = new FakeProvider();
    states = [];
    watchConnection(provider as unknown as WebsocketProvider, 'debrief', (info) => states.push(info));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  function goLive() {
    provider.emit('status', [{ status: 'connected' }]);
    provider.emit('sync', [true]);
  }

  it('starts connecting and is live once connected and synced', () => {
    expect(last().state).toBe('connecting');
    provider.emit('status', [{ status: 'connected' }]);
    expect(last().state).toBe('connecting');
    provider.emit('sync', [true]);
    expect(last()).toEqual({ state: 'live', message: null, closeCode: null });
  });

  it('says reconnecting after a drop, with the server reason, and offline when it lasts', () => {
    goLive();
    provider.emit('connection-close', [closeEvent(CollabCloseCode.serverRestarting)]);
    provider.emit('status', [{ status: 'disconnected' }]);
    expect(last()).toMatchObject({
      state: 'reconnecting',
      message: 'The server is restarting; reconnecting.',
    });
    vi.advanceTimersByTime(OFFLINE_AFTER_MS);
    expect(last().state).toBe('offline');
    goLive();
    expect(last()).toEqual({ state: 'live', message: null, closeCode: null });
  });

  it('stops retrying and explains a permanent refusal', async () => {
    provider.emit('connection-close', [closeEvent(CollabCloseCode.forbidden)]);
    expect(last()).toEqual({
      state: 'refused',
      message: 'This debrief belongs to other partners. Only the two partners of an exchange can open it.',
      closeCode: CollabCloseCode.forbidden,
    });
    await Promise.resolve();
    expect(provider.disconnect).toHaveBeenCalled();
  });

  it('names the rule a refused change broke, as the server gave it', () => {
    goLive();
    provider.emit('connection-close', [closeEvent(CollabCloseCode.refusedUpdate, 'a debrief holds at most 300 marks')]);
    expect(last()).toMatchObject({
      state: 'reconnecting',
      message: 'The server refused a change from this device: a debrief holds at most 300 marks. Reconnecting.',
    });
  });

  it('speaks of a note on a note’s connection', () => {
    const noteStates: ConnectionInfo[] = [];
    const noteProvider = new FakeProvider();
    watchConnection(noteProvider as unknown as WebsocketProvider, 'note', (info) => noteStates.push(info));
    noteProvider.emit('connection-close', [closeEvent(CollabCloseCode.notFound)]);
    expect(noteStates.at(-1)).toMatchObject({
      state: 'refused',
      message: 'This note does not exist (or was removed).',
    });
  });

  it('keeps reconnecting after a refused update (the y-websocket default would give up on 44xx)', () => {
    expect(shouldReconnect(closeEvent(CollabCloseCode.refusedUpdate))).toBe(true);
    expect(shouldReconnect(closeEvent(CollabCloseCode.unauthenticated))).toBe(false);
  });

  it('is offline at once when the device loses its network', () => {
    goLive();
    vi.stubGlobal('navigator', { onLine: false });
    provider.emit('status', [{ status: 'disconnected' }]);
    expect(last().state).toBe('offline');
  });
});
