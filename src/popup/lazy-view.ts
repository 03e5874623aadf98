// A view a person reaches after the first one: its code (and its stylesheet) is loaded when it is
// first wanted, or before, by preload() when the popup is idle, so that it is there by then.
import { h, type ComponentType } from 'preact';
import { useState } from 'preact/hooks';

export interface LazyView<P> {
  /** Renders nothing until the code is in, then the view. */
  View: ComponentType<P>;
  /** Resolves once the view can render at once; for a view that must not appear empty, even for a moment. */
  load(): Promise<void>;
}

export function lazyView<P extends object>(importer: () => Promise<ComponentType<P>>): LazyView<P> {
  let component: ComponentType<P> | null = null;
  let loading: Promise<void> | null = null;
  const load = () =>
    (loading ??= importer().then(
      (loaded) => {
        component = loaded;
      },
      (error: unknown) => {
        // Tried again when next wanted (the extension may have been updated while the popup was open).
        loading = null;
        throw error;
      },
    ));

  function View(props: P) {
    const [, loaded] = useState(0);
    if (component) return h(component, props);
    load().then(
      () => loaded(1),
      () => {},
    );
    return null;
  }
  return { View, load };
}

/** Loads the views when the popup is idle, so that opening one is as quick as if it had been there. */
export function preloadWhenIdle(views: ReadonlyArray<Pick<LazyView<never>, 'load'>>): void {
  const idle = globalThis.requestIdleCallback ?? ((callback: () => void) => setTimeout(callback, 0));
  idle(() => {
    for (const view of views) view.load().catch(() => {});
  });
}
