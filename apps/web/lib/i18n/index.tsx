'use client';
// Thai and English for every string on screen. The choice lives in a cookie (so the server
// renders the right language and `<html lang>` on the first byte) and is switched without a
// reload; `t` fills `{name}` placeholders, `errorText` turns any failure into its sentence.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { toAppError, type AppError } from '../errors';
import { en, type MessageKey, type Messages } from './en';
import { createFormat, type Format, type Locale } from './format';
import { th } from './th';

export type { Locale, MessageKey };
export const LOCALE_COOKIE = 'gtx_locale';

const DICTIONARIES: Record<Locale, Messages> = { en, th };

export type Vars = Record<string, string | number>;

export interface I18n {
  locale: Locale;
  t: (key: MessageKey, vars?: Vars) => string;
  /** The sentence for a failure (any thrown value or an AppError). */
  errorText: (error: unknown) => string;
  f: Format;
  setLocale: (locale: Locale) => void;
}

const I18nContext = createContext<I18n | null>(null);

function fill(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

function isAppError(value: unknown): value is AppError {
  return typeof value === 'object' && value !== null && 'code' in value && 'issues' in value;
}

export function makeI18n(locale: Locale, setLocale: (l: Locale) => void): I18n {
  const dict = DICTIONARIES[locale];
  const t = (key: MessageKey, vars?: Vars) => fill(dict[key], vars);
  const f = createFormat(locale);
  const errorText = (error: unknown): string => {
    const e = isAppError(error) ? error : toAppError(error);
    const retry = e.details.retryAfterSec;
    let sentence = t(`error.${e.code}`, {
      seconds: typeof retry === 'number' ? Math.max(1, Math.ceil(retry)) : 1,
    });
    if (e.code === 'VALIDATION_FAILED' && e.issues.length > 0) {
      const fields = [...new Set(e.issues.map((i) => fieldLabel(t, i.path)))];
      sentence = `${sentence} ${t('error.fields', { fields: fields.join(', ') })}`;
    }
    if (e.unknownCode) sentence = `${sentence} (${e.unknownCode})`;
    return sentence;
  };
  return { locale, t, errorText, f, setLocale };
}

/** The name of an input field the engine complained about, in the reader's language. */
function fieldLabel(t: I18n['t'], path: string): string {
  const last =
    path
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .pop() ?? path;
  const key = `field.${last}` as MessageKey;
  return key in en ? t(key) : last;
}

export function I18nProvider({
  initialLocale,
  children,
}: {
  initialLocale: Locale;
  children: ReactNode;
}) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=${60 * 60 * 24 * 365}; samesite=lax`;
    document.documentElement.lang = next;
    setLocaleState(next);
  }, []);
  const value = useMemo(() => makeI18n(locale, setLocale), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n needs <I18nProvider>');
  return value;
}
