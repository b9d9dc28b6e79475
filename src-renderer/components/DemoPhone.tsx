import { useStore } from 'zustand';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

/** Demo mode's stand-in for the worker's phone: shows each text the kiosk would have sent. */
export function DemoPhone({ store }: { store: KioskStore }) {
  const texts = useStore(store, (s) => s.demoTexts);
  const { m } = useI18n(store);
  return (
    <section className="demo-phone" aria-label={m.demoPhone}>
      <h2>{m.demoPhone}</h2>
      {texts.length === 0 ? (
        <p className="demo-phone-empty">{m.demoPhoneEmpty}</p>
      ) : (
        <ol className="demo-texts" aria-live="polite">
          {texts.map((text) => (
            <li key={text.id} className="demo-text">
              <span className="demo-text-to">{m.demoTextTo(text.maskedTo)}</span>{' '}
              <span className="demo-text-body">
                {text.body}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
