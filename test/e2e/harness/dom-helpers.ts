// DOM-side helpers, shipped to the page as source text (never as a transpiled function, so no bundler helper such
// as __name can leak into it, and no page CSP applies: the drivers evaluate it through the debugging protocol).
//
// They approximate the accessible name (aria-labelledby, aria-label, <label>, content, alt, title, placeholder).
// Chromium uses Playwright's getByLabel/getByRole for lookups and these helpers for focusedElementName and error
// messages; Firefox uses them for every lookup, with ::-p-aria (Firefox's accessibility tree) as a fallback for
// button names they miss.

/** How a name is matched: a string matches exactly after whitespace normalisation, a RegExp is tested. */
export type NameSpec = { text: string } | { source: string; flags: string };

export function nameSpec(name: string | RegExp): NameSpec {
  return typeof name === 'string' ? { text: name } : { source: name.source, flags: name.flags };
}

export type ElementKind = 'field' | 'button';

// A function of the window it inspects: the page's own, or (Firefox's toolbar popup) another window of the extension
// reached from the control tab, whose globals are then not the ones in scope.
const HELPERS_FN = String.raw`((window) => {
  if (window.__keyringHarness) return window.__keyringHarness;
  const document = window.document;
  const Node = window.Node;
  const getComputedStyle = (el) => window.getComputedStyle(el);
  const norm = (s) => String(s == null ? '' : s).replace(/\s+/g, ' ').trim();
  const FIELD = 'input:not([type=hidden]):not([type=button]):not([type=submit]):not([type=reset]):not([type=image])' +
    ':not([type=checkbox]):not([type=radio]):not([type=file]):not([type=range]):not([type=color]),' +
    'textarea,select,[contenteditable=""],[contenteditable=true],[role=textbox],[role=searchbox],[role=combobox],[role=spinbutton]';
  const BUTTON = 'button,input[type=button],input[type=submit],input[type=reset],input[type=image],[role=button]';
  const isHidden = (el) => {
    if (!el.isConnected) return true;
    if (el.closest('[hidden],[aria-hidden=true]')) return true;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || style.visibility === 'collapse') return true;
    return el.getClientRects().length === 0;
  };
  const byIds = (el, attr) => (el.getAttribute(attr) || '').split(/\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)).filter(Boolean);
  // Text content the way a name-from-content computation sees it: skips hidden parts and the control itself.
  const contentText = (node, skip) => {
    if (node.nodeType === Node.TEXT_NODE) return node.nodeValue || '';
    if (node.nodeType !== Node.ELEMENT_NODE || node === skip) return '';
    const el = node;
    if (el.getAttribute('aria-hidden') === 'true' || el.hidden) return '';
    if (/^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT)$/.test(el.tagName)) return '';
    if (el !== skip && el.matches && el.matches('input,textarea,select')) return '';
    const label = el.getAttribute('aria-label');
    if (label && norm(label)) return ' ' + label + ' ';
    if (el.tagName === 'IMG') return ' ' + (el.getAttribute('alt') || '') + ' ';
    let text = '';
    for (const child of el.childNodes) text += contentText(child, skip);
    const display = el.isConnected ? getComputedStyle(el).display : 'inline';
    return display === 'inline' ? text : ' ' + text + ' ';
  };
  // forLookup: the name a field is looked up by, as Playwright's getByLabel sees it (aria-labelledby, aria-label,
  // <label>), without the title/placeholder fallback of the accessible name, so both browsers agree on what matches.
  const nameOf = (el, forLookup) => {
    if (!el || el === document.body || el === document.documentElement) return '';
    const labelledBy = byIds(el, 'aria-labelledby');
    if (labelledBy.length) return norm(labelledBy.map((l) => contentText(l, el)).join(' '));
    const ariaLabel = norm(el.getAttribute('aria-label'));
    if (ariaLabel) return ariaLabel;
    if (el.labels && el.labels.length) {
      const fromLabels = norm([...el.labels].map((l) => contentText(l, el)).join(' '));
      if (fromLabels) return fromLabels;
    }
    if (el.matches('input[type=button],input[type=submit],input[type=reset]')) {
      return norm(el.value) || (el.type === 'submit' ? 'Submit' : el.type === 'reset' ? 'Reset' : '');
    }
    if (el.matches('input[type=image],img,area')) return norm(el.getAttribute('alt'));
    const isField = el.matches(FIELD);
    if (!isField) {
      const text = norm(contentText(el, null));
      if (text) return text;
    }
    if (forLookup && isField) return '';
    return norm(el.getAttribute('title')) || norm(el.getAttribute('placeholder'));
  };
  const matches = (name, spec) => 'text' in spec ? name === norm(spec.text) : new RegExp(spec.source, spec.flags).test(name);
  const candidates = (kind) => [...document.querySelectorAll(kind === 'field' ? FIELD : BUTTON)];
  const find = (kind, spec) => {
    const all = candidates(kind).filter((el) => matches(nameOf(el, true), spec));
    return all.find((el) => !isHidden(el)) || null;
  };
  const isDisabled = (el) => {
    if (el.matches(':disabled')) return true;
    const aria = el.closest('[aria-disabled]');
    return !!aria && aria.getAttribute('aria-disabled') === 'true';
  };
  const names = (kind) => candidates(kind).filter((el) => !isHidden(el)).map((el) => nameOf(el, true));
  const focusedName = () => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body || el === document.documentElement) return '';
    return nameOf(el, false) || norm(el.textContent);
  };
  const api = { norm, nameOf, find, isDisabled, isHidden, names, focusedName };
  Object.defineProperty(window, '__keyringHarness', { value: api, configurable: true });
  return api;
})`;

