import { regionAt } from '@kneadback/shared/body/index';
import type { BodyView } from '@kneadback/shared/body/index';
import type { Viewport } from './geometry.ts';
import { REGION_NAMES } from './labels.ts';
import { formatScale } from './zoom.ts';

/** For screen readers: how to use the map (its description, by id), and where the keyboard crosshair is. */
export function KeyboardHelp({
  id,
  readOnly,
  keyboardFocus,
  view,
  vp,
}: {
  id: string;
  readOnly: boolean;
  keyboardFocus: boolean;
  view: BodyView;
  vp: Viewport;
}) {
  const centreRegion = keyboardFocus ? regionAt(view, { x: vp.x, y: vp.y }) : null;
  return (
    <>
      <p id={id} className="visually-hidden">
        {readOnly
          ? 'Arrow keys pan, plus and minus zoom, 0 shows the whole body. Tab to reach the marks.'
          : 'Tap the body to add a mark. Arrow keys pan, plus and minus zoom, 0 shows the whole body, Enter adds a mark at the crosshair, Escape clears the selection. Tab to reach the marks; arrow keys move the selected mark.'}
      </p>
      <p className="visually-hidden" aria-live="polite">
        {keyboardFocus
          ? `Crosshair on ${centreRegion ? (REGION_NAMES.get(centreRegion.id) ?? centreRegion.label) : 'no body region'}, zoom ${formatScale(vp.scale)}`
          : ''}
      </p>
    </>
  );
}
