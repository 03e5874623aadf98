// What must hold of every build, whatever the bundler did: the manifest keeps its strict content security
// policy, and no bundle turns strings into code or HTML. scripts/build.mjs runs these on each build;
// test/unit/shipped-code.test.ts shows that they catch what they claim to.

/** The policy of manifest.json's content_security_policy.extension_pages, directive by directive. */
export const REQUIRED_CSP = {
  'script-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'frame-src': ["'none'"],
  'upgrade-insecure-requests': [],
};

// Directives that decide where code may come from; a fallback (default-src) counts when it is the one in force.
const CODE_DIRECTIVES = ['default-src', 'script-src', 'script-src-elem', 'script-src-attr', 'worker-src', 'object-src'];
const UNSAFE = /^'(unsafe-eval|unsafe-inline|unsafe-hashes|wasm-unsafe-eval|strict-dynamic)'$|^'(nonce|sha\d+)-/;

/** @param {string} policy */
function parsePolicy(policy) {
  /** @type {Map<string, string[]>} */
  const directives = new Map();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter(Boolean);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/**
 * Problems with a built manifest's content security policy; empty when it is the required one.
 * @param {Record<string, any>} manifest
 * @returns {string[]}
 */
export function manifestCspProblems(manifest) {
  const problems = [];
  const csp = manifest.content_security_policy;
  const policy = typeof csp === 'object' && csp !== null ? csp.extension_pages : undefined;
  if (typeof policy !== 'string') return ['content_security_policy.extension_pages is missing: the browser default would apply'];
  const directives = parsePolicy(policy);
  for (const [name, required] of Object.entries(REQUIRED_CSP)) {
    const sources = directives.get(name);
    if (!sources) problems.push(`the policy lacks ${name}`);
    else if (sources.join(' ') !== required.join(' ')) problems.push(`${name} must be ${required.join(' ') || 'bare'}, not ${sources.join(' ') || 'bare'}`);
  }
  for (const [name, sources] of directives) {
    for (const source of sources) {
      if (UNSAFE.test(source)) problems.push(`${name} allows ${source}`);
      else if (CODE_DIRECTIVES.includes(name) && !["'self'", "'none'"].includes(source)) problems.push(`${name} allows code from ${source}`);
    }
  }
  // Sandboxed pages run under their own, looser policy (eval allowed by default): there are none.
  if (manifest.sandbox || (typeof csp === 'object' && csp !== null && 'sandbox' in csp)) problems.push('the extension must have no sandboxed pages');
  return problems;
}

/** Each pattern names what it finds; all of them build code or HTML from strings. */
const FORBIDDEN_IN_BUNDLES = [
  [/\beval\s*\(/, 'eval('],
  [/\bnew\s+Function\s*\(/, 'new Function('],
  [/(?<!new\s+)(?<![\w$.])Function\s*\(\s*["'`]/, 'Function("…")'],
  [/\bset(Timeout|Interval)\s*\(\s*["'`]/, 'setTimeout/setInterval with a string'],
  [/\bdocument\.write(ln)?\s*\(/, 'document.write('],
  [/\.outerHTML\s*=(?!=)/, 'outerHTML ='],
  [/\binsertAdjacentHTML\b/, 'insertAdjacentHTML'],
  [/\bcreateContextualFragment\b/, 'createContextualFragment'],
  [/\bsrcdoc\b/i, 'srcdoc'],
  [/\bsetHTMLUnsafe\b|\bparseHTMLUnsafe\b/, 'setHTMLUnsafe/parseHTMLUnsafe'],
];

// Preact's renderer keeps one innerHTML assignment for dangerouslySetInnerHTML (`x.innerHTML = props.__html`),
// which our code never reaches (a lint rule forbids the prop); any other innerHTML assignment is ours and wrong.
const INNER_HTML_ASSIGNMENT = /\.innerHTML\s*=(?!=)\s*([\w$.]*)/g;
const PREACT_INNER_HTML = /^[\w$]+\.__html$/;

/**
 * Problems in built JavaScript files; empty when none turns strings into code or HTML.
 * @param {{ path: string, text: string }[]} files
 * @returns {string[]}
 */
export function bundleProblems(files) {
  const problems = [];
  for (const { path, text } of files) {
    for (const [pattern, what] of FORBIDDEN_IN_BUNDLES) {
      if (pattern.test(text)) problems.push(`${path}: ${what}`);
    }
    for (const match of text.matchAll(INNER_HTML_ASSIGNMENT)) {
      if (!PREACT_INNER_HTML.test(match[1] ?? '')) problems.push(`${path}: innerHTML = ${match[1] || '…'} (only Preact's dangerouslySetInnerHTML path is known)`);
    }
  }
  return problems;
}
