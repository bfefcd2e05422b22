/**
 * A value as plain JSON for a Prisma Json column: Dates become ISO strings, undefined fields
 * vanish; null and undefined become undefined (the column stays NULL).
 */
export function toJsonValue(value: unknown): object | undefined {
  return value === undefined || value === null ? undefined : (JSON.parse(JSON.stringify(value)) as object);
}
