import type { Round, ThreadEntry } from '@kneadback/shared/schemas/annotation';
import type { Logger } from '../../logger.ts';
import type { AuthService } from '../auth/service.ts';
import type { NotificationService } from '../notifications/service.ts';
import type { DebriefContext } from './projector.ts';

const JOIN_NOTICE_INTERVAL_MS = 10 * 60_000;

/**
 * True the first time `key` is asked within `windowMs`. In memory by default; shared through
 * Redis when several processes serve (a tablet's reconnects land on any of them).
 */
export type FirstInWindow = (key: string, windowMs: number) => Promise<boolean>;

function firstInWindowInMemory(): FirstInWindow {
  const last = new Map<string, number>();
  return async (key, windowMs) => {
    const now = Date.now();
    if (now - (last.get(key) ?? 0) < windowMs) return false;
    last.set(key, now);
    return true;
  };
}

/** Turns what happens in a debrief into notifications for the other partner. */
export class DebriefActivity {
  constructor(
    private readonly auth: AuthService,
    private readonly notifications: NotificationService,
    private readonly partnersOf: (exchangeId: string) => Promise<DebriefContext | null>,
    /** Whether the person has the debrief open right now. */
    private readonly inDebrief: (exchangeId: string, userId: string) => boolean,
    /** Blocking, either way round: partners still share their debriefs, but a notice quotes no words of theirs. */
    private readonly mayContact: (fromUserId: string, toUserId: string) => Promise<boolean>,
    private readonly logger: Logger,
    private readonly firstInWindow: FirstInWindow = firstInWindowInMemory(),
  ) {}

  /**
   * Tells the partner who is not in the debrief (one who is sees the arrival live). Reconnects
   * happen all the time on tablets; one "joined" notice per ten minutes is enough.
   */
  joined(exchangeId: string, user: { id: string; displayName: string }): void {
    void this.partnersOf(exchangeId)
      .then(async (ctx) => {
        const other = ctx && otherPartner(ctx, user.id);
        if (!other || this.inDebrief(exchangeId, other)) return;
        if (!(await this.firstInWindow(`joined:${exchangeId}:${user.id}`, JOIN_NOTICE_INTERVAL_MS))) return;
        await this.notifications.notify({
          userId: other,
          kind: 'partner-joined-debrief',
          actor: user,
          exchangeId: exchangeId,
          text: `${user.displayName} joined the debrief`,
        });
      })
      .catch((err: unknown) => this.logger.error({ err }, 'join notification failed'));
  }

  threadEntriesAdded(
    exchangeId: string,
    ctx: DebriefContext,
    entries: ThreadEntry[],
    roundOf: (annotationId: string) => Round | null,
  ): void {
    void this.notifyEntries(exchangeId, ctx, entries, roundOf).catch((err: unknown) =>
      this.logger.error({ err }, 'thread notification failed'),
    );
  }

  private async notifyEntries(
    exchangeId: string,
    ctx: DebriefContext,
    entries: ThreadEntry[],
    roundOf: (annotationId: string) => Round | null,
  ): Promise<void> {
    const authors = await this.auth.publicUsers([...new Set(entries.map((e) => e.authorId))]);
    for (const entry of entries) {
      const author = authors.get(entry.authorId);
      const recipient = otherPartner(ctx, entry.authorId);
      if (!author || !recipient || entry.deleted) continue;
      const mentioned = entry.mentions.includes(recipient);
      const kind = entry.kind === 'reply' ? (mentioned ? 'mention' : 'reply') : entry.kind;
      const verb = {
        reply: 'replied to a mark',
        mention: 'mentioned you',
        resolved: 'resolved a mark',
        reopened: 'reopened a mark',
      }[kind];
      const quoted = entry.kind === 'reply' && (await this.mayContact(author.id, recipient));
      await this.notifications.notify({
        userId: recipient,
        kind,
        actor: { id: author.id, displayName: author.displayName },
        exchangeId: exchangeId,
        annotationId: entry.annotationId,
        round: roundOf(entry.annotationId),
        text: `${author.displayName} ${verb}${quoted ? `: “${entry.text.slice(0, 80)}”` : ''}`,
      });
    }
  }
}

function otherPartner(ctx: DebriefContext, userId: string): string | null {
  if (ctx.partnerA === userId) return ctx.partnerB;
  if (ctx.partnerB === userId) return ctx.partnerA;
  return null;
}
