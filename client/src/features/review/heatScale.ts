/**
 * Five steps from light to dark, one hue, so the map reads in grey-scale too. Fixed colours (not theme tokens): the
 * figure keeps the same light body fill in both colour schemes, like the debrief map.
 */
export const HEAT_COLORS = ['#f3c6a5', '#e9976b', '#d86a3f', '#b5432a', '#7f2a1d'] as const;

export interface HeatStep {
  /** Inclusive count range of this step. */
  from: number;
  to: number;
  color: string;
}

/**
 * Splits 1..max into at most five equal-width steps (fewer when max is small, so each step holds at least one count)
 * and spreads them over the palette so the top step is always the darkest colour.
 */
export function heatSteps(max: number): HeatStep[] {
  const count = Math.min(HEAT_COLORS.length, Math.max(0, Math.floor(max)));
  const steps: HeatStep[] = [];
  let from = 1;
  for (let i = 1; i <= count; i++) {
    const to = Math.round((max * i) / count);
    const color = HEAT_COLORS[Math.ceil((i * HEAT_COLORS.length) / count) - 1]!;
    steps.push({ from, to, color });
    from = to + 1;
  }
  return steps;
}

/** The step a count falls in, or null for zero. */
export function stepFor(steps: readonly HeatStep[], count: number): HeatStep | null {
  if (count <= 0) return null;
  return steps.find((s) => count <= s.to) ?? steps[steps.length - 1] ?? null;
}

export function stepLabel(step: HeatStep): string {
  return step.from === step.to ? String(step.from) : `${step.from}–${step.to}`;
}
