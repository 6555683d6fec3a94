import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as domain from '../src';
import { DEFAULT_POLICY_SETTINGS, RULE_IDS, RULE_REGISTRY, SEED_SOURCE_KINDS, SEED_SOURCES, SETTINGS_OUTSIDE_RULES, renderRulesTable } from '../src';

const RULES_MD = join(__dirname, '..', '..', '..', 'docs', 'RULES.md');

describe('rule registry', () => {
  it('lists every rule once, in order, with its seed sentence', () => {
    expect(RULE_REGISTRY.map((r) => r.id)).toEqual(RULE_IDS);
    for (const r of RULE_REGISTRY) {
      expect(r.source).toBe(SEED_SOURCES[r.id]);
      expect(r.sourceKind).toBe(SEED_SOURCE_KINDS[r.id]);
      expect(r.decision.trim().length).toBeGreaterThan(0);
      expect(r.decision).not.toMatch(/\n/);
      expect(r.implementedBy.length).toBeGreaterThan(0);
    }
  });

  it('names only functions the library exports', () => {
    const exported = domain as unknown as Record<string, unknown>;
    for (const r of RULE_REGISTRY) {
      for (const name of r.implementedBy) expect([r.id, name, typeof exported[name]]).toEqual([r.id, name, 'function']);
    }
  });

  it('names only real settings, and every setting belongs to a rule or is declared outside them', () => {
    const keys = Object.keys(DEFAULT_POLICY_SETTINGS);
    const named = new Set(RULE_REGISTRY.flatMap((r) => r.settings as string[]));
    for (const k of named) expect(keys).toContain(k);
    for (const k of keys) expect([k, named.has(k) || (SETTINGS_OUTSIDE_RULES as string[]).includes(k)]).toEqual([k, true]);
  });
});

describe('docs/RULES.md', () => {
  it('is what `npm run docs:rules` writes (regenerate it after changing the registry, settings or seed sources)', () => {
    const committed = readFileSync(RULES_MD, 'utf8');
    expect(committed).toBe(renderRulesTable());
  });

  it('has one row per rule and per setting', () => {
    const md = renderRulesTable();
    for (const id of RULE_IDS) expect(md).toContain(`| ${id} | ${SEED_SOURCES[id]} |`);
    for (const k of Object.keys(DEFAULT_POLICY_SETTINGS)) expect(md).toContain(`| \`${k}\` |`);
  });
});
