// Keys typed before the popup's first view exists. The popup asks the background for the lock
// state, the accounts and the draft before it shows a form: tens of milliseconds, more when the
// background has to start first. A person who types as soon as the popup appears (a passphrase,
// a server URL) has no field yet, and the keys would be lost. They are kept here and handed to the
// field the first view focuses, as if it had been there all along; Enter then submits its form.

export interface TypeAhead {
  /** Call once the first view is shown and has focused its field: the kept keys go there. */
  release(): void;
}

export function captureTypeAhead(doc: Document): TypeAhead {
  let text = '';
  let submit = false;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Enter') submit = true;
    else if (event.key === 'Backspace') text = [...text].slice(0, -1).join('');
    // One character, not a named key (Tab, Escape, arrows): what would have been typed into a field.
    else if ([...event.key].length === 1 && !submit) text += event.key;
    else return;
    event.preventDefault();
  };
  doc.addEventListener('keydown', onKeyDown, true);

  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      doc.removeEventListener('keydown', onKeyDown, true);
      const field = doc.activeElement;
      // Without a focused text field, the keys would have gone nowhere in a ready popup either.
      if (!isTextField(field)) return;
      if (text !== '') {
        field.setRangeText(text, field.selectionStart ?? field.value.length, field.selectionEnd ?? field.value.length, 'end');
        // The field's own window's Event: the popup's, or a test's DOM.
        field.dispatchEvent(new (doc.defaultView ?? window).Event('input', { bubbles: true }));
      }
      // After the view has taken the input in (Preact renders it on a microtask): a submit handler
      // that ran now would still see the field empty.
      if (submit) setTimeout(() => field.isConnected && field.form?.requestSubmit(), 0);
    },
  };
}

function isTextField(element: Element | null): element is HTMLInputElement {
  if (element?.tagName !== 'INPUT') return false;
  const type = (element as HTMLInputElement).type;
  return ['text', 'password', 'email', 'url', 'search'].includes(type);
}
