import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

import { DataFormatError } from './errors.js';

export type TextEncoding = 'utf8' | 'latin1';

/**
 * Calls fn(line, lineNo) for every line of a text file, streaming in 4 MiB chunks (ML-20M's ratings are larger
 * than V8's longest string). Rules: a UTF-8 byte-order mark is skipped; CRLF and LF both end lines; a final line
 * without a newline counts; an empty file is an error. Line numbers start at 1.
 */
export function forEachLine(path: string, encoding: TextEncoding, fn: (line: string, lineNo: number) => void): void {
  if (statSync(path).size === 0) throw new DataFormatError(path, 1, 'file is empty');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 22);
    const decoder = new StringDecoder(encoding);
    let carry = '';
    let lineNo = 0;
    let first = true;
    const emit = (text: string, final: boolean) => {
      let start = 0;
      for (;;) {
        const nl = text.indexOf('\n', start);
        if (nl < 0) break;
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        fn(text.slice(start, end), ++lineNo);
        start = nl + 1;
      }
      carry = text.slice(start);
      if (final && carry.length > 0) fn(carry.endsWith('\r') ? carry.slice(0, -1) : carry, ++lineNo);
    };
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      let text = carry + decoder.write(buf.subarray(0, n));
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        else if (encoding === 'latin1' && text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3);
        first = false;
      }
      emit(text, false);
    }
    emit(carry + decoder.end(), true);
  } finally {
    closeSync(fd);
  }
}
