import { injectable } from 'inversify';
import { BehaviorSubject, type Observable } from 'rxjs';
import type { UpdateEvent, UpdateState } from '../../common/remote-service/model.js';
import { WAITING_STEPS, type UpdateJournal } from './update-journal.js';

const MAX_EVENTS = 20;

/**
 * The update state the ORS status shows: the phase fields the scheduler and the install pipeline
 * set, and — derived from the journal on every change — the licenses waiting for the administrator
 * and the recent events.
 */
@injectable()
export class UpdateStatus {
  private readonly state = new BehaviorSubject<UpdateState>({ phase: 'idle', pending: [], events: [] });
  private journal?: UpdateJournal;

  get state$(): Observable<UpdateState> {
    return this.state.asObservable();
  }

  get value(): UpdateState {
    return this.state.value;
  }

  /** From now on pending and events come from this journal. */
  follow(journal: UpdateJournal): void {
    this.journal = journal;
    this.publish({});
  }

  /** Publishes the state: the phase fields given (undefined removes one), pending and recent events from the journal. */
  publish(change: Partial<Record<keyof UpdateState, unknown>>): void {
    const next: Record<string, unknown> = { ...this.state.value };
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) delete next[k];
      else next[k] = v;
    }
    const entries = this.journal?.all() ?? [];
    const pending = entries.filter((e) => WAITING_STEPS.has(e.step)).map((e) => e.events[e.events.length - 1]).filter((e): e is UpdateEvent => e !== undefined);
    const events = entries.flatMap((e) => e.events).sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0)).slice(0, MAX_EVENTS);
    this.state.next({ ...(next as unknown as UpdateState), pending, events });
  }
}
