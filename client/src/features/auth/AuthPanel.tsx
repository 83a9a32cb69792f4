import type { ReactNode } from 'react';

/** The shared frame of the sign-in and sign-up screens. */
export function AuthPanel({
  title,
  intro,
  children,
  footer,
}: {
  title: string;
  intro: string;
  children: ReactNode;
  footer: ReactNode;
}) {
  return (
    <div className="page page--narrow auth-panel">
      <h1>{title}</h1>
      <p className="lead">{intro}</p>
      <div className="card">{children}</div>
      <p className="auth-panel__footer">{footer}</p>
    </div>
  );
}
