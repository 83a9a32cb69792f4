import { PHOTO_MAX_BYTES } from '@kneadback/shared/schemas/profile';

const SIDE = 256;

/**
 * A picture from the device, cropped to a square and shrunk to 256 px as a JPEG data URL under
 * the server's 40 kB limit (a phone photo is megabytes). Lower quality until it fits.
 */
export async function shrinkPhoto(file: File): Promise<string> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    // the browser's own words ("The source image could not be decoded") mean nothing to the person choosing
    throw new Error('this file is not a picture this device can open; choose a JPEG, PNG or WebP photo');
  }
  const side = Math.min(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = SIDE;
  canvas.height = SIDE;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot resize pictures');
  context.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, SIDE, SIDE);
  bitmap.close();
  for (const quality of [0.85, 0.7, 0.55, 0.4]) {
    const dataUrl = canvas.toDataURL('image/jpeg', quality);
    if ((dataUrl.length - dataUrl.indexOf(',') - 1) * 0.75 <= PHOTO_MAX_BYTES) return dataUrl;
  }
  throw new Error('this picture stays too large even when shrunk; try another one');
}
