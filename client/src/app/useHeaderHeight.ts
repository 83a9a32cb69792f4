import { useLayoutEffect } from 'react';
import type { RefObject } from 'react';

/**
 * Publishes the app header's height as `--app-header-height` on the document, for screens that fill the rest of the
 * viewport (the debrief). No constant fits: the header takes one row on a wide screen, two on a tablet, and more
 * with large text.
 */
export function useHeaderHeight(headerRef: RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const header = headerRef.current;
    if (!header) return;
    const root = document.documentElement;
    const publish = () => root.style.setProperty('--app-header-height', `${header.offsetHeight}px`);
    publish();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(publish);
    observer.observe(header);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--app-header-height');
    };
  }, [headerRef]);
}
