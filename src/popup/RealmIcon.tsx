import { useState } from 'preact/hooks';
import { resolveIconUrl } from '../shared/realm-url';

interface Props {
  iconUrl: string | null;
  realmUrl: string;
  /** Shown as a letter when there is no icon; the name itself is always written beside it. */
  name: string;
}

export function RealmIcon({ iconUrl, realmUrl, name }: Props) {
  // Checked again here, not only when fetched: storage.local is writable by any of the extension's content scripts.
  const src = resolveIconUrl(iconUrl, realmUrl);
  const [failedSrc, setFailedSrc] = useState<string | null>(null);
  if (src === null || failedSrc === src) {
    return (
      <span class="realm-icon realm-icon-letter" aria-hidden="true">
        {[...name.trim()][0]?.toUpperCase() ?? ''}
      </span>
    );
  }
  return (
    <img
      class="realm-icon"
      src={src}
      alt=""
      width={32}
      height={32}
      referrerpolicy="no-referrer"
      decoding="async"
      onError={() => setFailedSrc(src)}
    />
  );
}
