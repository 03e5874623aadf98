// The checks scripts/build.mjs runs on every build (scripts/shipped-code.mjs): they pass what we ship and catch
// what they are meant to catch.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import baseManifest from '../../manifest.json' with { type: 'json' };
import { deriveManifest, outDirFor, type Browser } from '../../scripts/build-target';
import { bundleProblems, manifestCspProblems, REQUIRED_CSP } from '../../scripts/shipped-code.mjs';

const withPolicy = (policy: string) => ({ ...baseManifest, content_security_policy: { extension_pages: policy } });
const STRICT = baseManifest.content_security_policy.extension_pages;

describe('the manifest\'s content security policy', () => {
  it.each<[Browser, boolean]>([
    ['chrome', false],
    ['firefox', false],
    ['chrome', true],
    ['firefox', true],
  ])('is the required one in the %s manifest (test build: %s)', (browser, test) => {
    expect(manifestCspProblems(deriveManifest(baseManifest, { browser, test, outDir: outDirFor(browser, test) }))).toEqual([]);
  });

  it('is stricter than both browsers\' defaults: scripts only from the extension, nothing framed, no plugins', () => {
    // Chrome's default: script-src 'self'; object-src 'self'. Firefox's: script-src 'self'; upgrade-insecure-requests.
    expect(REQUIRED_CSP['script-src']).toEqual(["'self'"]);
    expect(REQUIRED_CSP['object-src']).toEqual(["'none'"]);
    expect(REQUIRED_CSP).toHaveProperty('upgrade-insecure-requests');
  });

  it('a missing policy is a problem: the browser default would apply', () => {
    const { content_security_policy: _, ...without } = baseManifest;
    expect(manifestCspProblems(without)).toEqual([expect.stringMatching(/missing/)]);
  });

  it.each([
    ["'unsafe-eval'", `${STRICT.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'")}`, /unsafe-eval/],
    ["'unsafe-inline'", `${STRICT}; style-src 'self' 'unsafe-inline'`, /unsafe-inline/],
    ["'wasm-unsafe-eval'", `${STRICT.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")}`, /wasm-unsafe-eval/],
    ['a remote script source', `${STRICT.replace("script-src 'self'", "script-src 'self' https://cdn.example.com")}`, /cdn\.example\.com/],
    ['a remote default-src', `default-src https:; ${STRICT}`, /default-src allows code from https:/],
    ['a worker from blob:', `${STRICT}; worker-src blob:`, /worker-src allows code from blob:/],
    ['plugins from the extension', STRICT.replace("object-src 'none'", "object-src 'self'"), /object-src must be 'none'/],
    ['a dropped directive', STRICT.replace("; frame-ancestors 'none'", ''), /lacks frame-ancestors/],
    ['no upgrade of insecure requests', STRICT.replace('; upgrade-insecure-requests', ''), /lacks upgrade-insecure-requests/],
  ])('catches %s', (_, policy, problem) => {
    expect(manifestCspProblems(withPolicy(policy))).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('catches sandboxed pages, which run under a looser policy', () => {
    expect(manifestCspProblems({ ...baseManifest, sandbox: { pages: ['sandbox.html'] } })).toEqual([expect.stringMatching(/sandboxed/)]);
  });
});

describe('the built bundles', () => {
  it('Preact\'s own renderer passes: its one innerHTML assignment is the dangerouslySetInnerHTML path', () => {
    const preact = readFileSync(createRequire(import.meta.url).resolve('preact'), 'utf8');
    expect(preact).toMatch(/\.innerHTML=\w+\.__html/);
    expect(bundleProblems([{ path: 'preact.mjs', text: preact }])).toEqual([]);
  });

  it.each([
    ['eval', 'function run(s){return eval(s)}', 'eval('],
    ['new Function', 'const f=new Function("a","return a")', 'new Function('],
    ['Function with a string', 'const f=Function("return this")()', 'Function("…")'],
    ['setTimeout with a string', 'setTimeout("go()",10)', 'setTimeout/setInterval with a string'],
    ['document.write', 'document.write(s)', 'document.write('],
    ['outerHTML', 'e.outerHTML=s', 'outerHTML ='],
    ['insertAdjacentHTML', 'e.insertAdjacentHTML("beforeend",s)', 'insertAdjacentHTML'],
    ['createContextualFragment', 'r.createContextualFragment(s)', 'createContextualFragment'],
    ['srcdoc', 'f.srcdoc=s', 'srcdoc'],
    ['an innerHTML of our own', 'e.innerHTML=t.message', 'innerHTML = t.message'],
  ])('catches %s', (_, code, what) => {
    expect(bundleProblems([{ path: 'assets/x.js', text: `(()=>{${code}})();` }])).toEqual([expect.stringContaining(`assets/x.js: ${what}`)]);
  });

  it('leaves lookalikes alone: comparisons, other names, a function called retrieval', () => {
    const code = 'if(e.innerHTML==s||e.outerHTML===s)retrieval(x);const evaluate=1;setTimeout(()=>go(),1);o.Function=1';
    expect(bundleProblems([{ path: 'a.js', text: code }])).toEqual([]);
  });
});
