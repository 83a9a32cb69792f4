import type { ReactNode } from 'react';
import { BODY_VIEW_LABELS, BODY_VIEWS } from '@kneadback/shared/body/index';
import type { BodyView } from '@kneadback/shared/body/index';

/** The Front/Back toggle, each with its mark count, then the parent's extra controls. */
export function BodyMapToolbar({
  view,
  countsByView,
  onViewChange,
  children,
}: {
  view: BodyView;
  countsByView: Record<BodyView, number>;
  onViewChange: (view: BodyView) => void;
  children?: ReactNode;
}) {
  return (
    <div className="body-map__toolbar">
      <div className="body-map__views" role="group" aria-label="Body view">
        {BODY_VIEWS.map((v) => (
          <button
            key={v}
            type="button"
            className="body-map__view-button"
            aria-pressed={v === view}
            onClick={() => onViewChange(v)}
          >
            {BODY_VIEW_LABELS[v]}
            <span className="body-map__view-count">
              {countsByView[v]}
              <span className="visually-hidden"> {countsByView[v] === 1 ? 'mark' : 'marks'}</span>
            </span>
          </button>
        ))}
      </div>
      {children}
    </div>
  );
}
