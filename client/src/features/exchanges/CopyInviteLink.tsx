import { useId, useRef, useState } from 'react';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { Button } from '../../app/ui/Button.tsx';
import { asSentence } from '../../lib/form-errors.ts';
import { inviteUrl } from '../../lib/links.ts';
import { formatInstantDay } from './dates.ts';
import { useWithdrawInvite } from './exchangeQueries.ts';

type CopyState = 'idle' | 'copied' | 'manual';

/**
 * Copies the invite link. The clipboard API needs a secure context (a tablet on the clinic's LAN address may not
 * have one), so when copying fails the link is shown, selected, for the user to copy by hand. Says until when the
 * link works, and lets its creator withdraw it (sent to the wrong person, or posted somewhere by mistake).
 */
export function CopyInviteLink({
  exchange,
  showLink = false,
}: {
  exchange: Exchange & { inviteToken: string };
  showLink?: boolean;
}) {
  const [state, setState] = useState<CopyState>('idle');
  const withdrawal = useWithdrawInvite(exchange.id);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const url = inviteUrl(exchange.inviteToken);
  const expiresAt = exchange.inviteExpiresAt;
  // read once per mount: a link that expires while the page is open is refused by the server anyway
  const [openedAt] = useState(() => Date.now());
  const expired = expiresAt !== null && Date.parse(expiresAt) <= openedAt;

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      setState('copied');
    } catch {
      setState('manual');
      // Wait for the input to render, then select it so one "copy" gesture is left
      requestAnimationFrame(() => input.current?.select());
    }
  }

  const linkVisible = !expired && (showLink || state === 'manual');
  return (
    <div className="invite-link">
      {linkVisible && (
        <div className="invite-link__field">
          <label htmlFor={id} className="visually-hidden">
            Invite link
          </label>
          <input
            ref={input}
            id={id}
            className="field__input invite-link__input"
            readOnly
            value={url}
            onFocus={(e) => e.currentTarget.select()}
          />
        </div>
      )}
      {expiresAt && (
        <p className="invite-link__expiry">
          {expired
            ? `This invite link expired on ${formatInstantDay(expiresAt)}; it no longer lets anyone join.`
            : `The link works until ${formatInstantDay(expiresAt)}.`}
        </p>
      )}
      <div className="invite-link__actions">
        {!expired && (
          <Button variant="secondary" onClick={copy}>
            Copy invite link
          </Button>
        )}
        {!expired && (
          <Button variant="ghost" busy={withdrawal.isPending} onClick={() => withdrawal.mutate()}>
            Withdraw link
          </Button>
        )}
        {/* Always mounted so the outcome is announced */}
        <p role="status" className="invite-link__status">
          {state === 'copied' && (
            <>
              <span aria-hidden="true">✓ </span>Link copied. Send it to your partner.
            </>
          )}
          {state === 'manual' && 'Copy the link above and send it to your partner.'}
        </p>
      </div>
      {withdrawal.error && (
        <p role="alert" className="invite-link__error">
          {asSentence(withdrawal.error.message)}
        </p>
      )}
    </div>
  );
}
