import { BehaviorSubject, map, type Observable } from 'rxjs';
import { toDisposable, type Disposable } from '../../common/disposable.js';
import { CodedError } from '../../common/errors.js';
import type { Catalogue } from '../../common/i18n.js';
import { hostCatalogue } from '../../common/messages/host-catalogue.js';

/**
 * The plugins' message catalogues, registered through their contexts. The console gets them as
 * one stream (it bundles only the host's own catalogue); a code may be registered once.
 */
export class MessageCatalogues {
  private readonly registered = new BehaviorSubject<readonly { pluginId: string; catalogue: Catalogue }[]>([]);

  /** Every plugin catalogue merged (the host's own is in the console bundle). */
  get catalogue$(): Observable<Catalogue> {
    return this.registered.pipe(map((list) => Object.assign({}, ...list.map((r) => r.catalogue)) as Catalogue));
  }

  register(pluginId: string, catalogue: Catalogue): Disposable {
    const known = new Set([...Object.keys(hostCatalogue), ...this.registered.value.flatMap((r) => Object.keys(r.catalogue))]);
    const clash = Object.keys(catalogue).find((code) => known.has(code));
    if (clash) throw new CodedError('plugin.duplicate-message', { plugin: pluginId, code: clash });
    const entry = { pluginId, catalogue };
    this.registered.next([...this.registered.value, entry]);
    return toDisposable(() => this.registered.next(this.registered.value.filter((r) => r !== entry)));
  }
}
