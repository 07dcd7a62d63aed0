// The one way a text filter becomes a LIKE pattern: `… like ? escape ?` with these two values.
// SQLite's LIKE has no default escape character, and MikroORM's $like cannot add one, so every
// LIKE is written with an explicit ESCAPE and its term escaped here. Pure.

/** The escape character of every LIKE pattern built here. */
export const LIKE_ESCAPE = '\\';

/** `term` with LIKE's wildcards (% and _) and the escape character itself escaped. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => LIKE_ESCAPE + c);
}

/** A LIKE pattern matching values that contain `term` literally. */
export function likeContains(term: string): string {
  return `%${escapeLike(term)}%`;
}
