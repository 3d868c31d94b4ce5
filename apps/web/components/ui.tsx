'use client';
// Small building blocks every page uses: panels, error and empty states, role gates, a table's
// actions header, segmented choices (radio groups), a modal dialog on the native <dialog>
// element, and a copy button.
import Link from 'next/link';
import {
  useEffect,
  useId,
  useRef,
  useState,
  type ReactNode,
  type KeyboardEvent as ReactKeyboardEvent,
} from 'react';
import type { Role } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { useMe } from '../lib/queries';

export function Panel({
  title,
  actions,
  children,
  className,
  id,
  testId,
}: {
  title: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  id?: string;
  testId?: string;
}) {
  const generated = useId();
  const headingId = id ?? generated;
  return (
    <section
      className={`panel${className ? ` ${className}` : ''}`}
      aria-labelledby={headingId}
      data-testid={testId}
    >
      <header className="panel-header">
        <h2 id={headingId}>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

export function PageHeader({
  title,
  subtitle,
  children,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p className="page-subtitle">{subtitle}</p> : null}
      </div>
      {children ? <div className="page-header-tools">{children}</div> : null}
    </div>
  );
}

export function ErrorNote({ error, testId }: { error: unknown; testId?: string }) {
  const { errorText } = useI18n();
  if (!error) return null;
  return (
    <p className="note note-error" role="alert" data-testid={testId}>
      {errorText(error)}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <p className="loading" aria-busy="true">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('common.loading')}
    </p>
  );
}

/** Shows children only to the given roles; others get a sign-in prompt or a plain refusal. */
export function RequireRole({ roles, children }: { roles: Role[]; children: ReactNode }) {
  const { t } = useI18n();
  const { me, loading } = useMe();
  if (loading) return <Loading />;
  if (!me) {
    return (
      <div className="gate" data-testid="gate-signin">
        <p>{t('gate.signIn')}</p>
        <div className="gate-actions">
          <Link className="btn btn-primary" href="/signin">
            {t('auth.signIn')}
          </Link>
          <Link className="btn btn-ghost" href="/signup">
            {t('auth.signUp')}
          </Link>
        </div>
      </div>
    );
  }
  if (!roles.includes(me.role)) {
    return (
      <div className="gate" data-testid="gate-role">
        <p>{t('gate.role', { roles: roles.map((r) => t(`role.${r}`)).join(', ') })}</p>
      </div>
    );
  }
  return <>{children}</>;
}

/** The header of a table's last column, the rows' buttons: named for assistive tech only. */
export function ActionsHeader() {
  const { t } = useI18n();
  return (
    <th scope="col">
      <span className="sr-only">{t('activity.actions')}</span>
    </th>
  );
}

export interface Choice<T extends string> {
  value: T;
  label: ReactNode;
  disabled?: boolean;
  testId?: string;
}

/** A radio group drawn as a row of buttons; arrow keys move the choice, as in any radio group. */
export function Segmented<T extends string>({
  label,
  value,
  choices,
  onChange,
  className,
  tone,
}: {
  label: string;
  value: T;
  choices: Choice<T>[];
  onChange: (value: T) => void;
  className?: string;
  tone?: (value: T) => string | undefined;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const enabled = choices.filter((c) => !c.disabled);
  const onKey = (e: ReactKeyboardEvent<HTMLButtonElement>) => {
    const step =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? 1
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? -1
          : 0;
    if (!step) return;
    e.preventDefault();
    const at = enabled.findIndex((c) => c.value === value);
    const next = enabled[(at + step + enabled.length) % enabled.length];
    if (!next) return;
    onChange(next.value);
    refs.current[choices.indexOf(next)]?.focus();
  };
  return (
    <div
      className={`segmented${className ? ` ${className}` : ''}`}
      role="radiogroup"
      aria-label={label}
    >
      {choices.map((c, i) => {
        const checked = c.value === value;
        const toneClass = checked ? tone?.(c.value) : undefined;
        return (
          <button
            key={c.value}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="radio"
            aria-checked={checked}
            tabIndex={checked ? 0 : -1}
            disabled={c.disabled}
            className={toneClass}
            data-testid={c.testId}
            onClick={() => onChange(c.value)}
            onKeyDown={onKey}
          >
            {c.label}
          </button>
        );
      })}
    </div>
  );
}

/**
 * A dialog form's footer: what is wrong (a check made here, else the request's error), Cancel,
 * and the submit button that confirms.
 */
export function DialogActions({
  problem,
  error,
  pending,
  onCancel,
  danger,
  testId,
  children,
}: {
  problem?: string | null;
  error: unknown;
  pending: boolean;
  onCancel: () => void;
  danger?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <>
      {problem ? (
        <p className="note note-error" role="alert">
          {problem}
        </p>
      ) : (
        <ErrorNote error={error} />
      )}
      <div className="dialog-actions">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button
          type="submit"
          className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`}
          disabled={pending}
          data-testid={testId}
        >
          {children}
        </button>
      </div>
    </>
  );
}

/**
 * A modal dialog on <dialog>: the browser traps focus, Escape closes it, and focus returns to
 * what opened it. `open` drives it; `onClose` runs however it was closed.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
  testId,
  tone,
}: {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  tone?: 'danger' | undefined;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={`dialog${tone ? ` dialog-${tone}` : ''}`}
      aria-labelledby={headingId}
      onClose={onClose}
      data-testid={testId}
    >
      {open ? (
        <>
          <h2 id={headingId}>{title}</h2>
          {children}
        </>
      ) : null}
    </dialog>
  );
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="btn btn-ghost btn-xs"
      aria-label={label}
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        });
      }}
    >
      {copied ? t('common.copied') : t('common.copy')}
    </button>
  );
}

/** A hash or address, shortened in the middle, with the whole value for assistive tech. */
export function Hash({ value, length = 10 }: { value: string; length?: number }) {
  const short =
    value.length > length * 2 + 1 ? `${value.slice(0, length)}…${value.slice(-6)}` : value;
  return (
    <span className="hash" title={value} translate="no">
      {short}
    </span>
  );
}

export function SideLabel({ side }: { side: 'buy' | 'sell' }) {
  const { t } = useI18n();
  return (
    <span className={`side side-${side}`}>{t(side === 'buy' ? 'side.buy' : 'side.sell')}</span>
  );
}
