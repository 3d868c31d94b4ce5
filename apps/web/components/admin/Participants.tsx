'use client';
// Admin: the participant registry (admin.accounts) — search by name or email, filter by role,
// grant a role (an authority account names the authority it acts for) and disable or enable an
// account. The engine revokes the account's sessions on either change; both are audited.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { keys, type AccountRow, type Role } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { useMe } from '../../lib/queries';
import { toast } from '../../lib/toast';
import { trpc } from '../../lib/trpc';
import { TableShell } from '../TableShell';
import { Dialog, DialogActions, Hash, Panel } from '../ui';
import { AdminPage } from './AdminPage';

const ROLES: Role[] = ['TRADER', 'OPERATOR', 'ADMIN', 'AUTHORITY'];
const AUTHORITIES = ['EGAT', 'MEA', 'PEA', 'ERC'] as const;

export function ParticipantsScreen() {
  const { t } = useI18n();
  return (
    <AdminPage
      title={t('participants.title')}
      subtitle={t('participants.subtitle')}
      roles={['ADMIN']}
    >
      <Participants />
    </AdminPage>
  );
}

type Action = { kind: 'role' | 'disable'; account: AccountRow } | null;

function Participants() {
  const { t, f } = useI18n();
  const { me } = useMe();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState<Role | ''>('');
  const [action, setAction] = useState<Action>(null);
  const term = search.trim();
  const accounts = useQuery({
    queryKey: keys.accounts(term, role),
    queryFn: () =>
      trpc.admin.accounts.query({
        limit: 200,
        ...(term ? { search: term } : {}),
        ...(role ? { role } : {}),
      }),
    placeholderData: (previous) => previous,
  });
  return (
    <Panel title={t('participants.list')} testId="participants">
      <div className="row-gap">
        <div className="field field-inline">
          <label htmlFor="participants-search">{t('participants.search')}</label>
          <input
            id="participants-search"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            autoComplete="off"
          />
        </div>
        <div className="field field-inline">
          <label htmlFor="participants-role">{t('participants.role')}</label>
          <select
            id="participants-role"
            value={role}
            onChange={(e) => setRole(e.target.value as Role | '')}
          >
            <option value="">{t('registry.all')}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <TableShell
        rows={accounts.data ?? []}
        loading={accounts.isPending}
        error={accounts.error}
        caption={t('participants.list')}
        empty={t('deposit.noMatch')}
        columns={[
          { label: t('participants.name') },
          { label: t('participants.role') },
          { label: t('wallet.address'), className: 'hide-sm' },
          { label: t('participants.since'), className: 'hide-sm' },
        ]}
        actions
      >
        {(rows) =>
          rows.map((a) => (
            <tr key={a.id} data-testid="participant-row">
              <td>
                <span translate="no">{a.name}</span>
                <div className="small muted" translate="no">
                  {a.email}
                </div>
              </td>
              <td>
                <span className={`role-badge role-${a.role.toLowerCase()}`}>
                  {t(`role.${a.role}`)}
                  {a.authority ? ` · ${a.authority}` : ''}
                </span>
                {a.disabled ? (
                  <span className="pill pill-bad">{t('participants.disabled')}</span>
                ) : null}
              </td>
              <td className="hide-sm">
                {a.chainAddress ? <Hash value={a.chainAddress} length={8} /> : '—'}
              </td>
              <td className="hide-sm small muted">{f.date(a.createdAt)}</td>
              <td className="row-actions">
                {a.id !== me?.id ? (
                  <>
                    <button
                      type="button"
                      className="btn btn-ghost btn-xs"
                      onClick={() => setAction({ kind: 'role', account: a })}
                      aria-label={t('participants.changeRoleLabel', { name: a.name })}
                    >
                      {t('participants.changeRole')}
                    </button>
                    <button
                      type="button"
                      className="btn btn-danger-text btn-xs"
                      onClick={() => setAction({ kind: 'disable', account: a })}
                      aria-label={t(
                        a.disabled ? 'participants.enableLabel' : 'participants.disableLabel',
                        { name: a.name },
                      )}
                    >
                      {t(a.disabled ? 'participants.enable' : 'participants.disable')}
                    </button>
                  </>
                ) : null}
              </td>
            </tr>
          ))
        }
      </TableShell>
      <AccountDialog action={action} onClose={() => setAction(null)} />
    </Panel>
  );
}

function AccountDialog({ action, onClose }: { action: Action; onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [role, setRole] = useState<Role>('TRADER');
  const [authority, setAuthority] = useState<(typeof AUTHORITIES)[number]>('EGAT');
  const mutation = useMutation({
    mutationFn: async (a: NonNullable<Action>) => {
      if (a.kind === 'role') {
        await trpc.admin.setRole.mutate({
          accountId: a.account.id,
          role,
          ...(role === 'AUTHORITY' ? { authority } : {}),
        });
      } else {
        await trpc.admin.setDisabled.mutate({
          accountId: a.account.id,
          disabled: !a.account.disabled,
        });
      }
    },
    onSuccess: (_r, a) => {
      toast(t('participants.saved', { name: a.account.name }), 'success');
      void qc.invalidateQueries({ queryKey: keys.staff });
      close();
    },
  });
  const close = () => {
    mutation.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (action) mutation.mutate(action);
  };
  const a = action?.account;
  return (
    <Dialog
      open={action !== null}
      title={
        !action || !a
          ? ''
          : action.kind === 'role'
            ? t('participants.roleTitle', { name: a.name })
            : t(a.disabled ? 'participants.enableTitle' : 'participants.disableTitle', {
                name: a.name,
              })
      }
      onClose={close}
      tone={action?.kind === 'disable' && !a?.disabled ? 'danger' : undefined}
    >
      {action && a ? (
        <form className="dialog-form" onSubmit={submit}>
          {action.kind === 'role' ? (
            <>
              <div className="field">
                <label htmlFor="new-role">{t('participants.role')}</label>
                <select
                  id="new-role"
                  value={role}
                  onChange={(e) => setRole(e.target.value as Role)}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`role.${r}`)}
                    </option>
                  ))}
                </select>
              </div>
              {role === 'AUTHORITY' ? (
                <div className="field">
                  <label htmlFor="new-authority">{t('participants.authority')}</label>
                  <select
                    id="new-authority"
                    value={authority}
                    onChange={(e) => setAuthority(e.target.value as typeof authority)}
                  >
                    {AUTHORITIES.map((x) => (
                      <option key={x} value={x}>
                        {x}
                      </option>
                    ))}
                  </select>
                </div>
              ) : null}
            </>
          ) : null}
          <p className="muted small">{t('participants.sessionsNote')}</p>
          <DialogActions
            error={mutation.error}
            pending={mutation.isPending}
            onCancel={close}
            danger={action.kind === 'disable' && !a.disabled}
          >
            {action.kind === 'role'
              ? t('participants.saveRole')
              : t(a.disabled ? 'participants.enable' : 'participants.disable')}
          </DialogActions>
        </form>
      ) : null}
    </Dialog>
  );
}
