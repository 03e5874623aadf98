// Where the popup's add-account draft is kept in storage.session. A module of its own so that the
// popup can see whether there is a draft without loading the code that reads one (popup-draft.ts).
export const DRAFT_KEY = 'popupDraft';
