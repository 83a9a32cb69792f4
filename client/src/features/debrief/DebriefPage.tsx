export function DebriefPage() {
  return null;
}
