import type { DemoSms } from '../../shared/contract';

/** Demo mode's stand-in for the worker's phone: shows each text the kiosk would have sent. */
export function DemoPhone({ texts }: { texts: DemoSms[] }) {
  return (
    <section className="demo-phone" aria-label="Demo phone">
      <h2>Demo phone</h2>
      {texts.length === 0 ? (
        <p className="demo-phone-empty">Texts the kiosk sends appear here.</p>
      ) : (
        <ol className="demo-texts" aria-live="polite">
          {texts.map((text) => (
            <li key={text.id} className="demo-text">
              <span className="demo-text-to">To {text.maskedTo}</span>{' '}
              <span className="demo-text-body">{text.body}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
