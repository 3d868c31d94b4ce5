'use client';
// The frame of an admin desk section: the section tabs, its heading, and the role gate in front
// of its content (the same sign-in prompt or refusal as every gated page; the engine checks the
// role, and an authority's own sections, again on every call).
import type { ReactNode } from 'react';
import type { Role } from '../../lib/api';
import { PageHeader, RequireRole } from '../ui';
import { AdminNav } from './AdminNav';

export function AdminPage({
  title,
  subtitle,
  roles,
  narrow = false,
  children,
}: {
  title: ReactNode;
  subtitle: ReactNode;
  roles: Role[];
  /** A form rather than tables: the narrow page. */
  narrow?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={narrow ? 'page page-narrow' : 'page page-wide'}>
      <AdminNav />
      <PageHeader title={title} subtitle={subtitle} />
      <RequireRole roles={roles}>{children}</RequireRole>
    </div>
  );
}
