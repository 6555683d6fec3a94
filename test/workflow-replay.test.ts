/** Replays every recorded history under test/fixtures/histories against today's workflow code. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HISTORY_DIR, replay } from './support/histories';

const files = readdirSync(HISTORY_DIR).filter((f) => f.endsWith('.json'));

describe('recorded workflow histories replay deterministically', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s', async (file) => {
    // The worker converts the CLI's JSON form itself.
    const history: unknown = JSON.parse(readFileSync(path.join(HISTORY_DIR, file), 'utf8'));
    await expect(replay(history, path.basename(file, '.json'))).resolves.toBeUndefined();
  });
});
