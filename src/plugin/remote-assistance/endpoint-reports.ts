import { inject, injectable } from 'inversify';
import type { AssistanceReport } from '../../common/backoffice/assistance.js';
import { CodedError } from '../../common/errors.js';
import { HostDataDir } from '../../host/api/index.js';
import { endpointFileOf, postAssistanceReport } from '../../services/ors-control/daemon-endpoint-client.js';
import type { AssistanceReports } from './assistance-requests.js';

/** The administrator's answers on the endpoint of the ORS service the console runs with. */
@injectable()
export class EndpointAssistanceReports implements AssistanceReports {
  private readonly file: string;

  constructor(@inject(HostDataDir) hostDataDir: string) {
    this.file = endpointFileOf(hostDataDir);
  }

  async report(requestId: string, report: AssistanceReport): Promise<void> {
    const r = await postAssistanceReport(this.file, requestId, report);
    if (!r.accepted) throw new CodedError(r.error.code, r.error.params ?? {});
  }
}
