import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['cli/bin.js', ...args], { encoding: 'utf8' });

describe('sshlens command line', () => {
  it('prints its version from package.json', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
    const result = run('--version');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(`sshlens ${version}`);
  });

  it('prints help listing its commands', () => {
    const result = run('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: sshlens COMMAND/);
  });

  it('rejects an unknown command with exit 2 and no stack trace', () => {
    const result = run('frobnicate');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs through npm run sshlens', () => {
    const out = execFileSync('npm', ['run', '-s', 'sshlens', '--', '--version'], { encoding: 'utf8' });
    expect(out).toMatch(/^sshlens \d+\.\d+\.\d+/);
  });
});
