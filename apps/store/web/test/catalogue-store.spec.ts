import { describe, expect, it } from 'vitest';
import { useCatalogue } from '../src/stores/catalogue.js';
import { fakeStore, teas } from './support/fake-store.js';
import { openTab } from '../../../../test/web/app.js';
import { failure, fakeBackend } from '../../../../test/web/fake-backend.js';

/** A visitor nobody has signed in as: the catalogue is public. */
function visitorsCatalogue() {
  const backend = fakeBackend();
  fakeStore(backend);
  return { backend, catalogue: useCatalogue(openTab().pinia) };
}

describe('the catalogue store', () => {
  it('loads the catalogue, without a session', async () => {
    const { catalogue } = visitorsCatalogue();

    await catalogue.load();
    expect(catalogue.products).toEqual(teas);
    expect(catalogue.currency).toBe('USD');
    expect(catalogue.error).toBeNull();
    expect(catalogue.loading).toBe(false);
  });

  it('asks the backend once, however many ask it', async () => {
    const { backend, catalogue } = visitorsCatalogue();

    await Promise.all([catalogue.load(), catalogue.load()]);
    await catalogue.load();
    expect(backend.callsTo('GET', '/api/products')).toHaveLength(1);
  });

  it('says what went wrong, and asks again the next time after a failure', async () => {
    const { backend, catalogue } = visitorsCatalogue();
    backend.answerNext(
      'GET',
      '/api/products',
      failure(503, 'unavailable', 'The catalogue is unavailable right now. Please try again in a few moments.'),
    );

    await catalogue.load();
    expect(catalogue.error).toBe('The catalogue is unavailable right now. Please try again in a few moments.');
    expect(catalogue.products).toEqual([]);

    await catalogue.load();
    expect(catalogue.error).toBeNull();
    expect(catalogue.products).toEqual(teas);
    expect(backend.callsTo('GET', '/api/products')).toHaveLength(2);
  });
});
