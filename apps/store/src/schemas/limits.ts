/** No cart line holds more than this: a quantity beyond it is a typo or an attack, not an order. */
export const maximumQuantity = 99;
