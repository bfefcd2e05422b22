/**
 * A value as plain JSON for a Prisma Json column: Dates become ISO strings, undefined fields
 * vanish; null and undefined become undefined (the column stays NULL).
 */
export function toJsonValue(value: unknown): object | undefined {
  return value === undefined || value === null ? undefined : (JSON.parse(JSON.stringify(value)) as object);
}

/** `T` as a service holds it before JSON serialisation: its ISO time fields `K` as Dates (a nullable one stays nullable). */
export type WithDates<T, K extends keyof T> = Omit<T, K> & { [P in K]: null extends T[P] ? Date | null : Date };
