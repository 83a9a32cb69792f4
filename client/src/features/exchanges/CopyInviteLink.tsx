import { useId, useRef, useState } from 'react';
import { Button } from '../../app/ui/Button.tsx';
import { inviteUrl } from './people.ts';

type CopyState = 'idle' | 'copied' | 'manual';

/**
 * Copies the invite link. The clipboard API needs a secure context (a tablet on the clinic's LAN address may not
 * have one), so when copying fails the link is shown, selected, for the user to copy by hand.
 */
export function CopyInviteLink({ inviteToken, showLink = false }: { inviteToken: string; showLink?: boolean }) {
  const [state, setState] = useState<CopyState>('idle');
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const url = inviteUrl(inviteToken);

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

  const linkVisible = showLink || state === 'manual';
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
      <div className="invite-link__actions">
        <Button variant="secondary" onClick={copy}>
          Copy invite link
        </Button>
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
    </div>
  );
}
