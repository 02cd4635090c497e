import { messageFor, useSession } from '@native-login/login-ui';
import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import { storeApi, type Cart } from '../api/store-api.js';

/**
 * The signed-in user's cart, one for the whole SPA: every view shows the same cart, pending flag
 * and error. Load it, change it, and say what went wrong.
 */
export const useCart = defineStore('cart', () => {
  const session = useSession();
  const api = storeApi(session.api);
  const cart = ref<Cart | null>(null);
  const pending = ref(false);
  const error = ref<string | null>(null);
  /**
   * Cart calls run one after another: an add that waits for the user to sign in again must land
   * before the reload that signing in triggers, or the reload would show the cart without it.
   */
  let queue: Promise<void> = Promise.resolve();
  /**
   * Quantities the user asked for that the cart does not show yet, by product: still to be sent
   * (`wanted`), or sent and not answered (`sending`). Key presses quicker than the server are
   * never dropped: each line sends its latest quantity once the call before it is answered.
   */
  const wanted = reactive(new Map<string, number>());
  const sending = reactive(new Map<string, number>());

  /** Runs a change after the ones before it; a change with nothing left to do answers null. */
  function run(change: () => Promise<Cart | null>): Promise<void> {
    queue = queue.then(async () => {
      pending.value = true;
      error.value = null;
      try {
        const changed = await change();
        if (changed) cart.value = changed;
      } catch (failure) {
        error.value = messageFor(failure);
      } finally {
        pending.value = false;
      }
    });
    return queue;
  }

  return {
    cart,
    pending,
    error,
    load: () => run(api.cart),
    /** Drops the cart from the screen: its user signed out. */
    forget: () => {
      cart.value = null;
      error.value = null;
      wanted.clear();
    },
    add: (sku: string, quantity = 1) => run(() => api.add(sku, quantity)),
    /** The quantity a line shows: the latest one asked for, else the cart's. */
    quantityOf: (sku: string, inCart: number) => wanted.get(sku) ?? sending.get(sku) ?? inCart,
    setQuantity: (sku: string, quantity: number) => {
      wanted.set(sku, quantity);
      return run(async () => {
        const latest = wanted.get(sku);
        // A later key press's call already sent this line's latest quantity.
        if (latest === undefined) return null;
        wanted.delete(sku);
        sending.set(sku, latest);
        try {
          return await api.setQuantity(sku, latest);
        } finally {
          if (sending.get(sku) === latest) sending.delete(sku);
        }
      });
    },
    remove: (sku: string) => run(() => api.remove(sku)),
  };
});
