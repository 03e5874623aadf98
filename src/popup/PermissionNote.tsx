// Said before a click brings up the browser's permission prompt, so that nobody is surprised by
// it, nor (in Chromium, which closes the popup for it) by the popup going away.
import { t } from '../shared/i18n';

export function PermissionNote({ id, asking, promptClosesPopup }: { id: string; asking: string; promptClosesPopup: boolean }) {
  return (
    <p id={id} class="hint">
      {promptClosesPopup ? `${asking} ${t('popup_prompt_closes_popup')}` : asking}
    </p>
  );
}
