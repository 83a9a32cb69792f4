import { useId, useMemo } from 'react';
import {
  BODY_REGIONS,
  BODY_SILHOUETTE,
  BODY_VIEW_LABELS,
  polygonToPath,
  sideLabel,
} from '@kneadback/shared/body/index';
import type { BodyView } from '@kneadback/shared/body/index';
import type { Annotation } from '@kneadback/shared/schemas/annotation';
import { MarkGlyph } from '../debrief/body-map/index.ts';
import { placeNumbers, spreadGlyphs } from './mapLayout.ts';

/** Glyph radius in view units: about 4.5 mm across when a view prints 15 cm tall. */
const GLYPH_RADIUS = 13;
/** Its white halo (MarkGlyph strokes 5 units round the shape) and the star's points reach past the radius. */
const GLYPH_EXTENT = GLYPH_RADIUS * 1.35 + 2.5;
const BADGE_RADIUS = 10.5;
/** Glyphs closer than this would cover each other (the halos touch): they are spread apart. */
const GLYPH_SPACING = 2 * (GLYPH_RADIUS + 2.5);
/** A glyph moved further than this from its spot gets a leader line back to it. */
const LEADER_MIN = 3;
/** Room round the figure for numbers and the side letters. */
const PAD = 30;

const SILHOUETTE_PATHS: Record<BodyView, string> = {
  anterior: polygonToPath(BODY_SILHOUETTE.anterior),
  posterior: polygonToPath(BODY_SILHOUETTE.posterior),
};

function regionPaths(view: BodyView): { id: string; d: string }[] {
  return BODY_REGIONS.filter((r) => r.view === view).map((r) => ({ id: r.id, d: polygonToPath(r.outline) }));
}
const REGION_PATHS: Record<BodyView, { id: string; d: string }[]> = {
  anterior: regionPaths('anterior'),
  posterior: regionPaths('posterior'),
};

/** The figure's bounds plus room for numbers: paper has no pan, so crop to the body. */
function viewBox(view: BodyView) {
  const xs = BODY_SILHOUETTE[view].map(([x]) => x);
  const ys = BODY_SILHOUETTE[view].map(([, y]) => y);
  const x = Math.min(...xs) - PAD;
  const y = Math.min(...ys) - PAD;
  return { x, y, width: Math.max(...xs) + PAD - x, height: Math.max(...ys) + PAD - y };
}
const BOXES: Record<BodyView, ReturnType<typeof viewBox>> = {
  anterior: viewBox('anterior'),
  posterior: viewBox('posterior'),
};

export interface NumberedMark {
  mark: Annotation;
  n: number;
}

interface PrintBodyViewProps {
  view: BodyView;
  /** The round's numbered marks; only those on `view` are drawn. */
  marks: readonly NumberedMark[];
  /** "Ben's body". */
  bodyName: string;
}

/** One view of the receiver's body as a static drawing: every mark shown (no clustering) with its number. */
export function PrintBodyView({ view, marks, bodyName }: PrintBodyViewProps) {
  const titleId = useId();
  const descId = useId();
  const sides = sideLabel(view);
  const box = BOXES[view];
  const viewName = BODY_VIEW_LABELS[view];

  const shown = useMemo(() => marks.filter(({ mark }) => mark.position.view === view), [marks, view]);
  const layout = useMemo(() => {
    const at = spreadGlyphs(
      shown.map(({ mark }) => mark.position),
      GLYPH_SPACING,
      box,
    );
    const numbers = placeNumbers(
      at.map((p) => ({ ...p, r: GLYPH_EXTENT })),
      BADGE_RADIUS,
      box,
    );
    return shown.map(({ mark, n }, i) => ({ mark, n, glyph: at[i]!, number: numbers[i]! }));
  }, [shown, box]);

  const description =
    shown.length === 0
      ? 'No marks on this view.'
      : `${shown.length === 1 ? 'Mark' : 'Marks'} ${shown.map(({ n }) => n).join(', ')}, described in the list below.`;

  return (
    <figure className="print-view">
      <figcaption className="print-view__caption">
        <span className="print-view__side">{sides.screenLeft}</span>
        <strong className="print-view__name">
          {viewName} <span className="print-view__count">({shown.length})</span>
        </strong>
        <span className="print-view__side print-view__side--end">{sides.screenRight}</span>
      </figcaption>
      <svg
        className="print-view__svg"
        viewBox={`${box.x} ${box.y} ${box.width} ${box.height}`}
        preserveAspectRatio="xMidYMid meet"
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
      >
        <title id={titleId}>
          {`${bodyName}, ${viewName.toLowerCase()} view: ${sides.screenLeft.toLowerCase()} on the left`}
        </title>
        <desc id={descId}>{description}</desc>
        <path className="print-view__silhouette" d={SILHOUETTE_PATHS[view]} />
        <g className="print-view__regions">
          {REGION_PATHS[view].map((r) => (
            <path key={r.id} d={r.d} />
          ))}
        </g>
        <g className="print-view__letters" aria-hidden="true">
          <text x={box.x + 6} y={box.y + 26} textAnchor="start">
            {sides.screenLeft === "Receiver's left" ? 'L' : 'R'}
          </text>
          <text x={box.x + box.width - 6} y={box.y + 26} textAnchor="end">
            {sides.screenRight === "Receiver's left" ? 'L' : 'R'}
          </text>
        </g>
        <g className="print-view__leaders">
          {layout.map(({ mark, glyph }) => {
            const { x, y } = mark.position;
            if (Math.hypot(glyph.x - x, glyph.y - y) < LEADER_MIN) return null;
            return (
              <g key={mark.id}>
                <line x1={x} y1={y} x2={glyph.x} y2={glyph.y} />
                <circle cx={x} cy={y} r={3} />
              </g>
            );
          })}
        </g>
        <g className="print-view__marks">
          {layout.map(({ mark, glyph }) => (
            <g key={mark.id} transform={`translate(${glyph.x} ${glyph.y})`}>
              <MarkGlyph
                category={mark.category}
                resolved={mark.status === 'resolved'}
                value={mark.category === 'pressure' ? mark.pressure : null}
                radius={GLYPH_RADIUS}
              />
            </g>
          ))}
        </g>
        <g className="print-view__numbers">
          {layout.map(({ mark, n, number }) => (
            <g key={mark.id} transform={`translate(${number.x} ${number.y})`}>
              <circle r={BADGE_RADIUS} />
              <text x={0} y={0} dy="0.36em" textAnchor="middle" fontSize={n > 9 ? 12 : 14}>
                {n}
              </text>
            </g>
          ))}
        </g>
      </svg>
    </figure>
  );
}
