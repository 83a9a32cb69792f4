import { cx } from '../../app/ui/cx.ts';

/** "Ana Demo" -> "AD"; one letter for a single name. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words.at(-1)!] : words;
  return letters.map((w) => [...w][0]!.toUpperCase()).join('') || '?';
}

/**
 * Initials on a colour picked from the name. Profiles have no photos yet: an uploaded picture
 * needs type and size checks, resizing and storage kept apart from the API's JSON, which is work
 * of its own; initials tell therapists apart well enough in the lists meanwhile.
 */
export function Avatar({ name, size = 'md' }: { name: string; size?: 'md' | 'lg' }) {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)!) % 360;
  return (
    <span
      className={cx('avatar', `avatar--${size}`)}
      style={{ backgroundColor: `hsl(${hash} 35% 38%)` }}
      aria-hidden="true"
    >
      {initialsOf(name)}
    </span>
  );
}
