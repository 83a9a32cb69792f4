import { cx } from '../../app/ui/cx.ts';
import './avatar.css';

/** "Ana Demo" -> "AD"; one letter for a single name. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words.at(-1)!] : words;
  return letters.map((w) => [...w][0]!.toUpperCase()).join('') || '?';
}

/** Where a therapist's photo is served; the version makes a new photo a new URL. */
export function photoUrl(userId: string, photoVersion: string): string {
  return `/api/profiles/${encodeURIComponent(userId)}/photo?v=${photoVersion}`;
}

/** The photo when there is one the viewer may see, else initials on a colour picked from the name. */
export function Avatar({
  name,
  userId,
  photoVersion,
  size = 'md',
}: {
  name: string;
  userId: string;
  photoVersion?: string | null | undefined;
  size?: 'md' | 'lg';
}) {
  if (photoVersion) {
    return <img className={cx('avatar', `avatar--${size}`)} src={photoUrl(userId, photoVersion)} alt="" />;
  }
  let hue = 0;
  for (const ch of name) hue = (hue * 31 + ch.codePointAt(0)!) % 360;
  return (
    <span
      className={cx('avatar', `avatar--${size}`)}
      style={{ backgroundColor: `hsl(${hue} 35% 38%)` }}
      aria-hidden="true"
    >
      {initialsOf(name)}
    </span>
  );
}
