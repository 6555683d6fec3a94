import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_IDS, SEED_SOURCE_KINDS, SEED_SOURCE_PARTS, SEED_SOURCES, isRuleId } from '../src';

const seed = readFileSync(join(__dirname, 'fixtures', 'seed-000.txt'), 'utf8');

describe('SEED_SOURCES', () => {
  it('has R1–R16 plus R3b, each with a kind', () => {
    expect(RULE_IDS).toEqual(['R1', 'R2', 'R3', 'R3b', ...Array.from({ length: 13 }, (_, i) => `R${i + 4}`)]);
    for (const id of RULE_IDS) expect(SEED_SOURCE_KINDS[id]).toBeDefined();
  });

  it.each(RULE_IDS.filter((id) => SEED_SOURCE_KINDS[id] === 'VERBATIM'))('%s is quoted verbatim from the seed', (id) => {
    expect(seed.includes(SEED_SOURCES[id])).toBe(true);
  });

  it('marks the silent default R3b and the composite R15, whose parts are verbatim', () => {
    expect(SEED_SOURCE_KINDS.R3b).toBe('SILENT_DEFAULT');
    expect(SEED_SOURCES.R3b.startsWith('（政策未明确）')).toBe(true);
    expect(seed.includes(SEED_SOURCES.R3b)).toBe(false);
    expect(SEED_SOURCE_KINDS.R15).toBe('COMPOSITE');
    expect(SEED_SOURCES.R15.startsWith('（组合引用）')).toBe(true);
    const parts = SEED_SOURCE_PARTS.R15!;
    expect(parts.length).toBe(2);
    for (const p of parts) {
      expect(seed.includes(p)).toBe(true);
      expect(SEED_SOURCES.R15.includes(p)).toBe(true);
    }
  });

  it('isRuleId accepts known ids only', () => {
    expect(isRuleId('R3b')).toBe(true);
    expect(isRuleId('R17')).toBe(false);
    expect(isRuleId('toString')).toBe(false);
  });
});
