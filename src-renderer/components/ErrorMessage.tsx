import type { KioskError } from '../../shared/result';

/** The error from the last call, announced to screen readers as it appears. */
export function ErrorMessage({ error }: { error: KioskError | null }) {
  return (
    <p className="error" role="alert">
      {error?.message ?? ''}
    </p>
  );
}
