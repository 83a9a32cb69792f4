import { useMemo } from 'react';
import {
  BODY_SILHOUETTE,
  BODY_VIEW_LABELS,
  BODY_VIEWS,
  polygonToPath,
  regionsOfView,
  sideLabel,
} from '@kneadback/shared/body/index';
import { cx } from '../../app/ui/cx.ts';
import { heatSteps, stepFor, stepLabel } from './heatScale.ts';

/** Outlines turned into SVG paths once: the catalogue never changes while the app runs. */
const VIEWS = BODY_VIEWS.map((view) => ({
  view,
  silhouette: polygonToPath(BODY_SILHOUETTE[view]),
  regions: regionsOfView(view).map((r) => ({ id: r.id, label: r.label, d: polygonToPath(r.outline) })),
}));

/** The figure spans x 70..330 and y 20..790 of the 400 x 800 view box; a little margin round it. */
const VIEW_BOX = '60 10 280 790';

interface BodyHeatMapProps {
  regions: readonly { regionId: string; count: number }[];
  selectedRegionId?: string | undefined;
  /** Pointer shortcut for the region filter; keyboard users have the region select and the top-regions list. */
  onSelectRegion: (regionId: string) => void;
}

/**
 * Both views side by side, each region filled by how many critiques it holds. The picture is hidden from assistive
 * technology: the same numbers are in the table and list the patterns panel renders next to it.
 */
export function BodyHeatMap({ regions, selectedRegionId, onSelectRegion }: BodyHeatMapProps) {
  const counts = useMemo(() => new Map(regions.map((r) => [r.regionId, r.count])), [regions]);
  const max = regions.reduce((m, r) => Math.max(m, r.count), 0);
  const steps = heatSteps(max);

  return (
    <div className="heatmap">
      <div className="heatmap__views">
        {VIEWS.map(({ view, silhouette, regions: outlines }) => {
          const sides = sideLabel(view);
          return (
            <div key={view} className="heatmap__view">
              <p className="heatmap__view-name">{BODY_VIEW_LABELS[view]}</p>
              <svg className="heatmap__svg" viewBox={VIEW_BOX} aria-hidden="true" focusable="false">
                <path className="heatmap__silhouette" d={silhouette} />
                {outlines.map((r) => {
                  const count = counts.get(r.id) ?? 0;
                  const step = stepFor(steps, count);
                  return (
                    <path
                      key={r.id}
                      d={r.d}
                      className={cx(
                        'heatmap__region',
                        count > 0 && 'heatmap__region--marked',
                        r.id === selectedRegionId && 'heatmap__region--selected',
                      )}
                      style={step ? { fill: step.color } : undefined}
                      onClick={count > 0 ? () => onSelectRegion(r.id) : undefined}
                    >
                      <title>{`${r.label}: ${count} ${count === 1 ? 'critique' : 'critiques'}`}</title>
                    </path>
                  );
                })}
              </svg>
              <div className="heatmap__sides" aria-hidden="true">
                <span>{sides.screenLeft}</span>
                <span>{sides.screenRight}</span>
              </div>
            </div>
          );
        })}
      </div>
      {steps.length > 0 && (
        <div className="heatmap__legend" aria-hidden="true">
          <span className="heatmap__legend-title">Critiques</span>
          <span className="heatmap__legend-item">
            <span className="heatmap__swatch heatmap__swatch--none" />0
          </span>
          {steps.map((step) => (
            <span key={step.from} className="heatmap__legend-item">
              <span className="heatmap__swatch" style={{ background: step.color }} />
              {stepLabel(step)}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
