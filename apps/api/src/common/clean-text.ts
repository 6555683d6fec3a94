/**
 * The one rule for text that people and programs send us (body fields, query parameters, spreadsheet cells):
 * no NUL, no other C0 control character but tab, line feed and carriage return, and no unpaired UTF-16
 * surrogate. PostgreSQL refuses NUL in text, and the others only ever arrive by accident (text pasted from
 * another program) or on purpose; none is something a person meant to write. Carriage return stays allowed:
 * browsers send a textarea's line breaks as CRLF, and it is stored and shown like any line break.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|\p{Cs}/u;

/** Why the text is refused (zh-CN, without the field name), or null when it is clean. */
export function textProblem(s: string): string | null {
  const m = FORBIDDEN.exec(s);
  if (!m) return null;
  const code = m[0].charCodeAt(0);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code >= 0xd800) return `含有无效的 Unicode 字符（不成对的代理项 ${hex}）`;
  return `含有不允许的控制字符（${hex}${code === 0 ? '，空字符' : ''}）`;
}
