/**
 * Department exports come as UTF-8 (often with a BOM, as Excel writes it) or GBK (older
 * Windows systems). Without an explicit charset we take UTF-8 when the bytes are valid UTF-8,
 * GBK otherwise: GBK text of any length is almost never valid UTF-8.
 */
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

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeCsv(
  bytes: Uint8Array,
  encoding?: CsvEncoding,
): { text: string; encoding: CsvEncoding } {
  const chosen = encoding ?? (isUtf8(bytes) ? 'utf-8' : 'gbk');
  const text =
    chosen === 'utf-8' ? Buffer.from(bytes).toString('utf8') : iconv.decode(Buffer.from(bytes), 'gbk');
  return { text: text.replace(/^\uFEFF/, ''), encoding: chosen };
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
