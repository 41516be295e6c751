import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { UserError } from '../core/kernel/errors.js';

const decoder = new TextDecoder('utf-8', { fatal: false });

export type DecodedText = { text: string; invalidUtf8: boolean };

/** Bytes as text; invalid UTF-8 becomes U+FFFD and is reported rather than crashing. */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  const text = decoder.decode(bytes);
  // U+FFFD can also be typed on purpose, so only a strict decode tells the two apart.
  return { text, invalidUtf8: text.includes('\uFFFD') && hasInvalidUtf8(bytes) };
}

function hasInvalidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return false;
  } catch {
    return true;
  }
}

export async function readStream(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

export function readFileBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new UserError(`cannot read ${file}: ${why}`);
  }
}

export function parsePositiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${name} must be a positive whole number, got "${value}"`);
  return n;
}
