import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { DemoSms } from '../../shared/contract';
import { useI18n } from '../i18n/use-i18n';
import type { KioskStore } from '../state/kiosk-store';

/**
 * Demo mode's stand-in for the worker's phone: shows each text the kiosk would have sent,
 * and each call with the words it would say. With the trainer's sound toggle on (off by
 * default), a new call is also spoken aloud through the Web Speech API, where there is one.
 */
export function DemoPhone({ store }: { store: KioskStore }) {
  const texts = useStore(store, (s) => s.demoTexts);
  const { m } = useI18n(store);
  const [sound, setSound] = useState(false);
  const spoken = useRef<string | null>(texts[0]?.id ?? null);

  useEffect(() => {
    const newest = texts[0];
    if (!newest || newest.id === spoken.current) return;
    spoken.current = newest.id;
    if (sound && newest.channel === 'voice') speak(newest);
  }, [texts, sound]);

  return (
    <section className="demo-phone" aria-label={m.demoPhone}>
      <h2>{m.demoPhone}</h2>
      <button type="button" className="secondary demo-sound" aria-pressed={sound} onClick={() => setSound(!sound)}>
        {m.demoSound}
      </button>
      {texts.length === 0 ? (
        <p className="demo-phone-empty">{m.demoPhoneEmpty}</p>
      ) : (
        <ol className="demo-texts" aria-live="polite">
          {texts.map((text) =>
            text.channel === 'voice' ? (
              <li key={text.id} className="demo-text demo-call" lang={text.language}>
                <span className="demo-text-to">{m.demoCallTo(text.maskedTo)}</span>{' '}
                <span className="demo-call-says">{m.demoCallSays}</span>{' '}
                <span className="demo-text-body">{text.body}</span>
              </li>
            ) : (
              <li key={text.id} className="demo-text">
                <span className="demo-text-to">{m.demoTextTo(text.maskedTo)}</span> <span className="demo-text-body">{text.body}</span>
              </li>
            ),
          )}
        </ol>
      )}
    </section>
  );
}

/** Says a call's words in its language; a browser without speech (headless Chromium) just shows them. */
function speak(call: DemoSms): void {
  const synthesis = typeof window !== 'undefined' ? window.speechSynthesis : undefined;
  if (!synthesis || typeof SpeechSynthesisUtterance === 'undefined') return;
  try {
    const utterance = new SpeechSynthesisUtterance(call.body);
    if (call.language) utterance.lang = call.language;
    synthesis.cancel();
    synthesis.speak(utterance);
  } catch {
    // Speech is a nicety for the trainer: the words are on screen either way.
  }
}
