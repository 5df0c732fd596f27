// Saved models in the browser's storage (web/model-store.mjs), over an in-memory Web Storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelStore, sameModel } from '../../web/model-store.mjs';

class MemoryStorage {
  items = new Map();
  quota = Infinity;
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) {
    if (value.length > this.quota) throw new Error('the storage is full');
    this.items.set(key, String(value));
  }
}

const model = (name, hot) => ({ leadscore_model: 1, name, segments: { warm: 30, hot } });

test('each save is a dated version; versions are listed newest first and can be restored', () => {
  const store = new ModelStore(new MemoryStorage());
  const id = store.save(model('Team', 60), null, new Date('2026-12-01T10:00:00Z'));
  assert.equal(store.save(model('Team', 70), id, new Date('2026-12-02T10:00:00Z')), id);
  const other = store.save(model('Trial', 50), null, new Date('2026-12-03T10:00:00Z'));
  assert.deepEqual(store.list().map((m) => [m.name, m.versions, m.saved]),
    [['Trial', 1, '2026-12-03T10:00:00.000Z'], ['Team', 2, '2026-12-02T10:00:00.000Z']]);
  assert.deepEqual(store.versions(id).map((v) => v.model.segments.hot), [70, 60]);
  store.rename(id, 'Team (EMEA)');
  assert.equal(store.list().find((m) => m.id === id).name, 'Team (EMEA)');
  store.setWorking(model('Draft', 65), other);
  store.remove(other);
  assert.deepEqual(store.list().map((m) => m.id), [id]);
  assert.deepEqual(store.working(), { model: model('Draft', 65), savedId: null });
});

test('the model being edited survives a reload; full or unreadable storage is said, not fatal', () => {
  const storage = new MemoryStorage();
  new ModelStore(storage).setWorking(model('Draft', 65), null);
  assert.equal(new ModelStore(storage).working().model.segments.hot, 65);
  storage.quota = 10;
  assert.throws(() => new ModelStore(storage).save(model('Big', 60)), /the storage is full/);
  storage.items.set('leadscore.models', '{not json');
  assert.deepEqual(new ModelStore(storage).list(), []);
  assert.equal(new ModelStore(null).available, false);
  assert.throws(() => new ModelStore(null).setWorking(model('x', 1), null), /keeps no storage/);
});

test('models are the same whatever the order of their keys', () => {
  assert.ok(sameModel({ a: 1, b: { c: [1, 2], d: 2 } }, { b: { d: 2, c: [1, 2] }, a: 1 }));
  assert.ok(!sameModel({ a: [1, 2] }, { a: [2, 1] }));
});
