import type { ReactNode } from 'react';
import { cx } from './cx.ts';

type Tone = 'error' | 'warning' | 'success' | 'info';

/** An inline message. Errors interrupt (role=alert); everything else waits its turn (role=status). */
export function Alert({ tone = 'info', title, children }: { tone?: Tone; title?: string; children: ReactNode }) {
  return (
    <div role={tone === 'error' ? 'alert' : 'status'} className={cx('alert', `alert--${tone}`)}>
      {title && <p className="alert__title">{title}</p>}
      <div>{children}</div>
    </div>
  );
}
