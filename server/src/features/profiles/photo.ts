import { PHOTO_MAX_BYTES, PHOTO_TYPES, type PhotoType } from '@kneadback/shared/schemas/profile';
import { AppError } from '../../http/errors.ts';

/** The first bytes of each accepted format: what the data is, whatever the data URL claims. */
const SIGNATURES: Record<PhotoType, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
};

const DATA_URL = /^data:(image\/[a-z]+);base64,([A-Za-z0-9+/]+={0,2})$/;

const refuse = (message: string) => new AppError(400, 'invalid_photo', message, 'dataUrl');

/**
 * Reads a photo sent as a data URL: a JPEG, PNG or WebP whose bytes are what it says, at most
 * PHOTO_MAX_BYTES. Anything else (SVG, which can carry script; HTML dressed as an image) is
 * refused, so what is served back is only ever one of these images.
 */
export function decodePhoto(dataUrl: string): { type: PhotoType; data: Buffer } {
  const match = DATA_URL.exec(dataUrl);
  if (!match) throw refuse('send the photo as a base64 data URL');
  const type = match[1] as PhotoType;
  if (!PHOTO_TYPES.includes(type)) throw refuse('the photo must be a JPEG, PNG or WebP image');
  const data = Buffer.from(match[2]!, 'base64');
  if (data.length > PHOTO_MAX_BYTES) throw refuse('the photo must be at most 40 kB');
  if (!SIGNATURES[type](data)) throw refuse(`the file is not a ${type.slice(6).toUpperCase()} image`);
  return { type, data };
}

/** Lean reads give a stored Buffer back as a BSON Binary (or a Buffer, depending on the driver). */
export function bytesOf(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  const binary = data as { buffer: Uint8Array; length(): number };
  return Buffer.from(binary.buffer.subarray(0, binary.length()));
}
