/** What `teamviewer info` (Linux) prints that we use: the version and the TeamViewer ID. */
export interface TeamViewerInfo {
  readonly version?: string;
  readonly id?: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * Parses `teamviewer info` output. TeamViewer 15 prints a header line `TeamViewer   15.x.y`,
 * the daemon status, and `TeamViewer ID:   1234567890` (coloured on a terminal; the ID may be
 * grouped with spaces). Anything else is ignored.
 */
export function parseTeamViewerInfo(output: string): TeamViewerInfo {
  const text = output.replace(ANSI, '');
  const id = /TeamViewer\s+ID:\s*([\d][\d ]{5,14}\d)/i.exec(text)?.[1]?.replace(/\s/g, '');
  const version = /^\s*TeamViewer\s+(\d+(?:\.\d+){1,3})\s*$/im.exec(text)?.[1] ?? /\bversion\s+(\d+(?:\.\d+){1,3})/i.exec(text)?.[1];
  return { ...(version ? { version } : {}), ...(id ? { id } : {}) };
}

/** An ID line a QuickSupport build (or stand-in) prints on its own output while it runs. */
export function idFromOutputLine(line: string): string | undefined {
  return /TeamViewer\s+ID:\s*([\d][\d ]{5,14}\d)/i.exec(line.replace(ANSI, ''))?.[1]?.replace(/\s/g, '');
}
