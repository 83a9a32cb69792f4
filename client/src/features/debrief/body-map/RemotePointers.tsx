import { memo } from 'react';
import { BODY_VIEW_LABELS } from '@kneadback/shared/body/index';
import type { BodyView } from '@kneadback/shared/body/index';

/** A partner's pointer, in view units, as their tablet reported it (BodyMap's onPointerMove on their side). */
export interface RemotePointer {
  /** Stable per partner (e.g. the awareness client id or user id). */
  id: string;
  /** Shown next to the arrow. */
  name: string;
  /** Any CSS colour; the arrow gets a white outline so it shows on the body and the background. */
  color: string;
  view: BodyView;
  x: number;
  y: number;
}

const ARROW_PATH = 'M0 0 L0 17 L4.6 13 L7.8 20.2 L10.6 19 L7.5 11.9 L13.5 11.6 Z';

/**
 * Partners' pointers on the shown view, drawn at a constant screen size. Lives in its own memoized component so that
 * 20 pointer updates a second re-render a handful of arrows and nothing else.
 */
export const RemotePointers = memo(function RemotePointers({
  pointers,
  view,
}: {
  pointers: readonly RemotePointer[];
  view: BodyView;
}) {
  return (
    <g className="body-map__remote-pointers" aria-hidden="true">
      {pointers
        .filter((p) => p.view === view && Number.isFinite(p.x) && Number.isFinite(p.y))
        .map((p) => (
          <g key={p.id} transform={`translate(${p.x} ${p.y})`}>
            <g className="body-map__px">
              <path d={ARROW_PATH} fill={p.color} stroke="#ffffff" strokeWidth={1.6} strokeLinejoin="round" />
              <text x={16} y={26} className="body-map__remote-name">
                {p.name}
              </text>
              <rect x={16} y={29} width={Math.min(20, 7 * p.name.length)} height={3} rx={1.5} fill={p.color} />
            </g>
          </g>
        ))}
    </g>
  );
});

/** "Anna is looking at the back": partners whose pointer is on the other view. Plain text, announced politely. */
export const RemotePointersElsewhere = memo(function RemotePointersElsewhere({
  pointers,
  view,
}: {
  pointers: readonly RemotePointer[];
  view: BodyView;
}) {
  const elsewhere = pointers.filter((p) => p.view !== view);
  if (elsewhere.length === 0) return null;
  return (
    <p className="body-map__elsewhere">
      {elsewhere.map((p) => (
        <span key={p.id} className="body-map__elsewhere-item">
          <span className="body-map__elsewhere-dot" style={{ background: p.color }} aria-hidden="true" />
          {p.name} is looking at the {BODY_VIEW_LABELS[p.view].toLowerCase()}
        </span>
      ))}
    </p>
  );
});
