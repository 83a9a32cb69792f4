import { useId, useState, type KeyboardEvent } from 'react';
import { MAX_REPLY_TEXT, type ReplyInput } from '@kneadback/shared/schemas/annotation';
import { Button } from '../../app/ui/Button.tsx';
import type { Person } from './people.ts';

interface ReplyBoxProps {
  partner: Person | null;
  /** Returns false when the reply was not added, so the text stays for another try. */
  onSend: (input: ReplyInput) => boolean;
}

/**
 * With a keyboard, Enter sends and Shift+Enter starts a new line: the way chat boxes work everywhere. On a touchscreen
 * the keyboard has no Shift+Enter, so Return starts a new line and the Send button sends, as in phone messengers.
 */
export function ReplyBox({ partner, onSend }: ReplyBoxProps) {
  const id = useId();
  const [returnSends] = useState(() => !window.matchMedia('(pointer: coarse)').matches);
  const [text, setText] = useState('');
  const [mention, setMention] = useState(false);
  const prefix = partner ? `@${partner.name} ` : '';

  function toggleMention() {
    if (!partner) return;
    if (mention) setText((t) => (t.startsWith(prefix) ? t.slice(prefix.length) : t));
    else setText((t) => (t.startsWith(prefix) ? t : prefix + t));
    setMention(!mention);
  }

  function send() {
    if (!text.trim()) return;
    const mentions = mention && partner ? [partner.id] : [];
    if (!onSend({ text, mentions })) return;
    setText('');
    setMention(false);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // isComposing: Enter also confirms a word in Japanese/Chinese input methods
    if (returnSends && event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  return (
    <div className="reply-box">
      <label htmlFor={id} className="visually-hidden">
        Reply
      </label>
      <textarea
        id={id}
        className="field__input reply-box__input"
        rows={2}
        maxLength={MAX_REPLY_TEXT}
        value={text}
        placeholder={returnSends ? 'Reply… (Enter sends, Shift+Enter for a new line)' : 'Reply…'}
        enterKeyHint={returnSends ? 'send' : 'enter'}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="spread-row reply-box__actions">
        {partner && (
          <button type="button" className="chip" aria-pressed={mention} onClick={toggleMention}>
            Mention {partner.name}
          </button>
        )}
        <Button onClick={send} disabled={!text.trim()}>
          Send
        </Button>
      </div>
    </div>
  );
}
