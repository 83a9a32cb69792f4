/** The origin a /notes/new address names (lib/links.ts newNotePath), as the body's `from` would hold it (the server checks it). */
export function originFromParams(params: URLSearchParams): Record<string, string | number> | undefined {
  const type = params.get('type');
  if (!type) return undefined;
  const from: Record<string, string | number> = {};
  for (const [key, value] of params) from[key] = key === 'count' ? Number(value) : value;
  return from;
}
