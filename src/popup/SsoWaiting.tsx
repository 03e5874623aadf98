// While a single sign-on tab is open. Chrome closes the popup as the tab opens, so there this is
// what a person sees on opening it again before finishing; Firefox keeps the popup open on it, as
// a tab does.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { SsoFlowSummary, SsoOutcome } from '../shared/reply-values';
import type { Send } from '../shared/message-client';
import { t, uiLanguage } from '../shared/i18n';

/** How often the popup asks whether the flow has ended; only while this view is shown. */
const POLL_MS = 1000;

interface Props {
  flow: SsoFlowSummary;
  send: Send;
  onEnded(outcome: SsoOutcome | null): void;
  onCancelled(): void;
}

export function SsoWaiting({ flow, send, onEnded, onCancelled }: Props) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [cancelling, setCancelling] = useState(false);
  useLayoutEffect(() => headingRef.current?.focus(), []);

  useEffect(() => {
    let stopped = false;
    const timer = setInterval(() => {
      void send({ type: 'sso.status' }).then((reply) => {
        if (stopped || !reply.ok || reply.flow !== null) return;
        stopped = true;
        clearInterval(timer);
        onEnded(reply.outcome);
      });
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  const cancel = () => {
    setCancelling(true);
    void send({ type: 'sso.cancel' }).then(() => onCancelled());
  };

  const deadline = new Intl.DateTimeFormat(uiLanguage(), { timeStyle: 'short' }).format(flow.deadline);
  return (
    <section class="view" aria-labelledby="sso-heading">
      <h1 id="sso-heading" ref={headingRef} tabIndex={-1}>
        {t('popup_sso_waiting_heading', flow.realmName)}
      </h1>
      <p>{t('popup_sso_waiting', flow.methodDisplayName, flow.realmName, deadline)}</p>
      <div class="actions">
        <button type="button" disabled={cancelling} aria-busy={cancelling} onClick={cancel}>
          {t('popup_sso_cancel')}
        </button>
      </div>
    </section>
  );
}
