import { messageFor, useSession } from '@native-login/login-ui';
import { ref } from 'vue';
import { storeApi, type Cart } from '../api/store-api.js';

// One cart for the whole SPA, with its state: every view shows the same cart, pending flag and error.
const cart = ref<Cart | null>(null);
const pending = ref(false);
const error = ref<string | null>(null);
/**
 * Cart calls run one after another: an add that waits for the user to sign in again must land
 * before the reload that signing in triggers, or the reload would show the cart without it.
 */
let queue: Promise<void> = Promise.resolve();

/** The signed-in user's cart, shared by every view: load it, change it, and say what went wrong. */
export function useCart() {
  const session = useSession();
  const api = storeApi(session.api);

  function run(change: () => Promise<Cart>): Promise<void> {
    queue = queue.then(async () => {
      pending.value = true;
      error.value = null;
      try {
        cart.value = await change();
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
    },
    add: (sku: string, quantity = 1) => run(() => api.add(sku, quantity)),
    setQuantity: (sku: string, quantity: number) => run(() => api.setQuantity(sku, quantity)),
    remove: (sku: string) => run(() => api.remove(sku)),
  };
}
