import { CATEGORIES, CATEGORY_LABELS, type Category } from '@kneadback/shared/vocabulary';
import { MarkIcon } from './body-map/index.ts';
import { ChoiceButtons } from './ChoiceButtons.tsx';

const OPTIONS = CATEGORIES.map((category) => ({
  value: category,
  label: (
    <>
      <MarkIcon category={category} size={24} />
      <span>{CATEGORY_LABELS[category]}</span>
    </>
  ),
}));

export function CategoryPicker({ value, onChange }: { value: Category; onChange: (category: Category) => void }) {
  return (
    <ChoiceButtons legend="Category" options={OPTIONS} value={value} onChange={onChange} className="category-picker" />
  );
}
