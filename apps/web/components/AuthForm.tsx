'use client';
// Sign-in and sign-up forms. Problems are checked in the browser first (with the same limits
// the engine applies) and the engine's answer, if it refuses, is shown as a sentence.
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { Role } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { useSignIn, useSignUp } from '../lib/session';
import { ErrorNote } from './ui';

/** Where each role lands after signing in. */
export function homeFor(role: Role): string {
  switch (role) {
    case 'TRADER':
      return '/trade';
    case 'OPERATOR':
    case 'AUTHORITY':
      return '/grid';
    case 'ADMIN':
      return '/admin/deposits';
  }
}

export function SignInForm() {
  const { t } = useI18n();
  const router = useRouter();
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate(
      { email, password },
      { onSuccess: (account) => router.push(homeFor(account.role)) },
    );
  };

  return (
    <form className="auth-card" onSubmit={submit} noValidate>
      <h1>{t('auth.signInTitle')}</h1>
      <p className="muted">{t('auth.signInLead')}</p>
      <label className="field">
        <span>{t('field.email')}</span>
        <input
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('field.password')}</span>
        <input
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <ErrorNote error={signIn.error} testId="auth-error" />
      <button type="submit" className="btn btn-primary btn-block" disabled={signIn.isPending}>
        {signIn.isPending ? t('auth.signingIn') : t('auth.signIn')}
      </button>
      <p className="muted small">
        {t('auth.noAccount')} <Link href="/signup">{t('auth.signUp')}</Link>
      </p>
    </form>
  );
}

export function SignUpForm() {
  const { t } = useI18n();
  const router = useRouter();
  const signUp = useSignUp();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setProblem(t('auth.needName'));
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) return setProblem(t('auth.needEmail'));
    if (password.length < 10) return setProblem(t('auth.passwordShort'));
    if (password !== confirm) return setProblem(t('auth.passwordMismatch'));
    setProblem(null);
    signUp.mutate(
      { name: name.trim(), email: email.trim(), password },
      { onSuccess: () => router.push('/wallet') },
    );
  };

  return (
    <form className="auth-card" onSubmit={submit} noValidate>
      <h1>{t('auth.signUpTitle')}</h1>
      <p className="muted">{t('auth.signUpLead')}</p>
      <label className="field">
        <span>{t('field.name')}</span>
        <input autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('field.email')}</span>
        <input
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </label>
      <div className="field">
        <label htmlFor="new-password">{t('field.password')}</label>
        <input
          id="new-password"
          type="password"
          autoComplete="new-password"
          aria-describedby="password-hint"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <small id="password-hint" className="muted">
          {t('auth.passwordHint')}
        </small>
      </div>
      <label className="field">
        <span>{t('field.confirmPassword')}</span>
        <input
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
      </label>
      {problem ? (
        <p className="note note-error" role="alert" data-testid="auth-error">
          {problem}
        </p>
      ) : (
        <ErrorNote error={signUp.error} testId="auth-error" />
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={signUp.isPending}>
        {signUp.isPending ? t('auth.creating') : t('auth.createAccount')}
      </button>
      <p className="muted small">
        {t('auth.haveAccount')} <Link href="/signin">{t('auth.signIn')}</Link>
      </p>
    </form>
  );
}
