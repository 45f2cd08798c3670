import type { ErrorInfo } from '../errors.js';

/** A configured TeamViewer path must be absolute (POSIX, `C:\…` or `\\server\share\…`), one line, sane length. */
export function validateTeamViewerPath(value: string, field = 'teamViewerPath'): ErrorInfo | undefined {
  const p = value.trim();
  if (p === '') return undefined;
  const absolute = p.startsWith('/') || /^[a-z]:[\\/]/i.test(p) || p.startsWith('\\\\');
  // eslint-disable-next-line no-control-regex
  if (!absolute || p.length > 1024 || /[\u0000-\u001f]/.test(p)) return { code: 'remote-assistance.path-invalid', params: { path: p }, field };
  return undefined;
}
