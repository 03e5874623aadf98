// The tab a single sign-on flow runs in. Creating, navigating and closing a tab the extension
// opened needs no "tabs" permission in either browser.
import type { AlarmsLike, TabsLike } from '../ports';

export interface FlowTabs {
  /** Opens a tab at the URL, in front, and gives its id. */
  open(url: string): Promise<number>;
  /** Resolves whether or not the tab still exists. */
  close(tabId: number): Promise<void>;
}

export function createFlowTabs(tabs: TabsLike): FlowTabs {
  return {
    async open(url) {
      const tab = await tabs.create({ url, active: true });
      if (tab.id === undefined) throw new Error('The browser opened a tab without an id');
      return tab.id;
    },
    async close(tabId) {
      // Already closed (by the person, or by us for the other of two events) is as good as closed.
      await tabs.remove(tabId).catch(() => undefined);
    },
  };
}

export const SSO_DEADLINE_ALARM = 'sso-deadline';

export function scheduleSsoDeadline(alarms: Pick<AlarmsLike, 'create'>): (at: number) => Promise<void> {
  return async (at) => {
    await alarms.create(SSO_DEADLINE_ALARM, { when: at });
  };
}
