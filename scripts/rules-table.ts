/**
 * `npm run docs:rules`: writes docs/RULES.md from the rule registry in libs/domain (run from the repository root, as
 * npm does). libs/domain/test/rules-registry.spec.ts fails while the committed file differs from this output.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { renderRulesTable } from '@app/domain';

const target = resolve(process.cwd(), 'docs', 'RULES.md');
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, renderRulesTable(), 'utf8');
process.stdout.write(`wrote ${target}\n`);
