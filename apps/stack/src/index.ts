export { startStack, describeStack, type RunningStack } from './stack.js';
