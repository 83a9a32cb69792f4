// Which of the receiver's sides is on which side of the screen, said twice: in words above the map and as letters at
// its edges, because left/right confusion is the main error on body maps.
import { BODY_VIEW_LABELS, sideLabel } from '@kneadback/shared/body/index';
import type { BodyView } from '@kneadback/shared/body/index';

type Sides = ReturnType<typeof sideLabel>;

const VIEW_HINTS: Record<BodyView, string> = {
  anterior: 'you face the receiver',
  posterior: 'you stand behind the receiver',
};

/** The row above the map: the receiver's side at each screen edge, and the view with where you stand for it. */
export function OrientationBar({ view, sides }: { view: BodyView; sides: Sides }) {
  return (
    <div className="body-map__orientation" data-view={view}>
      <span className="body-map__side body-map__side--start">
        <span aria-hidden="true">◀ </span>
        <span className="visually-hidden">Screen left: </span>
        {sides.screenLeft}
      </span>
      <span className="body-map__view-name">
        <strong>{BODY_VIEW_LABELS[view]}</strong>
        <span className="body-map__view-hint"> · {VIEW_HINTS[view]}</span>
      </span>
      <span className="body-map__side body-map__side--end">
        <span className="visually-hidden">Screen right: </span>
        {sides.screenRight}
        <span aria-hidden="true"> ▶</span>
      </span>
    </div>
  );
}

/** "L" and "R" at the drawing area's edges, for the receiver's sides (hidden from screen readers: the bar says it). */
export function EdgeLetters({ sides }: { sides: Sides }) {
  const screenLeftLetter = sides.screenLeft === "Receiver's left" ? 'L' : 'R';
  const screenRightLetter = screenLeftLetter === 'L' ? 'R' : 'L';
  return (
    <>
      <span className="body-map__edge body-map__edge--start" aria-hidden="true">
        {screenLeftLetter}
      </span>
      <span className="body-map__edge body-map__edge--end" aria-hidden="true">
        {screenRightLetter}
      </span>
    </>
  );
}
