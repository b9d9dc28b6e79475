import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface RendererSizeMetrics {
  renderer_js_gzip_kb: number;
  renderer_css_gzip_kb: number;
}

/**
 * What a kiosk screen downloads before it can show the keypad: the scripts and styles
 * dist/renderer/index.html names (its entry module, any modulepreload, its stylesheets),
 * gzipped at zlib's default level. Lazy chunks (the admin screen) are not counted. kB = 1000 bytes.
 */
export function measureRendererSize(rendererDir: string): RendererSizeMetrics {
  const indexFile = path.join(rendererDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`${indexFile} is missing: build first (node scripts/build.mjs --quiet).`);
  const html = readFileSync(indexFile, 'utf8');
  const scripts = attributeValues(html, /<script\b[^>]*\btype="module"[^>]*>/g, 'src');
  const preloads = attributeValues(html, /<link\b[^>]*\brel="modulepreload"[^>]*>/g, 'href');
  const styles = attributeValues(html, /<link\b[^>]*\brel="stylesheet"[^>]*>/g, 'href');
  if (scripts.length === 0) throw new Error(`${indexFile} names no entry script.`);
  const gzipKb = (files: string[]) => files.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(rendererDir, file))).length, 0) / 1000;
  return { renderer_js_gzip_kb: gzipKb([...scripts, ...preloads]), renderer_css_gzip_kb: gzipKb(styles) };
}

function attributeValues(html: string, tags: RegExp, attribute: string): string[] {
  const values: string[] = [];
  for (const [tag] of html.matchAll(tags)) {
    const value = new RegExp(`\\b${attribute}="([^"]+)"`).exec(tag)?.[1];
    if (value && !/^[a-z]+:/i.test(value)) values.push(value);
  }
  return values;
}
