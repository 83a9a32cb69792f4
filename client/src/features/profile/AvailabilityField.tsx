import { DAY_PART_LABELS, DAY_PARTS, WEEKDAY_LABELS, WEEKDAYS } from '@kneadback/shared/profile-vocabulary';
import type { AvailabilitySlot } from '@kneadback/shared/schemas/profile';

/** A week as a grid of large toggles: a row per day, a column per part of the day. */
export function AvailabilityField({
  value,
  onChange,
}: {
  value: AvailabilitySlot[];
  onChange: (next: AvailabilitySlot[]) => void;
}) {
  const on = new Set(value.map((s) => `${s.day}-${s.part}`));
  function toggle(slot: AvailabilitySlot) {
    const key = `${slot.day}-${slot.part}`;
    const next = new Set(on);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    onChange(
      WEEKDAYS.flatMap((day) => DAY_PARTS.filter((part) => next.has(`${day}-${part}`)).map((part) => ({ day, part }))),
    );
  }
  return (
    <table className="availability">
      <thead>
        <tr>
          <td />
          {DAY_PARTS.map((part) => (
            <th key={part} scope="col">
              {DAY_PART_LABELS[part]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {WEEKDAYS.map((day) => (
          <tr key={day}>
            <th scope="row">{WEEKDAY_LABELS[day]}</th>
            {DAY_PARTS.map((part) => (
              <td key={part}>
                <label className="availability__slot">
                  <input
                    type="checkbox"
                    checked={on.has(`${day}-${part}`)}
                    onChange={() => toggle({ day, part })}
                    aria-label={`${WEEKDAY_LABELS[day]} ${DAY_PART_LABELS[part].toLowerCase()}`}
                  />
                </label>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
