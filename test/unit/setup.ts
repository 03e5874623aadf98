// Every unit test starts from an empty fake browser and an empty IndexedDB.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach } from 'vitest';
import { fake } from './fake-browser';

beforeEach(() => {
  fake.reset();
  globalThis.indexedDB = new IDBFactory();
});
