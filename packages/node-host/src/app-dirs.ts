import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** An app as the host isolates it: its manifest publisher and id (both signed, and the id inside the key's scope). */
export interface AppKey {
  publisher: string;
  id: string;
}

const KEEP = /[a-z0-9_-]/;
const MAX_SEGMENT = 120;

/**
 * Encodes a publisher or an app id as one path segment, injectively and safely on every file system: lowercase
 * ASCII letters, digits, `_` and `-` are kept, `.` is kept except in first place (so no segment is `.`, `..` or
 * hidden), and every other byte — `/`, `\`, `:`, `%`, `~`, upper case (case-insensitive file systems) — becomes
 * `%XX` (upper-case hex). A result longer than 120 characters is cut and suffixed with `~` and a SHA-256 prefix
 * of the input (`~` never appears otherwise). Two different names never share a segment.
 */
export function encodePathSegment(name: string): string {
  let out = '';
  const bytes = Buffer.from(name, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    const c = String.fromCharCode(bytes[i]!);
    out += KEEP.test(c) || (c === '.' && i > 0) ? c : `%${bytes[i]!.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (out.length === 0) return '%';
  if (out.length <= MAX_SEGMENT) return out;
  return `${out.slice(0, 80)}~${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 32)}`;
}

/**
 * The state directory of one app: `<stateDir>/apps/<publisher>/<id>` (each segment encoded by
 * `encodePathSegment`). It holds the app's kv (`kv/`) and its default `/data` (`files/`); no other
 * (publisher, id) maps to it, and no id can name a path outside it.
 */
export function appStateDir(stateDir: string, app: AppKey): string {
  return join(stateDir, 'apps', encodePathSegment(app.publisher), encodePathSegment(app.id));
}
