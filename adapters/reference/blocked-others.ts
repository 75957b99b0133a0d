/**
 * What else a Teams user blocks besides Skype users (F22): other Teams users and phone numbers. Kept for the
 * blocked-contacts list only: what such blocks do to Teams ↔ Teams traffic or phone calls is outside the interop.
 */
export type OtherKind = 'person' | 'number';

export interface OtherBlockList {
  add(user: string, kind: OtherKind, value: string): void;
  remove(user: string, kind: OtherKind, value: string): void;
  /** What `user` blocks of this kind, in the order they were blocked. */
  list(user: string, kind: OtherKind): string[];
}

export class OtherBlocks implements OtherBlockList {
  readonly #byUser = new Map<string, Record<OtherKind, Set<string>>>();

  #of(user: string): Record<OtherKind, Set<string>> {
    let lists = this.#byUser.get(user);
    if (!lists) this.#byUser.set(user, (lists = { person: new Set(), number: new Set() }));
    return lists;
  }

  add(user: string, kind: OtherKind, value: string): void {
    this.#of(user)[kind].add(value);
  }

  remove(user: string, kind: OtherKind, value: string): void {
    this.#of(user)[kind].delete(value);
  }

  /** What `user` blocks of this kind, in the order they were blocked. */
  list(user: string, kind: OtherKind): string[] {
    return [...this.#of(user)[kind]];
  }
}
