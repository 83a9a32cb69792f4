import { cx } from './cx.ts';

/** With a label it announces itself as a status; without one it is decoration (e.g. in a busy button). */
export function Spinner({ label, size = 'md' }: { label?: string; size?: 'sm' | 'md' | 'lg' }) {
  const spinner = <span className={cx('spinner', `spinner--${size}`)} aria-hidden="true" />;
  if (!label) return spinner;
  return (
    <span role="status" className="spinner-status">
      {spinner}
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
