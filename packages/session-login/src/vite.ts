import type { Plugin } from 'vite';
import { compression } from 'vite-plugin-compression2';

/**
 * The build's half of how the `spa` plugin serves an SPA: a Brotli (`.br`) and a gzip (`.gz`) copy
 * beside every text file of the build (scripts, styles, HTML, SVG, the files copied from `public/`
 * too), compressed once at the highest levels, where compressing on each request would cost CPU on
 * every answer. A copy that would be no smaller is left out, and the file itself is served.
 */
export function precompressedAssets(): Plugin {
  return compression({ algorithms: ['brotliCompress', 'gzip'] });
}
