import type { ContainerModuleLoadOptions, ServiceIdentifier } from 'inversify';

/**
 * Collects every binding of a contribution token (Theia's ContributionProvider): areas bind their
 * contributions in their own modules, the consumer asks the provider, so module load order never
 * matters.
 */
export interface ContributionProvider<T> {
  getContributions(): readonly T[];
}
export const ContributionProvider = Symbol('ContributionProvider');

/** Binds the provider of `id`; resolve it with `get(ContributionProvider, { name: id })` or `@named(id)`. */
export function bindContributionProvider(bind: ContainerModuleLoadOptions['bind'], id: ServiceIdentifier & (string | symbol)): void {
  bind(ContributionProvider)
    .toDynamicValue((ctx): ContributionProvider<unknown> => {
      let list: readonly unknown[] | undefined;
      return { getContributions: () => (list ??= ctx.getAll(id, { optional: true })) };
    })
    .inSingletonScope()
    .whenNamed(id);
}
