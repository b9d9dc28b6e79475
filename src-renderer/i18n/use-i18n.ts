import { useMemo } from 'react';
import { useStore } from 'zustand';
import type { KioskStore } from '../state/kiosk-store';
import { formatsFor, localeFor } from './i18n';

/** The current language's messages and formats: the worker's choice, else the kiosk's default. */
export function useI18n(store: KioskStore) {
  const language = useStore(store, (s) => s.language ?? s.device?.defaultLanguage ?? 'en');
  return useMemo(() => {
    const locale = localeFor(language);
    return { lang: locale.code, m: locale.messages, f: formatsFor(locale.code) };
  }, [language]);
}
