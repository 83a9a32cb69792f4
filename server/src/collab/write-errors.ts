/**
 * Whether a failed database write can ever succeed as it is. A busy or unreachable database is
 * waited out; a write the database rejects for what it holds (too large, invalid) is not retried,
 * so it cannot hold up every other document's writes behind it forever.
 */
const PERMANENT_CODES = new Set([
  2, // BadValue
  14, // TypeMismatch
  121, // DocumentValidationFailure
  10334, // BSONObjectTooLarge
  17419, // document too large after an update
]);
const PERMANENT_NAMES = new Set(['BSONError', 'BSONVersionError', 'ValidationError', 'CastError']);
const PERMANENT_MESSAGE = /too large|BSONObj size|exceeds maximum/i;

export function isPermanentWriteError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number' && PERMANENT_CODES.has(code)) return true;
  if (PERMANENT_NAMES.has(err.name)) return true;
  // the driver refuses an oversized document before sending it
  if (err instanceof RangeError) return true;
  return PERMANENT_MESSAGE.test(err.message);
}
