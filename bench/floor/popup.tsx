// The floor's popup: asks the floor's background for the account list in one message and renders one row per
// account with Preact. Its first import marks the module start, as the bench build of ours does (bench/popup-marks.ts).
import './../popup-marks';
import { render } from 'preact';

interface Summary {
  realmUrl: string;
  realmName: string;
  email: string;
  userId: number;
}
interface BareApi {
  runtime: { sendMessage(message: { type: string }): Promise<{ accounts: Summary[] }> };
}
const world = globalThis as unknown as { browser?: BareApi; chrome: BareApi };
const api = world.browser ?? world.chrome;

const { accounts } = await api.runtime.sendMessage({ type: 'accounts.list' });
render(
  <main aria-busy="false">
    <ul>
      {accounts.map((account) => (
        <li key={`${account.realmUrl} ${account.userId}`}>
          {account.realmName} {account.email}
        </li>
      ))}
    </ul>
  </main>,
  document.getElementById('app')!,
);
