// The README's first quick-start command, as far as a machine without a display can run it.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function runDemo(args: string[], env: NodeJS.ProcessEnv, onOutput?: (text: string, kill: () => void) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('node_modules/.bin/tsx', ['scripts/demo.ts', '--port', '0', ...args], { env });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onOutput?.(stdout, () => child.kill('SIGTERM'));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run demo', () => {
  it('without a display, prints the demo account, says why no browser opens, and exits', async () => {
    const { DISPLAY: _display, WAYLAND_DISPLAY: _wayland, ...env } = process.env;
    const result = await runDemo([], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Server URL: http:\/\/127\.0\.0\.1:\d+/);
    expect(result.stdout).toContain('iago@zulip.com');
    expect(result.stdout).toContain('abcd1234');
    expect(result.stderr).toContain('No display found');
  });

  it('--server-only serves a Zulip organization until stopped', async () => {
    let settings: unknown;
    const result = await runDemo(['--server-only'], process.env, (stdout, kill) => {
      const url = /Server URL: (\S+)/.exec(stdout)?.[1];
      if (!url || settings !== undefined) return;
      settings = null;
      void fetch(`${url}/api/v1/server_settings`)
        .then((response) => response.json())
        .then((body: unknown) => (settings = body))
        .finally(kill);
    });
    expect(result.code).toBe(0);
    expect(settings).toMatchObject({ result: 'success', realm_name: 'Zulip Dev' });
  });
});
