// ESLint reads types with TypeScript itself, which cannot open a .vue file: without this, every
// component a test imports would have an error type there. vue-tsc (`npm run typecheck`) opens the
// files and takes each component's own type; this wildcard only answers where nothing else can.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';

  const component: DefineComponent;
  export default component;
}
