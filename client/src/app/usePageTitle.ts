import { useEffect } from 'react';

/** Names the browser tab (and what screen readers announce on navigation) after the current screen. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Kneadback`;
  }, [title]);
}
