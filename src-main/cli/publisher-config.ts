import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { kioskSettingsSchema } from '../core/directory/directory-snapshot';
import { graphSourceOptionsSchema } from '../core/sync/graph/graph-source';

/**
 * The directory publisher's own configuration file (JSON): which tenant to read, with which
 * app registration, which key signs, where the feeds go, and, optionally, one feed per site.
 * Secrets are named, never written here: `graph.clientSecret` and a certificate's
 * `privateKeySecret` name files in `secretsDir`; `signingKeyFile` is the signing key's path.
 */

/** A site's name is its folder under `outputDir` and part of its URL. */
const siteName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1–64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit (it names the site\'s folder)');
const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a group id (a GUID)');

export const publisherSiteSchema = z
  .strictObject({
    name: siteName,
    /** Users in any of these groups (directly or nested); each must be one of `graph.groupIds`. */
    groupIds: z.array(guid).min(1).max(50).optional(),
    /** Users whose userPrincipalName ends with this, case-insensitive: `@store0142.contoso.com`. */
    userPrincipalNameSuffix: z.string().min(2).max(256).optional(),
    /** This site's settings over `graph.kioskSettings`: its name on the screen, its country… */
    kioskSettings: kioskSettingsSchema.partial().optional(),
  })
  .refine((site) => site.groupIds !== undefined || site.userPrincipalNameSuffix !== undefined, {
    message: 'a site needs groupIds or userPrincipalNameSuffix: which users its kiosks sign in',
    path: ['groupIds'],
  });
export type PublisherSite = z.infer<typeof publisherSiteSchema>;

export const publisherConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    /** The Microsoft Graph source, exactly as a kiosk's `directory.graph` would be. */
    graph: graphSourceOptionsSchema,
    /** The Ed25519 private key (PEM, `feed-tool keygen`), readable by the publisher's account only. */
    signingKeyFile: z.string().min(1),
    /** Where the published feeds go: the folder `az storage blob sync`, `aws s3 sync` or `rsync` uploads. */
    outputDir: z.string().min(1),
    /** The publisher's memory between runs: delta link, cursors, the last directory it published. */
    stateDir: z.string().min(1),
    /** Files named by `graph.clientSecret` (and a certificate's key). Default: systemd's $CREDENTIALS_DIRECTORY. */
    secretsDir: z.string().min(1).optional(),
    /** One feed per site, each in `<outputDir>/<name>/`; without it, one feed in `<outputDir>/`. */
    sites: z.array(publisherSiteSchema).min(1).max(2000).optional(),
    /** Deltas kept per feed, for kiosks a few runs behind. */
    keepDeltas: z.number().int().min(0).max(100).default(8),
    /**
     * Also publish each snapshot as a streamed feed beside feed.json: feed.manifest.json (and
     * its .jws) naming feed-<cursor>.ndjson. Kiosks configured with the manifest check a
     * large directory without holding it (docs/directory-feed.md, "Large feeds").
     */
    streamed: z.boolean().default(false),
  })
  .superRefine((config, context) => {
    const names = new Set<string>();
    config.sites?.forEach((site, index) => {
      if (names.has(site.name)) context.addIssue({ code: 'custom', path: ['sites', index, 'name'], message: `site ${site.name} is named twice` });
      names.add(site.name);
      site.groupIds?.forEach((groupId, g) => {
        if (!config.graph.groupIds.some((id) => id.toLowerCase() === groupId.toLowerCase())) {
          context.addIssue({ code: 'custom', path: ['sites', index, 'groupIds', g], message: `group ${groupId} is not in graph.groupIds: add it there so its members are read` });
        }
      });
    });
  });
export type PublisherConfig = z.output<typeof publisherConfigSchema>;

/** A configuration the publisher cannot run with: the message names the file and the field. */
export class PublisherConfigError extends Error {}

/** Reads and checks the configuration file; relative paths in it are relative to the file. */
export function loadPublisherConfig(file: string): PublisherConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PublisherConfigError(code === 'ENOENT' ? `there is no configuration file ${file}.` : `the configuration file ${file} cannot be read (${code ?? 'error'}).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PublisherConfigError(`${file} is not valid JSON.`);
  }
  const parsed = publisherConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '') || '(the top level)';
    throw new PublisherConfigError(`${file}: ${field}: ${issue.message}`);
  }
  const base = path.dirname(path.resolve(file));
  const resolve = (value: string) => path.resolve(base, value);
  const config = parsed.data;
  return {
    ...config,
    signingKeyFile: resolve(config.signingKeyFile),
    outputDir: resolve(config.outputDir),
    stateDir: resolve(config.stateDir),
    ...(config.secretsDir ? { secretsDir: resolve(config.secretsDir) } : {}),
  };
}
