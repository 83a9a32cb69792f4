import { describe, expect, it } from 'vitest';
import { decodePhoto } from './photo.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const url = (type: string, bytes: Buffer) => `data:${type};base64,${bytes.toString('base64')}`;

describe('profile photos', () => {
  it('accepts a JPEG, PNG or WebP whose bytes match its type', () => {
    expect(decodePhoto(url('image/png', PNG)).type).toBe('image/png');
    expect(decodePhoto(url('image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).type).toBe('image/jpeg');
    expect(decodePhoto(url('image/webp', Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).type).toBe('image/webp');
  });

  it('refuses other types, mismatched bytes, oversize files and anything not a data URL', () => {
    const svg = Buffer.from('<svg onload="alert(1)"/>');
    expect(() => decodePhoto(url('image/svg+xml', svg))).toThrow(/data URL/);
    expect(() => decodePhoto(url('image/gif', Buffer.from('GIF89a')))).toThrow(/JPEG, PNG or WebP/);
    expect(() => decodePhoto(url('image/png', Buffer.from('<html>')))).toThrow(/not a PNG/);
    expect(() => decodePhoto(url('image/png', Buffer.concat([PNG, Buffer.alloc(40_000)])))).toThrow(/40 kB/);
    expect(() => decodePhoto('https://example.test/me.png')).toThrow(/data URL/);
  });
});
