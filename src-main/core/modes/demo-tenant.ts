import { ALL_USERS, type DirectorySnapshotInput } from '../directory/directory-snapshot';

/**
 * The offline demo tenant: fictional people on fictional numbers (NANP 555-01xx is set
 * aside for fiction). Each one shows a different sign-in rule; the README lists them.
 */
export const demoTenant: DirectorySnapshotInput = {
  groups: [
    { id: 'grp-store', displayName: 'Store Associates' },
    { id: 'grp-warehouse', displayName: 'Warehouse Team' },
    { id: 'grp-managers', displayName: 'Store Managers' },
  ],
  users: [
    demoUser('u-alex', 'Alex Rivera', '+1 206 555 0100', ['grp-store']),
    demoUser('u-priya', 'Priya Natarajan', '+1 206 555 0101', ['grp-store']),
    demoUser('u-sam', 'Sam Okafor', '+1 206 555 0102', ['grp-warehouse']),
    demoUser('u-mei', 'Mei Chen', '+1 206 555 0103', ['grp-warehouse', 'grp-store']),
    { ...demoUser('u-jordan', 'Jordan Blake', '+1 206 555 0104', ['grp-store']), accountEnabled: false },
    { ...demoUser('u-taylor', 'Taylor Morgan', '+1 206 555 0105', ['grp-managers']), isPrivileged: true },
    notEnabledYet(demoUser('u-chris', 'Chris Patel', '+1 206 555 0106', ['grp-warehouse'])),
    demoUser('u-dana', 'Dana Kim', '+1 206 555 0107', ['grp-store']),
    deskPhoneOnly(demoUser('u-rosa', 'Rosa Díaz', '+1 206 555 0108', ['grp-warehouse'])),
  ],
  smsMethodPolicy: {
    state: 'enabled',
    includeTargets: [{ id: ALL_USERS, targetType: 'group', isUsableForSignIn: true }],
    excludeTargets: [],
  },
  kioskSettings: {
    defaultCountry: 'US',
    codeValiditySeconds: 300,
    organizationName: 'Contoso Demo Store',
    messageTemplates: {
      es: '{code} es tu código del quiosco de {organization}. Caduca en {minutes} min. No lo compartas.',
    },
    apps: [
      // Both sign their users in through the kiosk (OpenID Connect, code + PKCE).
      { id: 'app-shifts', name: 'Shift schedule', page: 'shift-schedule', groupIds: [ALL_USERS], oidc: { clientId: 'demo-shift-schedule' } },
      { id: 'app-safety', name: 'Safety handbook', page: 'safety-handbook', groupIds: ['grp-warehouse'], oidc: { clientId: 'demo-safety-handbook' } },
    ],
  },
};

/** Dana starts locked out (too many wrong codes), so unlocking can be shown. */
export const DEMO_LOCKED_USER = 'u-dana';

function notEnabledYet(user: ReturnType<typeof demoUser>) {
  return { ...user, phoneMethods: user.phoneMethods.map((phone) => ({ ...phone, smsSignInState: 'notEnabled' as const })) };
}

/** Rosa has only an office phone, which cannot take a text: she signs in by "Call me instead". */
function deskPhoneOnly(user: ReturnType<typeof demoUser>) {
  return {
    ...user,
    phoneMethods: user.phoneMethods.map((phone) => ({ ...phone, id: `${user.id}-office`, phoneType: 'office' as const, smsSignInState: 'notSupported' as const })),
  };
}

function demoUser(id: string, displayName: string, phoneNumber: string, groupIds: string[]) {
  const upn = `${displayName.split(' ')[0]!.toLowerCase()}@contoso-demo.example`;
  return {
    id,
    displayName,
    userPrincipalName: upn,
    accountEnabled: true,
    isPrivileged: false,
    groupIds,
    phoneMethods: [{ id: `${id}-mobile`, phoneNumber, phoneType: 'mobile' as const, smsSignInState: 'ready' as const }],
  };
}
