// The functions the bench runs inside the browsers. They are sent as source text (see the harness README): no
// closures, no imports, only their arguments; and no named inner functions (`const f = () => …`), which tsx would
// wrap in a __name helper the browser does not have.
/* eslint-disable @typescript-eslint/no-explicit-any -- these run in browser worlds the bench has no types for */

/**
 * Content script: `count` sequential credentials.get round trips, each timed alone. `floorMessage`: a bare
 * runtime.sendMessage of that type to the floor's background (bench/floor/background.ts) instead of ours'
 * keyringForZulip.getCredentials(). Any reply that is not a success throws: a refused (rate-limited, failed) call
 * would be fast and mean nothing.
 */
export const timeRoundTrips = async (count: number, floorMessage: string | null): Promise<number[]> => {
  const world = globalThis as any;
  const api = world.browser ?? world.chrome;
  // The registered content script runs at document_idle: wait for it.
  for (let waited = 0; floorMessage === null && !world.keyringForZulip; waited += 20) {
    if (waited > 5000) throw new Error('the content script did not load in this tab');
    await new Promise((r) => setTimeout(r, 20));
  }
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const reply = floorMessage !== null ? await api.runtime.sendMessage({ type: floorMessage }) : await world.keyringForZulip.getCredentials();
    const took = performance.now() - started;
    if (!reply || reply.ok !== true) throw new Error(`call ${i} was not answered with success: ${JSON.stringify(reply?.error?.code ?? reply?.error ?? reply)}`);
    times.push(took);
  }
  return times;
};

/** Popup page: the bench marks (bench/popup-marks.ts) once the list is in, or null before. */
export const readPopupMarks = (): { moduleStart: number; listReady: number; items: number } | null => {
  const start = performance.getEntriesByName('keyring-bench:module-start')[0];
  const ready = performance.getEntriesByName('keyring-bench:list-ready')[0] as PerformanceMark | undefined;
  if (!start || !ready) return null;
  return { moduleStart: start.startTime, listReady: ready.startTime, items: (ready.detail as { items: number }).items };
};

/**
 * Popup page, before pressing Log in: records when the click arrives and when the account list shows again after it.
 * The result is read with readSignInTimes.
 */
export const watchSignIn = (): void => {
  const world = globalThis as any;
  const times: { click?: number; shown?: number } = {};
  world.__keyringBenchSignIn = times;
  document.addEventListener(
    'click',
    (event) => {
      if ((event.target as Element | null)?.closest('button')?.textContent?.trim() === 'Log in') times.click ??= performance.now();
    },
    { capture: true },
  );
  const observer = new MutationObserver(() => {
    if (times.click === undefined || !document.querySelector('main[aria-busy="false"] ul.accounts li')) return;
    times.shown = performance.now();
    observer.disconnect();
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
};

export const readSignInTimes = (): { click: number; shown: number } | null => {
  const times = (globalThis as any).__keyringBenchSignIn as { click?: number; shown?: number } | undefined;
  return times?.click !== undefined && times.shown !== undefined ? { click: times.click, shown: times.shown } : null;
};

/**
 * Quiet extension page of ours: makes storage hold `total` accounts, the one real account (`template`: its realm's
 * item as the extension stored it after a real sign-in, account-store.ts schema 3) plus `total - 1` copies for other
 * realms, one account each. Each copy's API key is sealed
 * with the extension's own sealing key (from its IndexedDB) and bound to its realm and user the way key-sealer.ts
 * does, so the copies are accounts the store reads and opens like any other. Copies beyond `total` are removed.
 */
export const seedAccounts = async (total: number, template: Record<string, any>): Promise<number> => {
  const world = globalThis as any;
  const api = world.browser ?? world.chrome;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const opening = indexedDB.open('keyring-for-zulip', 1);
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  const key = await new Promise<unknown>((resolve, reject) => {
    const reading = db.transaction('keys').objectStore('keys').get('sealing-key');
    reading.onsuccess = () => resolve(reading.result);
    reading.onerror = () => reject(reading.error);
  });
  db.close();
  if (!(key instanceof CryptoKey)) throw new Error('no sealing key: sign in once first');
  const encoder = new TextEncoder();
  const items: Record<string, unknown> = {};
  for (let i = 1; i < total; i++) {
    const realmUrl = `https://bench-${String(i).padStart(5, '0')}.keyring-bench.invalid`;
    const userId = 100000 + i;
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const apiKey = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(`${realmUrl}\n${userId}`) }, key, encoder.encode(apiKey));
    const account = {
      ...template.accounts[0],
      realmUrl,
      realmName: `Bench organization ${i}`,
      realmIconUrl: null,
      email: `user${i}@keyring-bench.invalid`,
      userId,
      sealedApiKey: { iv: btoa(String.fromCharCode(...iv)), data: btoa(String.fromCharCode(...new Uint8Array(data))) },
      credentialStatus: 'valid',
      checkedAt: Date.now(),
    };
    items[`account:${realmUrl}`] = { realmUrl, defaultUserId: userId, accounts: [account] };
  }
  await api.storage.local.set(items);
  const stored = Object.keys(await api.storage.local.get(null)).filter((k) => k.startsWith('account:'));
  const extra = stored.filter((k) => k.startsWith('account:https://bench-') && !(k in items));
  if (extra.length) await api.storage.local.remove(extra);
  return stored.length - extra.length;
};

/**
 * Quiet extension page of the floor: makes its storage.local hold the same account records as ours (`records`, every
 * "account:" item ours stored), and nothing else of that kind. The floor cannot open ours' sealed keys, so each
 * account gets a fresh random key sealed with the floor's own sealing key (created here on first use, where
 * sealing-key.ts keeps ours) and bound to its realm and user as key-sealer.ts binds it. Returns the number of accounts.
 */
export const seedFloor = async (records: Record<string, any>): Promise<number> => {
  const world = globalThis as any;
  const api = world.browser ?? world.chrome;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const opening = indexedDB.open('keyring-for-zulip', 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore('keys');
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
  const stored = await new Promise<unknown>((resolve, reject) => {
    const reading = db.transaction('keys').objectStore('keys').get('sealing-key');
    reading.onsuccess = () => resolve(reading.result);
    reading.onerror = () => reject(reading.error);
  });
  let key = stored as CryptoKey | undefined;
  if (!key) {
    key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    await new Promise((resolve, reject) => {
      const writing = db.transaction('keys', 'readwrite');
      writing.objectStore('keys').put(key, 'sealing-key');
      writing.oncomplete = resolve;
      writing.onerror = () => reject(writing.error);
    });
  }
  db.close();
  const encoder = new TextEncoder();
  const items: Record<string, unknown> = {};
  let accounts = 0;
  for (const [name, realm] of Object.entries(records)) {
    const resealed = [];
    for (const account of realm.accounts) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const apiKey = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
      const additionalData = encoder.encode(`${account.realmUrl}\n${account.userId}`);
      const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, key, encoder.encode(apiKey));
      resealed.push({ ...account, sealedApiKey: { iv: btoa(String.fromCharCode(...iv)), data: btoa(String.fromCharCode(...new Uint8Array(data))) } });
    }
    items[name] = { ...realm, accounts: resealed };
    accounts += resealed.length;
  }
  const extra = Object.keys(await api.storage.local.get(null)).filter((k) => k.startsWith('account:') && !(k in items));
  if (extra.length) await api.storage.local.remove(extra);
  await api.storage.local.set(items);
  return accounts;
};
