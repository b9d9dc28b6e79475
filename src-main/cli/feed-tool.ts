import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { issuerDocuments } from '../core/sso/issuer-documents';
import { checkSnapshot } from '../core/sync/apply-change';
import { SyncRefusedError, type SetAside } from '../core/sync/directory-source';
import { feedJsonSchema, parseFeedDocument, type FeedDocument } from '../core/sync/feed/feed-document';
import { readManifest } from '../core/sync/feed/feed-manifest';
import { keyIdOf, readPinnedKey, signFeedBytes, verifyFeedSignature } from '../core/sync/feed/feed-signature';
import { readStreamedFeed, writeStreamedFeed } from './streamed-feed';

/**
 * The feed tool for IT: makes an Ed25519 key pair, signs a feed file (after checking it as
 * a kiosk would), verifies a signed feed, and prints the feed's JSON Schema. Built to
 * dist/main/feed-tool.js; needs only Node 20.
 */

const USAGE = `Usage:
  feed-tool keygen <private-key.pem> [--public-key <public-key.pem>]
      Makes an Ed25519 key pair: the private key goes to <private-key.pem> (owner read/write
      only, never overwritten); the public key is printed, as PEM and as a JWK, for the
      kiosks' device configuration ("publicKey").
  feed-tool sign <feed.json> --key <private-key.pem>
      Checks the feed as a kiosk would, then writes its detached signature to <feed.json>.jws.
  feed-tool stream <feed.json> --key <private-key.pem>
      For a large directory: checks the snapshot as a kiosk would, then writes it as a
      streamed feed beside it: <feed>.ndjson (a header line, then one user per line) and
      <feed>.manifest.json, signed by <feed>.manifest.json.jws, naming it by length and
      SHA-256. Configure kiosks with the manifest; they check the feed without holding it.
  feed-tool verify <feed.json or feed.manifest.json> --public-key <public-key.pem or .jwk>
      Checks <feed.json>.jws and the feed, as a kiosk pinned to that key would; for a
      manifest, also the streamed feed it names, line by line.
  feed-tool schema
      Prints the feed's JSON Schema.
  feed-tool sso-publish <issuer> <kiosk-key.jwk>... --out <folder>
      Builds what the organisation hosts at the single sign-on issuer (an https URL it owns):
      <folder>/.well-known/openid-configuration and <folder>/jwks.json, from the public keys
      the kiosks print (frontline-kiosk --sso-key). Leave a stolen kiosk's key out and
      publish again to remove it.`;

export interface ToolOutput {
  out(text: string): void;
  err(text: string): void;
}

const consoleOutput: ToolOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** A problem the person running the tool can fix: printed as is, without a stack trace. */
class ToolError extends Error {}

/** Runs one command; resolves with the exit code (0 done, 1 failed, 2 usage). */
export async function main(argv: readonly string[], output: ToolOutput = consoleOutput): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    output.err(`feed-tool: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...files] = args.positionals;
  try {
    switch (command) {
      case 'keygen':
        keygen(one(files, '<private-key.pem>'), args.values['public-key'], output);
        return 0;
      case 'sign':
        await sign(one(files, '<feed.json>'), required(args.values.key, '--key <private-key.pem>'), output);
        return 0;
      case 'stream':
        await stream(one(files, '<feed.json>'), required(args.values.key, '--key <private-key.pem>'), output);
        return 0;
      case 'verify':
        await verify(one(files, '<feed.json>'), required(args.values['public-key'], '--public-key <public-key>'), output);
        return 0;
      case 'sso-publish':
        ssoPublish(files, required(args.values.out, '--out <folder>'), output);
        return 0;
      case 'schema':
        output.out(JSON.stringify(feedJsonSchema(), null, 2));
        return 0;
      case undefined:
      case 'help':
        output.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        output.err(`feed-tool: unknown command "${command}".\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ToolError || error instanceof SyncRefusedError) {
      output.err(`feed-tool ${command}: ${error.message}`);
      return 1;
    }
    output.err(`feed-tool ${command}: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { key: { type: 'string' }, 'public-key': { type: 'string' }, out: { type: 'string' } },
  });
}

function ssoPublish(args: string[], folder: string, output: ToolOutput): void {
  const [issuer, ...keyFiles] = args;
  if (!issuer || keyFiles.length === 0) throw new ToolError('expected the issuer URL and at least one kiosk key file (what frontline-kiosk --sso-key printed).');
  const keys = keyFiles.map((file) => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as JWK;
    } catch (error) {
      throw new ToolError(`${file} is not a JWK file: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  let documents: ReturnType<typeof issuerDocuments>;
  try {
    documents = issuerDocuments(issuer, keys);
  } catch (error) {
    throw new ToolError(error instanceof Error ? error.message : String(error));
  }
  mkdirSync(path.join(folder, '.well-known'), { recursive: true });
  writeFileSync(path.join(folder, '.well-known', 'openid-configuration'), `${JSON.stringify(documents.openidConfiguration, null, 2)}\n`);
  writeFileSync(path.join(folder, 'jwks.json'), `${JSON.stringify(documents.jwks, null, 2)}\n`);
  output.out(`Wrote ${folder}/.well-known/openid-configuration and ${folder}/jwks.json (${keys.length} kiosk key${keys.length === 1 ? '' : 's'}).`);
  output.out(`Host them at ${issuer.replace(/\/$/, '')}/ with Content-Type application/json.`);
}

