import { describe, expect, it } from 'vitest';
import type { AuditEventView } from '../../shared/contract';
import { auditSentence } from '../../src-renderer/i18n/audit-sentence';
import en from '../../src-renderer/i18n/locales/en';
import es from '../../src-renderer/i18n/locales/es';

const event = (fields: Partial<AuditEventView>): AuditEventView => ({
  id: 1, at: 0, type: 'sso.signIn', outcome: 'success', reason: null, userId: 'u-alex', userName: 'Alex Rivera', phoneMasked: null, ...fields,
});

describe('app sign-ins on the admin screen', () => {
  it.each([
    [event({ reason: 'codeIssued' }), 'Alex Rivera signed in to an app (code issued)', 'Alex Rivera inició sesión en una aplicación (código emitido)'],
    [event({ outcome: 'failure', reason: 'login_required', userName: null, userId: null }), 'App sign-in refused (nobody signed in at the kiosk)', 'Inicio de sesión en una aplicación rechazado (nadie con sesión en el quiosco)'],
    [event({ type: 'sso.backchannelLogout' }), 'An app was told Alex Rivera signed out', 'Se avisó a una aplicación de que Alex Rivera cerró sesión'],
    [event({ type: 'sso.backchannelLogout', outcome: 'failure', reason: 'notDelivered' }), 'An app could not be told Alex Rivera signed out (will retry)', 'No se pudo avisar a una aplicación de que Alex Rivera cerró sesión (se reintentará)'],
  ])('reads %o in English and Spanish', (recorded, english, spanish) => {
    expect(en.messages.admin.event(auditSentence(recorded))).toBe(english);
    expect(es.messages.admin.event(auditSentence(recorded))).toBe(spanish);
  });
});
