import type { AssistanceRefusal } from '../backoffice/assistance.js';
import type { RemoteServiceSettings } from '../remote-service/model.js';
import type { TeamViewerAvailability } from './model.js';
import { prerequisitesOf, type Prerequisite, type PrerequisiteId } from './prerequisites.js';

/**
 * Why this installation refuses a help desk's request for remote assistance, or undefined when it
 * may be offered to the administrator: not allowed ([Allow remote assistance] not saved), else the
 * first unmet prerequisite of SPEC F4 (the one rule of prerequisites.ts). `ignore` leaves out what
 * the caller cannot know (the ORS service does not look for TeamViewer).
 */
export function assistanceRefusal(prerequisites: readonly Prerequisite[], allowed: boolean, ignore: readonly PrerequisiteId[] = []): AssistanceRefusal | undefined {
  if (!allowed) return 'not-allowed';
  return prerequisites.find((p) => !p.met && !ignore.includes(p.id))?.id;
}

/**
 * The refusal as the ORS service sees it when a request arrives: from the saved settings alone. It
 * holds the connection the request came over, so the license update counts as met; TeamViewer is
 * looked for by the console, which refuses then if it is missing.
 */
export function refusalFromSettings(settings: RemoteServiceSettings | undefined): AssistanceRefusal | undefined {
  const unknownTeamViewer: TeamViewerAvailability = { kind: 'checking' };
  return assistanceRefusal(prerequisitesOf(settings, undefined, unknownTeamViewer), settings?.allowRemoteAssistance === true, ['license-update', 'teamviewer']);
}
