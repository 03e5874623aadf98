// Every unit test starts from an empty fake browser and an empty IndexedDB.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach } from 'vitest';
import { provideExtensionApi } from '../../src/shared/extension-api';
import { fake } from './fake-browser';

// As each part's entry file does: the shared code reaches the (fake) browser through this.
provideExtensionApi(fake.browser);

beforeEach(() => {
  fake.reset();
  globalThis.indexedDB = new IDBFactory();
});
