import { randomUUID } from 'node:crypto';
import { CodedError } from '../common/errors.js';

export interface Seat {
  readonly seatId: string;
  readonly serial: string;
  readonly client: string;
  /** ms since the epoch after which the seat is reclaimed unless a heartbeat arrives. */
  expiresAt: number;
}

/** Floating seats per serial, limited by the served license's `users`, reclaimed after missed heartbeats. */
export class SeatPool {
  private readonly seats = new Map<string, Seat>();

  constructor(
    readonly heartbeatTimeoutMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Drops seats whose holders stopped sending heartbeats. */
  reclaim(): Seat[] {
    const now = this.clock();
    const gone = [...this.seats.values()].filter((s) => s.expiresAt <= now);
    for (const s of gone) this.seats.delete(s.seatId);
    return gone;
  }

  inUse(serial: string): number {
    this.reclaim();
    let n = 0;
    for (const s of this.seats.values()) if (s.serial === serial) n++;
    return n;
  }

  checkout(serial: string, client: string, limit: number): Seat {
    if (this.inUse(serial) >= limit) throw new CodedError('fls.no-seat-free', { serial, users: limit });
    const seat: Seat = { seatId: randomUUID(), serial, client, expiresAt: this.clock() + this.heartbeatTimeoutMs };
    this.seats.set(seat.seatId, seat);
    return seat;
  }

  heartbeat(seatId: string): Seat {
    this.reclaim();
    const seat = this.seats.get(seatId);
    if (!seat) throw new CodedError('fls.unknown-seat', { seatId });
    seat.expiresAt = this.clock() + this.heartbeatTimeoutMs;
    return seat;
  }

  release(seatId: string): void {
    if (!this.seats.delete(seatId)) throw new CodedError('fls.unknown-seat', { seatId });
  }
}
