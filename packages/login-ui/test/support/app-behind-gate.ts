import { screen } from '@testing-library/vue';
import type { UserEvent } from '@testing-library/user-event';
import { h } from 'vue';
import type { Router } from 'vue-router';
import SessionGate from '../../src/components/SessionGate.vue';
import { mount, type Mounted } from '../../../../test/web/app.js';
import type { Account } from '../../../../test/web/fake-backend.js';

/** The app SessionGate guards here: one page, "Products", its heading focusable as the apps' views have it. */
const productsPage = () => h('main', { id: 'main' }, [h('h1', { tabindex: -1 }, 'Products')]);

/** SessionGate over the "Products" app, at the route of `router` (a new one at `/` unless given). */
export function mountGate(router?: Router): Promise<Mounted> {
  return mount(SessionGate, { router, slots: { default: productsPage } });
}

/** Signs in on the sign-in card as a person does: the address, then the password and Enter. */
export async function typeCredentials(user: UserEvent, account: Account): Promise<void> {
  await user.type(await screen.findByLabelText('Email address'), account.user.email);
  await user.type(screen.getByLabelText('Password'), `${account.password}{Enter}`);
}
