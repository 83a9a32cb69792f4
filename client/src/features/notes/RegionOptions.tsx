import { BODY_REGIONS, BODY_VIEW_LABELS, BODY_VIEWS, regionWithView } from '@kneadback/shared/body/index';

const REGIONS_BY_VIEW = BODY_VIEWS.map((view) => ({ view, regions: BODY_REGIONS.filter((r) => r.view === view) }));

/**
 * The body regions as options grouped by view, for a select. `omit` leaves out those already chosen; `withView`
 * names the view in each option too, since a closed select shows the option without its group.
 */
export function RegionOptions({ omit, withView = false }: { omit?: ReadonlySet<string>; withView?: boolean }) {
  return (
    <>
      {REGIONS_BY_VIEW.map(({ view, regions }) => (
        <optgroup key={view} label={BODY_VIEW_LABELS[view]}>
          {regions
            .filter((r) => !omit?.has(r.id))
            .map((r) => (
              <option key={r.id} value={r.id}>
                {withView ? regionWithView(r.id, view) : r.label}
              </option>
            ))}
        </optgroup>
      ))}
    </>
  );
}
