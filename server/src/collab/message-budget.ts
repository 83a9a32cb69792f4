/**
 * How much one connection may send: a token bucket per measure (messages, bytes), so a burst
 * such as the first sync passes while a sustained flood from one device is cut off before it
 * costs every other debrief on the server its share of the CPU.
 */
export class MessageBudget {
  private messages: number;
  private bytes: number;
  private last = Date.now();

  constructor(private readonly limits = DEFAULT_LIMITS) {
    this.messages = limits.burstMessages;
    this.bytes = limits.burstBytes;
  }

  /** Spends one message of `size` bytes; false when the connection is over its budget. */
  spend(size: number, now = Date.now()): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    const { burstMessages, messagesPerSecond, burstBytes, bytesPerSecond } = this.limits;
    this.messages = Math.min(burstMessages, this.messages + elapsed * messagesPerSecond) - 1;
    this.bytes = Math.min(burstBytes, this.bytes + elapsed * bytesPerSecond) - size;
    return this.messages >= 0 && this.bytes >= 0;
  }
}

/**
 * A person on a tablet sends pointer presence about 20 times a second, relays the partner's,
 * and edits in bursts; a whole debrief (at most 4 MiB) may arrive in one sync.
 */
const DEFAULT_LIMITS = {
  burstMessages: 600,
  messagesPerSecond: 150,
  burstBytes: 8 * 1024 * 1024,
  bytesPerSecond: 1024 * 1024,
};
