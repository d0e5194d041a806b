/**
 * Department exports come as UTF-8 (often with a BOM, as Excel writes it) or GBK (older
 * Windows systems). Without an explicit charset we take UTF-8 when the first bytes are valid
 * UTF-8, GBK otherwise: GBK text of any length is almost never valid UTF-8.
 *
 * Decoding is incremental (chunk by chunk, as the body arrives). Bytes that are not UTF-8 in
 * a UTF-8 file are refused with the line they are on, never replaced by U+FFFD: a changed
 * name or id would be stored as if the department had sent it.
 */
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { HubError } from '@hub/domain';

export type CsvEncoding = 'utf-8' | 'gbk';

export function normaliseEncoding(name: string | undefined): CsvEncoding | undefined {
  if (name === undefined || name === '') return undefined;
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (n === 'utf8') return 'utf-8';
  if (n === 'gbk' || n === 'gb2312' || n === 'gb18030' || n === 'cp936') return 'gbk';
  throw new HubError('VALIDATION_FAILED', `不支持的字符编码 (unsupported encoding): ${name}`, {
    issues: [{ field: 'encoding', message: '可用 utf-8 或 gbk (use utf-8 or gbk)' }],
  });
}

/** Bytes looked at to choose between UTF-8 and GBK when the request does not say. */
export const SNIFF_BYTES = 64 * 1024;

/** Whether these bytes (possibly cut inside a character at the end) are valid UTF-8. */
export function looksLikeUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Index of the first byte that does not belong to valid UTF-8 (surrogates, overlongs …), or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i += 1;
      continue;
    }
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    if (i + need >= b.length) return i; // cut off at the end
    const c1 = b[i + 1]!;
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k <= need; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

/** The start of a UTF-8 character cut off at the end of `b` (empty when none). */
function incompleteTail(b: Uint8Array): Uint8Array {
  for (let k = 1; k <= Math.min(3, b.length); k++) {
    const c = b[b.length - k]!;
    if ((c & 0xc0) === 0x80) continue;
    const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return len > k ? b.subarray(b.length - k) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}

export interface CsvTextDecoder {
  /** The encoding in use (known after the first `write`, or given). */
  encoding(): CsvEncoding | undefined;
  /** Text of this chunk (may hold back the start of a character cut at the chunk's end). */
  write(chunk: Uint8Array): string;
  end(): string;
}

const notUtf8 = (line: number) =>
  new HubError(
    'VALIDATION_FAILED',
    `文件第 ${line} 行含有无效的 UTF-8 字节 (line ${line} of the file is not valid UTF-8)`,
    {
      issues: [
        {
          field: '(body)',
          message: `第 ${line} 行不是有效的 UTF-8，请以 UTF-8 或 GBK 重新导出 (line ${line} is not valid UTF-8; export again as UTF-8 or GBK)`,
        },
      ],
    },
  );

const countLines = (b: Uint8Array, end = b.length): number => {
  let n = 0;
  for (let i = 0; i < end; i++) if (b[i] === 0x0a) n += 1;
  return n;
};

/**
 * Decodes a CSV body chunk by chunk. The caller buffers up to SNIFF_BYTES before the first
 * `write` when the encoding is not given, so the choice sees enough of the file.
 */
export function createCsvTextDecoder(given?: CsvEncoding): CsvTextDecoder {
  let chosen = given;
  let lines = 0; // line breaks in what was decoded so far
  let carry: Uint8Array = new Uint8Array(0); // an incomplete UTF-8 character from the last chunk
  let utf8: TextDecoder | undefined;
  let gbk: ReturnType<typeof iconv.getDecoder> | undefined;
  let first = true;
  const stripBom = (s: string) => {
    if (!first) return s;
    first = false;
    return s.replace(/^\uFEFF/, '');
  };
  const decodeUtf8 = (chunk: Uint8Array, final: boolean): string => {
    utf8 ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    try {
      const text = utf8.decode(chunk, { stream: !final });
      lines += countLines(chunk);
      return text;
    } catch {
      const joined = Buffer.concat([carry, chunk]);
      const at = firstInvalidUtf8(joined);
      throw notUtf8(lines + countLines(joined, at < 0 ? joined.length : at) + 1);
    }
  };
  return {
    encoding: () => chosen,
    write(chunk) {
      chosen ??= looksLikeUtf8(chunk) ? 'utf-8' : 'gbk';
      if (chosen === 'gbk') {
        gbk ??= iconv.getDecoder('gbk');
        return stripBom(gbk.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
      }
      const text = decodeUtf8(chunk, false);
      // Keep the bytes of a character cut at the end, to locate an error in the next chunk.
      carry = incompleteTail(Buffer.concat([carry, chunk]));
      return stripBom(text);
    },
    end() {
      if (chosen === 'gbk') return gbk ? stripBom(gbk.end() ?? '') : '';
      if (chosen === undefined) return '';
      return stripBom(decodeUtf8(new Uint8Array(0), true));
    },
  };
}

/** A whole body at once (small files, tests). */
export function decodeCsv(
  bytes: Uint8Array,
  encoding?: CsvEncoding,
): { text: string; encoding: CsvEncoding } {
  const decoder = createCsvTextDecoder(encoding);
  const text = decoder.write(bytes) + decoder.end();
  return { text, encoding: decoder.encoding() ?? 'utf-8' };
}
