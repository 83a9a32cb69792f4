/**
 * Brings an element into view inside its scrolling panel only. element.scrollIntoView would
 * also scroll the page, which on a phone (panel below the map) drags the map off screen.
 */
export function scrollWithinPanel(element: Element, panel: Element | null): void {
  if (!panel || panel.scrollHeight <= panel.clientHeight) return;
  const target = element.getBoundingClientRect();
  const box = panel.getBoundingClientRect();
  const margin = 8;
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const behavior: ScrollBehavior = reduceMotion ? 'auto' : 'smooth';
  if (target.top < box.top + margin || target.top > box.bottom - 4 * margin) {
    panel.scrollTo({ top: panel.scrollTop + target.top - box.top - margin, behavior });
  }
}
