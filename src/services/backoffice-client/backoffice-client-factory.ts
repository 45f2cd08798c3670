import { inject, injectable } from 'inversify';
import { Clock } from '../../common/clock.js';
import { HttpClientFactory } from '../http/http-client.js';
import { BackofficeClient, type BackofficeClientOptions } from './backoffice-client.js';

/** Makes a back-office client for one configuration, on the bound HTTP client factory and clock. */
export interface BackofficeClientFactory {
  create(o: BackofficeClientOptions): BackofficeClient;
}
export const BackofficeClientFactory = Symbol('BackofficeClientFactory');

@injectable()
export class DefaultBackofficeClientFactory implements BackofficeClientFactory {
  constructor(
    @inject(HttpClientFactory) private readonly http: HttpClientFactory,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  create(o: BackofficeClientOptions): BackofficeClient {
    return new BackofficeClient({ httpFactory: this.http, now: () => this.clock.now(), ...o });
  }
}
