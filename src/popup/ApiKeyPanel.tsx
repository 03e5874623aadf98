import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../shared/i18n';
import './forms.css';
import './api-key-panel.css';

interface Props {
  apiKey: string;
  onHide(): void;
}

/**
 * A key shown after Show API key: read-only, with Copy API key and Hide API key. It is rendered
 * only between Show and Hide, so the key is in the page only then (and the popup forgets it when
 * it closes).
 */
export function ApiKeyPanel({ apiKey, onHide }: Props) {
  const fieldId = useId();
  const fieldRef = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<'copied' | 'failed' | null>(null);
  // On the field, so that a screen reader reads its label and the key together.
  useLayoutEffect(() => fieldRef.current?.focus(), []);

  const copyKey = () => {
    setCopy(null);
    // writeText runs before the first await, inside the click: browsers want the gesture.
    void (async () => {
      try {
        await navigator.clipboard.writeText(apiKey);
        setCopy('copied');
      } catch {
        setCopy('failed');
      }
    })();
  };

  return (
    <div
      class="api-key"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          // A handled Escape hides the key; the browser would otherwise close the popup.
          event.preventDefault();
          onHide();
        }
      }}
    >
      <label for={fieldId}>{t('popup_api_key_field')}</label>
      <input id={fieldId} ref={fieldRef} readOnly value={apiKey} spellcheck={false} autocomplete="off" autocapitalize="off" />
      <p class="hint">{t('popup_api_key_warning')}</p>
      <div class="actions">
        <button type="button" class="small" onClick={copyKey}>
          {t('popup_copy_api_key')}
        </button>
        <button type="button" class="small" onClick={onHide}>
          {t('popup_hide_api_key')}
        </button>
      </div>
      <p class="copied" role="status">
        {copy === 'copied' ? t('popup_api_key_copied') : ''}
      </p>
      {copy === 'failed' && (
        <p class="error" role="alert">
          {t('popup_api_key_copy_failed')}
        </p>
      )}
    </div>
  );
}
