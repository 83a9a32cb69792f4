import { CATEGORIES, CATEGORY_LABELS, type Category } from '@kneadback/shared/vocabulary';
import { CategoryGlyph } from './CategoryGlyph.tsx';
import { ChoiceButtons } from './ChoiceButtons.tsx';

const OPTIONS = CATEGORIES.map((category) => ({
  value: category,
  label: (
    <>
      <CategoryGlyph category={category} size={22} />
      <span>{CATEGORY_LABELS[category]}</span>
    </>
  ),
}));

export function CategoryPicker({ value, onChange }: { value: Category; onChange: (category: Category) => void }) {
  return (
    <ChoiceButtons legend="Category" options={OPTIONS} value={value} onChange={onChange} className="category-picker" />
  );
}
