'use client';
// Renders the notices from lib/toast.ts in a polite live region at the corner of the screen.
import { useI18n } from '../lib/i18n';
import { dismiss, useToasts } from '../lib/toast';

export function Toaster() {
  const { t } = useI18n();
  const toasts = useToasts();
  return (
    <div className="toaster" role="status" aria-live="polite" data-testid="toaster">
      {toasts.map((item) => (
        <div key={item.id} className={`toast toast-${item.tone}`}>
          <span>{item.text}</span>
          <button
            type="button"
            className="toast-close"
            onClick={() => dismiss(item.id)}
            aria-label={t('common.dismiss')}
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
