/** Something to release: a registration, a subscription, a process. */
export interface Disposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** Disposes its members in reverse order of addition, each once, even if one of them throws. */
export class DisposableCollection implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  push(...items: Disposable[]): void {
    if (this.disposed) {
      for (const d of items) d.dispose();
      return;
    }
    this.items.push(...items);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const d of this.items.splice(0).reverse()) {
      try {
        d.dispose();
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length) throw new AggregateError(errors, 'dispose failed');
  }
}