function one(files: string[], what: string): string {
  if (files.length !== 1) throw new ToolError(`expected one ${what}, got ${files.length === 0 ? 'none' : files.join(' ')}.`);
  return files[0]!;
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new ToolError(`${what} is required.`);
  return value;
}

function keygen(privateFile: string, publicFile: string | undefined, output: ToolOutput): void {
  for (const file of [privateFile, publicFile]) {
    if (file && existsSync(file)) throw new ToolError(`${file} already exists; a key is never overwritten. Choose another file name.`);
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const kid = keyIdOf(publicKey);
  writeNew(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
  if (publicFile) writeNew(publicFile, publicPem, 0o644);

  output.out(`Private key written to ${privateFile} (readable by its owner only). Keep it where feeds are signed; kiosks never need it.`);
  if (publicFile) output.out(`Public key written to ${publicFile}.`);
  output.out(`\nPublic key ${kid}, for the kiosks' device configuration ("publicKey"), as PEM:\n${publicPem.trimEnd()}`);
  output.out(`\nor as a JWK:\n${JSON.stringify({ ...publicKey.export({ format: 'jwk' }), kid })}`);
}

async function sign(feedFile: string, keyFile: string, output: ToolOutput): Promise<void> {
  const privateKey = readPrivateKey(keyFile);
  const bytes = readInput(feedFile, 'feed');
  const feed = checkFeed(bytes, feedFile);
  const signature = await signFeedBytes(bytes, privateKey);
  const target = `${feedFile}.jws`;
  // Written beside the target, then renamed: a server never serves half a signature.
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  writeFileSync(temporary, `${signature}\n`);
  renameSync(temporary, target);
  output.out(`Signed ${feedFile} (${describe(feed)}) with key ${keyIdOf(privateKey)}: wrote ${target}.`);
  output.out('Publish both files together; any change to the feed after signing makes kiosks refuse it.');
}

async function verify(feedFile: string, keyFile: string, output: ToolOutput): Promise<void> {
  const keyText = readInput(keyFile, 'public key').toString('utf8');
  let key;
  try {
    key = readPinnedKey(keyText.trim(), keyFile);
  } catch (error) {
    throw new ToolError(error instanceof Error ? error.message : String(error));
  }
  const bytes = readInput(feedFile, 'feed');
  const signatureFile = `${feedFile}.jws`;
  if (!existsSync(signatureFile)) throw new ToolError(`${feedFile} is not signed: there is no ${signatureFile}.`);
  await verifyFeedSignature(bytes, readInput(signatureFile, 'signature').toString('utf8'), [key], feedFile);
  const manifest = readManifest(bytes, feedFile);
  if (manifest) {
    const streamed = path.join(path.dirname(feedFile), manifest.feed.name);
    if (!existsSync(streamed)) throw new ToolError(`${feedFile} names ${manifest.feed.name}, but there is no ${streamed}.`);
    const { users, setAside } = await readStreamedFeed(path.dirname(feedFile), manifest);
    refuseSetAside(setAside, streamed);
    output.out(`${feedFile} is signed by key ${key.kid}; ${manifest.feed.name} matches its length and SHA-256 and reads as a kiosk expects (snapshot, ${users} users, cursor ${manifest.cursor}).`);
    return;
  }
  const feed = checkFeed(bytes, feedFile);
  output.out(`${feedFile} is signed by key ${key.kid} and reads as a kiosk expects (${describe(feed)}).`);
}

/** Parses and checks the feed as a kiosk would; a snapshot's numbers and groups too. */
function checkFeed(bytes: Uint8Array, name: string): FeedDocument {
  const feed = parseFeedDocument(bytes, name);
  let setAside = feed.setAside;
  if (feed.kind === 'snapshot') {
    try {
      setAside = [...setAside, ...checkSnapshot(feed.snapshot)];
    } catch (error) {
      if (error instanceof SyncRefusedError) throw new ToolError(`${name} would be refused: ${error.message}`);
      throw error;
    }
  }
  refuseSetAside(setAside, name);
  return feed;
}

/** A publisher fixes these before signing: a kiosk would apply the rest and leave them out. */
function refuseSetAside(setAside: readonly SetAside[], name: string): void {
  if (setAside.length === 0) return;
  const listed = setAside.slice(0, 5).map((record) => record.reason).join(' ');
  throw new ToolError(`${name}: kiosks would set aside ${setAside.length} record${setAside.length === 1 ? '' : 's'}: ${listed}${setAside.length > 5 ? ' …' : ''}`);
}

async function stream(feedFile: string, keyFile: string, output: ToolOutput): Promise<void> {
  const privateKey = readPrivateKey(keyFile);
  const feed = checkFeed(readInput(feedFile, 'feed'), feedFile);
  if (feed.kind !== 'snapshot') throw new ToolError(`${feedFile} is a delta; only snapshots are streamed (a delta is small: sign it with feed-tool sign).`);
  const { users, ...rest } = feed.snapshot;
  const base = path.basename(feedFile).replace(/\.json$/i, '');
  const header = { ...rest, cursor: feed.cursor, ...(feed.generatedAt !== undefined && { generatedAt: feed.generatedAt }) };
  const files = await writeStreamedFeed(path.dirname(feedFile), base, header, users, privateKey);
  output.out(`Wrote ${files.feedPath} (${files.users} users, ${files.bytes} bytes) and ${files.manifestPath}, signed with key ${keyIdOf(privateKey)} in ${files.manifestPath}.jws.`);
  output.out('Publish the three files together, and configure kiosks with the manifest as their feed location.');
}

function describe(feed: FeedDocument): string {
  if (feed.kind === 'snapshot') return `snapshot, ${feed.snapshot.users.length} users, cursor ${feed.cursor}`;
  return `delta since ${feed.since}, ${feed.delta.users.upserted.length} users changed and ${feed.delta.users.removed.length} removed, cursor ${feed.cursor}`;
}

function readPrivateKey(file: string): KeyObject {
  const text = readInput(file, 'private key').toString('utf8');
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    let isPublic = false;
    try {
      isPublic = createPublicKey(text).type === 'public';
    } catch {
      isPublic = false;
    }
    throw new ToolError(
      isPublic
        ? `${file} is a public key; sign with the private key that feed-tool keygen wrote.`
        : `${file} is not a PEM private key ("-----BEGIN PRIVATE KEY-----"). Make one with: feed-tool keygen <file>.`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ToolError(`${file} is an ${String(key.asymmetricKeyType).toUpperCase()} key; feeds are signed with Ed25519. Make one with: feed-tool keygen <file>.`);
  }
  return key;
}

function readInput(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ToolError(`the ${what} file ${file} does not exist.`);
    if (code === 'EISDIR') throw new ToolError(`${file} is a folder, not the ${what} file.`);
    throw new ToolError(`the ${what} file ${file} cannot be read (${code ?? 'unknown error'}).`);
  }
}

function writeNew(file: string, text: string, mode: number): void {
  try {
    writeFileSync(file, text, { mode, flag: 'wx' });
    chmodSync(file, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new ToolError(`${file} already exists; a key is never overwritten. Choose another file name.`);
    if (code === 'ENOENT') throw new ToolError(`cannot write ${file}: its folder does not exist.`);
    throw new ToolError(`cannot write ${file} (${code ?? 'unknown error'}).`);
  }
}

if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
