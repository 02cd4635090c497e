import { messageFor, useSession } from '@native-login/login-ui';
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { storeApi, type Product } from '../api/store-api.js';

/**
 * The public catalogue. It needs no session, so the app asks for it as it starts, alongside the
 * session check, rather than once someone is signed in: the products are there when the page is.
 */
export const useCatalogue = defineStore('catalogue', () => {
  const api = storeApi(useSession().api);
  const products = ref<Product[]>([]);
  const currency = ref('USD');
  const loading = ref(false);
  const error = ref<string | null>(null);
  let loaded: Promise<void> | null = null;

  /** Loads the catalogue once; after a failure, the next call tries again. */
  function load(): Promise<void> {
    loaded ??= (async () => {
      loading.value = true;
      error.value = null;
      try {
        const answer = await api.products();
        products.value = answer.products;
        currency.value = answer.currency;
      } catch (failure) {
        error.value = messageFor(failure);
        loaded = null;
      } finally {
        loading.value = false;
      }
    })();
    return loaded;
  }

  return { products, currency, loading, error, load };
});
