import { useLayoutEffect, useState } from 'react';
import type { RefObject } from 'react';
import type { Size } from './geometry.ts';

/** The drawing area's size in CSS pixels, measured before paint: the viewBox and constant-size glyphs depend on it. */
export function useStageSize(stageRef: RefObject<HTMLElement | null>): Size {
  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = stageRef.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      setSize((prev) =>
        prev.width === r.width && prev.height === r.height ? prev : { width: r.width, height: r.height },
      );
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [stageRef]);
  return size;
}
