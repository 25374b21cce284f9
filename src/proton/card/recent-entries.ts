/**
 * Sets `key` as the most recently used entry of `map` (a Map keeps insertion order) and drops
 * the least recently used one when the map holds more than `max`.
 */
export function setRecent<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as K);
}
