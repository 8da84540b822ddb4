/**
 * An occurrence's key, `<dutyId>:<unitId>:<periodKey>`: stable across re-expansion (amendments are
 * diffed by it) and the prefix of every notification id of the occurrence. Plan ids never contain
 * ':' (the schema allows lower-case letters, digits and '-'), and neither do period keys.
 */
export interface OccurrenceKeyParts {
  dutyId: string;
  unitId: string;
  periodKey: string;
}

export function occurrenceKey(dutyId: string, unitId: string, periodKey: string): string {
  return `${dutyId}:${unitId}:${periodKey}`;
}

export function parseOccurrenceKey(key: string): OccurrenceKeyParts | undefined {
  const parts = key.split(':');
  if (parts.length !== 3 || parts.some((part) => part === '')) return undefined;
  const [dutyId, unitId, periodKey] = parts as [string, string, string];
  return { dutyId, unitId, periodKey };
}
