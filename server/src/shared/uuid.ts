import { uuidv7 } from 'uuidv7';

/** Row ids are uuid v7: time-ordered, so primary key indexes stay append-friendly. */
export function newId(): string {
  return uuidv7();
}
