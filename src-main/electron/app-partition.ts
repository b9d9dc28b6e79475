import { session, type Session } from 'electron';
import type { Logger } from '../core/base/log';
import { refuseKioskScheme } from './app-protocol';
import { answerHttpsInPartition, type PartitionIssuer } from './sso-requests';

/**
 * One sign-in's apps share a partition of their own. No `persist:` prefix: Chromium keeps
 * it in memory only, so nothing of it reaches the disk, and sign-out clears it.
 */
export const appPartitionName = (sessionId: string) => `kiosk-app-${sessionId}`;

/** The partition for a sign-in's apps, locked down before any app loads in it. */
export function openAppPartition(sessionId: string, rendererDir: string, issuer: PartitionIssuer | null, log: Logger): Session {
  const partition = session.fromPartition(appPartitionName(sessionId));
  refuseKioskScheme(partition);
  // Only a kiosk serving single sign-on (the demo always does) takes over https in its apps.
  if (issuer) answerHttpsInPartition(partition, rendererDir, issuer, log);
  // An app gets what a web page gets with every prompt refused: no camera, location,
  // notifications, clipboard reads, HID, serial or USB.
  partition.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  partition.setPermissionCheckHandler(() => false);
  // A download would leave a worker's file on the kiosk's disk, outside any wipe.
  partition.on('will-download', (event) => event.preventDefault());
  return partition;
}
