// What a person does in the popup before most specs can start: add an account with a password.

interface PopupInput {
  clickButton(name: string): Promise<void>;
  fillByLabel(label: string, value: string): Promise<void>;
}

/**
 * From the account list: Add account, the server, Continue, the email and password, Log in. Returns once Log in is
 * pressed: the caller waits for what it expects to see next.
 */
export async function addAccountWithPassword(popup: PopupInput, serverUrl: string, user: { email: string; password: string }): Promise<void> {
  await popup.clickButton('Add account');
  await popup.fillByLabel('Server URL', serverUrl);
  await popup.clickButton('Continue');
  await popup.fillByLabel('Email', user.email);
  await popup.fillByLabel('Password', user.password);
  await popup.clickButton('Log in');
}
