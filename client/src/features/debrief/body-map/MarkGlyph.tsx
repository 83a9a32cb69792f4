import { memo } from 'react';
import type { Category } from '@kneadback/shared/vocabulary';
import { cachedShapePath, MARK_HALO_COLOR, MARK_STYLES } from './markStyles.ts';

/** Nominal glyph radius in CSS pixels on the map (about 20px across). */
export const MARK_GLYPH_RADIUS = 10;

export interface MarkGlyphProps {
  category: Category;
  /** Resolved marks are drawn as a faded outline. */
  resolved?: boolean;
  /** Drawn inside pressure circles (the felt pressure, 1-10). */
  value?: number | null;
  /** Nominal radius in the current user units (CSS pixels on the map). */
  radius?: number;
}

/**
 * One category glyph centred on (0, 0): a white halo (contrast on any background), then the shape filled with the
 * category colour, or outlined when resolved. Use inside an <svg>; `MarkIcon` wraps it in its own <svg>.
 */
export const MarkGlyph = memo(function MarkGlyph({
  category,
  resolved = false,
  value = null,
  radius = MARK_GLYPH_RADIUS,
}: MarkGlyphProps) {
  const style = MARK_STYLES[category];
  const d = cachedShapePath(style.shape, radius);
  const showValue = value !== null && style.shape === 'circle';
  return (
    <g className={resolved ? 'body-map-glyph body-map-glyph--resolved' : 'body-map-glyph'}>
      <path d={d} fill={MARK_HALO_COLOR} stroke={MARK_HALO_COLOR} strokeWidth={5} strokeLinejoin="round" />
      <path
        d={d}
        fill={resolved ? MARK_HALO_COLOR : style.color}
        stroke={style.color}
        strokeWidth={resolved ? 2.5 : 1}
        strokeLinejoin="round"
      />
      {showValue && (
        <text
          x={0}
          y={0}
          dy="0.35em"
          textAnchor="middle"
          fontSize={radius * 1.15}
          fontWeight={700}
          fill={resolved ? style.color : MARK_HALO_COLOR}
        >
          {value}
        </text>
      )}
    </g>
  );
});

export interface MarkIconProps extends MarkGlyphProps {
  /** Icon box size in CSS pixels (default 24). */
  size?: number;
  className?: string;
  /** When given, the icon is announced with this name; otherwise it is decorative (aria-hidden). */
  title?: string;
}

/** A category glyph as a standalone inline icon, for legends, the list panel and the print view. */
export function MarkIcon({ size = 24, className, title, radius, ...glyph }: MarkIconProps) {
  const r = radius ?? size * 0.3;
  const half = size / 2;
  return (
    <svg
      className={className}
      width={size}
      height={size}
      viewBox={`${-half} ${-half} ${size} ${size}`}
      role={title ? 'img' : undefined}
      aria-label={title}
      aria-hidden={title ? undefined : true}
      focusable="false"
      overflow="visible"
    >
      <MarkGlyph {...glyph} radius={r} />
    </svg>
  );
}

/** Nominal cluster bubble radius in CSS pixels on the map. */
export const CLUSTER_GLYPH_RADIUS = 15;

/** The bubble that stands for several overlapping marks, with their count, centred on (0, 0). */
export function ClusterGlyph({ count, radius = CLUSTER_GLYPH_RADIUS }: { count: number; radius?: number }) {
  const text = count > 99 ? '99+' : String(count);
  return (
    <g className="body-map-cluster-glyph">
      <circle r={radius + 2.5} fill={MARK_HALO_COLOR} />
      <circle r={radius} className="body-map-cluster-glyph__bubble" />
      <circle r={radius - 3} className="body-map-cluster-glyph__inner" />
      <text
        x={0}
        y={0}
        dy="0.35em"
        textAnchor="middle"
        fontSize={text.length > 2 ? radius * 0.7 : radius * 0.9}
        fontWeight={700}
        className="body-map-cluster-glyph__count"
      >
        {text}
      </text>
    </g>
  );
}