/**
 * An expression evaluating to the helper object for the window `win` evaluates to (default: the page's own).
 * Every expression below takes the same optional `win`.
 */
export function helpersExpr(win = 'window'): string {
  return `${HELPERS_FN}(${win})`;
}

/** Expression: the first visible element of `kind` whose name matches, or null. */
export function findExpr(kind: ElementKind, name: string | RegExp, win?: string): string {
  return `${helpersExpr(win)}.find(${JSON.stringify(kind)}, ${JSON.stringify(nameSpec(name))})`;
}

/** Expression: names of the visible elements of `kind` (for error messages). */
export function namesExpr(kind: ElementKind, win?: string): string {
  return `${helpersExpr(win)}.names(${JSON.stringify(kind)})`;
}

/** Expression: the visible text of the page (innerText of body) contains / matches. */
export function textPresentExpr(text: string | RegExp, win = 'window'): string {
  const spec = typeof text === 'string' ? { text } : { source: text.source, flags: text.flags };
  return `(() => {
    const body = ${win}.document.body;
    const seen = body ? (body.innerText || body.textContent || '') : '';
    const spec = ${JSON.stringify(spec)};
    return 'text' in spec ? seen.replace(/\\s+/g, ' ').includes(spec.text.replace(/\\s+/g, ' ').trim())
      : new RegExp(spec.source, spec.flags).test(seen);
  })()`;
}

export function focusedNameExpr(win?: string): string {
  return `${helpersExpr(win)}.focusedName()`;
}

export function textOfExpr(selector: string, win = 'window'): string {
  return `(() => { const el = ${win}.document.querySelector(${JSON.stringify(selector)}); return el ? (el.textContent || '') : ''; })()`;
}

export function popupReadyExpr(win = 'window'): string {
  return `(() => { const app = ${win}.document.getElementById('app'); return !!app && app.children.length > 0; })()`;
}

export function bodyTextExpr(limit = 500, win = 'window'): string {
  return `(((${win}.document.body) && ${win}.document.body.innerText) || '').slice(0, ${limit})`;
}

/**
 * Expression for an extension page: runs `fnSource` (an expression evaluating to a function) as a content script in
 * the top frame of the tab showing `pageUrl`, and resolves to `{ ok: true, value }` or `{ ok: false, error }`.
 * The function literal is part of the evaluated text, so the extension page's CSP (no eval) does not get in the way.
 */
export function contentScriptExpr(pageUrl: string, fnSource: string, args: unknown[] = []): string {
  return `(async () => {
    const api = globalThis.browser ?? globalThis.chrome;
    const want = ${JSON.stringify(pageUrl)};
    const normalise = (u) => { try { return new URL(u).href; } catch { return u; } };
    const tabs = await api.tabs.query({});
    const hits = tabs.filter((t) => t.url && normalise(t.url) === normalise(want));
    if (hits.length === 0) {
      return { ok: false, error: 'no tab shows ' + want + ' (open it with openPage first; tabs: ' +
        JSON.stringify(tabs.map((t) => t.url ?? '(url not visible to the extension)')) + ')' };
    }
    const tab = hits[hits.length - 1];
    let results;
    try {
      results = await api.scripting.executeScript({
        target: { tabId: tab.id },
        world: 'ISOLATED',
        args: ${JSON.stringify(args)},
        func: async (...args) => {
          try {
            return { ok: true, value: await ${fnSource}(...args) };
          } catch (e) {
            return { ok: false, error: String((e && e.message) || e), stack: String((e && e.stack) || '') };
          }
        },
      });
    } catch (e) {
      return { ok: false, error: 'scripting.executeScript failed: ' + String((e && e.message) || e) };
    }
    const first = results && results[0];
    if (!first) return { ok: false, error: 'scripting.executeScript returned no result' };
    if (first.error) return { ok: false, error: String((first.error && first.error.message) || first.error) };
    return first.result ?? { ok: false, error: 'the content script returned nothing (result not serializable?)' };
  })()`;
}

export type ContentScriptOutcome<T> = { ok: true; value: T } | { ok: false; error: string; stack?: string };

/** Expression: the window's PopupSize (see extension-browser.ts). Sub-pixel layout rounds; half a pixel is allowed. */
export function popupSizeExpr(win = 'window'): string {
  return `(() => {
    const view = ${win};
    const root = view.document.documentElement;
    const width = view.innerWidth;
    const outside = [...view.document.querySelectorAll('body *')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && (r.right > width + 0.5 || r.left < -0.5);
    }).map((el) => el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
    return { width, height: view.innerHeight, scrollWidth: root.scrollWidth, scrollHeight: root.scrollHeight, outsideHorizontally: outside.slice(0, 10) };
  })()`;
}
