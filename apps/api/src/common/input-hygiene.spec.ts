import { textProblem } from './clean-text';
import { badlyEncodedQuery, inspectInput, MAX_INPUT_DEPTH } from './input-hygiene.interceptor';

describe('the input text rule', () => {
  it('refuses NUL, the other C0 controls and unpaired surrogates, and names the character', () => {
    expect(textProblem('意见\u0000')).toContain('U+0000');
    for (const c of ['\u0001', '\u0008', '\u000B', '\u000C', '\u000E', '\u001B', '\u001F']) expect(textProblem(`a${c}b`)).toMatch(/控制字符/);
    expect(textProblem('a\uD800')).toContain('U+D800');
    expect(textProblem('\uDC00a')).toContain('U+DC00');
    expect(textProblem('\uDBFF\uDBFF\uDC00')).toContain('U+DBFF');
  });

  it('lets tab, line feed, carriage return, paired surrogates and ordinary text through', () => {
    for (const s of ['同意\t', '第一行\r\n第二行\n', '表情 \uD83D\uDE00', '', 'DEL \u007F 与 C1 \u0085 不在规则内']) expect(textProblem(s)).toBeNull();
  });
});

describe('inspectInput', () => {
  it('names the field of the first problem, with the path notation of the validators', () => {
    expect(inspectInput({ comment: 'ok', data: { lines: [{ note: 'ok' }, { note: 'x\u0000' }] } })).toEqual({ field: 'data.lines[1].note', message: expect.stringContaining('U+0000') });
    expect(inspectInput({ district: ['海曙区', '\u0007'] })).toEqual({ field: 'district[1]', message: expect.stringContaining('U+0007') });
    expect(inspectInput({ 'a\u0000': 1 })).toEqual({ field: 'body', message: expect.stringContaining('字段名') });
    expect(inspectInput({ ok: 1, flag: true, none: null, list: [1, 'two'] })).toBeNull();
  });

  it('refuses prototype keys wherever they are, as JSON.parse makes them', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(inspectInput(JSON.parse(`{"name":"x","nested":{"${key}":{"isAdmin":true}}}`))).toEqual({ field: `nested.${key}`, message: `不允许使用字段名 ${key}` });
    }
  });

  it('stops at the depth limit, so 5,000 levels cost nothing and overflow nothing', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    const problem = inspectInput(deep);
    expect(problem?.message).toContain(`最多 ${MAX_INPUT_DEPTH} 层`);
    expect(problem?.field.split('.')).toHaveLength(MAX_INPUT_DEPTH);
    const arrays = JSON.parse(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(inspectInput(arrays)?.message).toContain('嵌套层级过深');
    const fine = JSON.parse(`${'{"a":'.repeat(MAX_INPUT_DEPTH - 1)}"x"${'}'.repeat(MAX_INPUT_DEPTH - 1)}`);
    expect(inspectInput(fine)).toBeNull();
  });
});

describe('badlyEncodedQuery', () => {
  it('refuses a parameter whose percent-encoding is not UTF-8, naming it; leaves good ones alone', () => {
    expect(badlyEncodedQuery('/api/v1/institutions?district=%ED%A0%80')).toEqual({ field: 'district', message: expect.stringContaining('URL 编码') });
    expect(badlyEncodedQuery('/api/v1/institutions?district=%E6%B5%B7%E6%9B%99&limit=5')).toBeNull();
    expect(badlyEncodedQuery('/api/v1/tasks')).toBeNull();
    expect(badlyEncodedQuery('/x?a=%zz')).toEqual({ field: 'a', message: expect.any(String) });
  });
});
