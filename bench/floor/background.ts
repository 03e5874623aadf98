// The floor's background: answers any message with a constant, with the bare browser API (no polyfill, no
// validation, no storage), registered synchronously like ours so that a message wakes a stopped worker.
interface BareRuntime {
  onMessage: { addListener(listener: (message: unknown, sender: unknown, sendResponse: (reply: unknown) => void) => void): void };
}
const { runtime } = (globalThis as unknown as { chrome: { runtime: BareRuntime } }).chrome;

runtime.onMessage.addListener((_message, _sender, sendResponse) => {
  sendResponse({ ok: true });
});
