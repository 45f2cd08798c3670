/**
 * Remote assistance (SPEC F4): what TeamViewer looks like on this machine, the launch state, and
 * how our proxy is handed to TeamViewer. Isomorphic: shared by the plugin, its views and the tests.
 */
import type { ErrorInfo } from '../errors.js';

/** Where an installation was found. */
export type TeamViewerSource = 'configured' | 'registry-64' | 'registry-32' | 'program-files' | 'applications' | 'path' | 'opt';

export interface TeamViewerInstallation {
  /** QuickSupport runs without installation; the full client is installed. */
  readonly kind: 'quicksupport' | 'full';
  /** The file that is started (never through a shell). */
  readonly executable: string;
  readonly source: TeamViewerSource;
  readonly version?: string;
  /** The TeamViewer ID, where the OS exposes it (Linux: `teamviewer info`; Windows: registry ClientID). */
  readonly id?: string;
}

export type TeamViewerAvailability =
  | { readonly kind: 'checking' }
  | { readonly kind: 'available'; readonly installation: TeamViewerInstallation }
  /** `configuredPath` is set when the configured QuickSupport path does not lead to a program. */
  | { readonly kind: 'not-found'; readonly platform: string; readonly configuredPath?: string };

/** The launcher's state: not-installed → ready → starting → running (pid, ID) → ended (exit code). */
export type LaunchState =
  | { readonly kind: 'not-installed' }
  | { readonly kind: 'ready'; readonly installation: TeamViewerInstallation }
  | { readonly kind: 'starting'; readonly installation: TeamViewerInstallation }
  | { readonly kind: 'running'; readonly installation: TeamViewerInstallation; readonly pid: number; readonly startedAt: string; readonly id?: string }
  | {
      readonly kind: 'ended';
      readonly installation: TeamViewerInstallation;
      readonly pid?: number;
      readonly exitCode: number | null;
      readonly signal?: string;
      /** True when our Stop ended it. */
      readonly stopped: boolean;
      readonly id?: string;
    }
  | { readonly kind: 'failed'; readonly installation: TeamViewerInstallation; readonly error: ErrorInfo };

/**
 * Our manual proxy as TeamViewer needs it. TeamViewer keeps its own proxy settings and documents no
 * command-line switch for them, so the administrator enters these exact values in TeamViewer's
 * dialog; `args` is used for launchers whose command line does take them.
 */
export type ProxyHandOff =
  | { readonly kind: 'none' }
  | { readonly kind: 'command-line'; readonly args: readonly string[] }
  | {
      readonly kind: 'dialog';
      readonly host: string;
      readonly port: number;
      /** `DOMAIN\user` when a domain is configured; the password is never shown (the administrator knows it). */
      readonly username?: string;
      readonly passwordRequired: boolean;
    };

/** Formats a TeamViewer ID as TeamViewer shows it: groups of three from the left ("1 234 567 890" → "1 234 567 890"). */
export function formatTeamViewerId(id: string): string {
  const digits = id.replace(/\D/g, '');
  const head = digits.length % 3;
  const groups = head ? [digits.slice(0, head)] : [];
  for (let i = head; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  return groups.join(' ');
}
