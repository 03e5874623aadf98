// Keeps one registered content script per realm host, and none elsewhere. Match patterns carry
// no port, so two realms on one host share a script; the message handler checks the exact origin.
import { originPermissionPattern } from '../../shared/realm-url';
import { createSerialQueue } from '../serial-queue';
import type { ScriptingLike } from '../ports';

const ID_PREFIX = 'realm ';

export function createContentScriptRegistry(scripting: ScriptingLike, scriptFile: string) {
  const queue = createSerialQueue();

  async function apply(realmUrls: string[]): Promise<void> {
    const wanted = new Map(realmUrls.map((url) => {
      const pattern = originPermissionPattern(url);
      return [ID_PREFIX + pattern, pattern] as const;
    }));
    const registered = new Set(
      (await scripting.getRegisteredContentScripts()).map((script) => script.id).filter((id) => id.startsWith(ID_PREFIX)),
    );
    const stale = [...registered].filter((id) => !wanted.has(id));
    if (stale.length > 0) await scripting.unregisterContentScripts({ ids: stale });
    const missing = [...wanted].filter(([id]) => !registered.has(id));
    if (missing.length > 0) {
      await scripting.registerContentScripts(
        missing.map(([id, pattern]) => ({
          id,
          matches: [pattern],
          js: [scriptFile],
          runAt: 'document_idle' as const,
          allFrames: false,
          persistAcrossSessions: true,
        })),
      );
    }
  }

  return {
    /**
     * Makes the registered scripts match exactly the realms `realmUrls` gives. Calls run one at a
     * time, each asking for the realms only when its turn comes: overlapping calls would otherwise
     * both register a missing script (the browser refuses the second with a duplicate id), both
     * unregister a stale one, or apply an older list of realms after a newer one.
     */
    sync(realmUrls: () => Promise<string[]>): Promise<void> {
      return queue(async () => apply(await realmUrls()));
    },
  };
}
export type ContentScriptRegistry = ReturnType<typeof createContentScriptRegistry>;
