import { constants, type BigIntStats } from 'node:fs';
import {
  link,
  lstat,
  lutimes,
  mkdir,
  open,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
  rmdir,
  stat,
  symlink,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, posix, resolve, sep } from 'node:path';
import { findRoot, isPathWithin, normalizeGuestPath } from '@fayger/adapter-core';
import {
  FaygerError,
  MAX_BYTES,
  type AdapterCallContext,
  type CapabilityGrant,
  type CapabilityName,
  type OpArgs,
  type OpResult,
} from '@fayger/contracts';

/** A guest root backed by a host directory. */
export interface FsMount {
  /** Absolute guest path, e.g. "/data". */
  guest: string;
  /** Host directory (absolute). It must exist. */
  host: string;
  /** Refuse every write under this mount, and under its host directory reached through any other mount. */
  readOnly?: boolean;
}

export interface ConfinedFsOptions {
  mounts: readonly FsMount[];
}

type Access = 'read' | 'write';
type Grants = ReadonlyMap<CapabilityName, CapabilityGrant>;
type FileType = 'file' | 'directory' | 'symlink' | 'other';

interface Mount extends FsMount {
  guest: string;
  /** realpath of `host`, filled by ready(). */
  real: string;
}

interface Located {
  guest: string;
  mount: Mount;
  /** Guest path of the innermost boundary (granted root or mount root) containing `guest`. */
  boundaryGuest: string;
  /** Host real path of that boundary: every resolved path must stay inside it. */
  boundaryReal: string;
  /** Lexical host path of `guest` (may still contain symlinks). */
  hostTarget: string;
}

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// Every open is non-blocking: opening a FIFO without a writer (or a reader) must never park a libuv thread.
// For regular files and directories O_NONBLOCK changes nothing.
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const O_DIRECTORY = constants.O_DIRECTORY ?? 0;
// Linux exposes the path an fd really refers to; elsewhere we fall back to comparing dev+ino.
const PROC_FD = process.platform === 'linux' ? '/proc/self/fd' : undefined;

function inside(p: string, root: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

function scopeDenied(op: string, guest: string, why: string, extra: Record<string, unknown> = {}): FaygerError {
  return new FaygerError({
    code: 'CAPABILITY_SCOPE_DENIED',
    phase: op,
    what: `${op} ${JSON.stringify(guest)}`,
    expected: 'a path that stays inside a granted root',
    found: why,
    details: { op, path: guest, ...extra },
  });
}

/** Host errno → the small fixed set of typed errors; host paths never leak into messages. */
export function fsErrorFromErrno(op: string, guest: string, e: unknown): FaygerError {
  if (FaygerError.is(e)) return e;
  const code = (e as { code?: string } | null)?.code;
  const details = { op, path: guest, errno: code };
  switch (code) {
    case 'ENOENT':
      return new FaygerError({
        code: 'ADAPTER_PATH_NOT_FOUND',
        phase: op,
        what: `${op} ${JSON.stringify(guest)}`,
        details,
      });
    case 'EEXIST':
      return new FaygerError({
        code: 'ADAPTER_PATH_EXISTS',
        phase: op,
        what: `${op} ${JSON.stringify(guest)}`,
        details,
      });
    case 'ENOTDIR':
      return new FaygerError({
        code: 'ADAPTER_PATH_NOT_DIRECTORY',
        phase: op,
        what: `${op} ${JSON.stringify(guest)}`,
        details,
      });
    case 'EISDIR':
      return new FaygerError({
        code: 'ADAPTER_PATH_IS_DIRECTORY',
        phase: op,
        what: `${op} ${JSON.stringify(guest)}`,
        details,
      });
    case 'ENOTEMPTY':
      return new FaygerError({
        code: 'ADAPTER_DIRECTORY_NOT_EMPTY',
        phase: op,
        what: `${op} ${JSON.stringify(guest)}`,
        details,
      });
    case 'ENXIO':
      // open(2) of a socket, or of a FIFO for writing with no reader (O_NONBLOCK): a special file.
      return new FaygerError({
        code: 'ADAPTER_SPECIAL_FILE',
        phase: op,
        what: `${op} ${JSON.stringify(guest)}`,
        expected: 'a regular file or a directory',
        found: 'a special file',
        details,
      });
    case 'ELOOP':
      // O_NOFOLLOW met a symlink where a plain file was expected (a link swapped in after the check).
      return scopeDenied(op, guest, 'a symbolic link at the final path component', { errno: code });
    default:
      return new FaygerError({
        code: 'ADAPTER_IO_FAILED',
        phase: op,
        what: `${op} ${JSON.stringify(guest)}`,
        found: code ?? (e instanceof Error ? e.message : String(e)),
        details,
        cause: e,
      });
  }
}

function specialFile(op: string, guest: string, what: string): FaygerError {
  return new FaygerError({
    code: 'ADAPTER_SPECIAL_FILE',
    phase: op,
    what: `${op} ${JSON.stringify(guest)}`,
    expected: 'a regular file or a directory',
    found: what,
    details: { op, path: guest },
  });
}

function kindOf(s: {
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  return s.isFIFO()
    ? 'a FIFO (named pipe)'
    : s.isSocket()
      ? 'a socket'
      : s.isCharacterDevice()
        ? 'a character device'
        : s.isBlockDevice()
          ? 'a block device'
          : 'a special file';
}

/**
 * Refuses anything but a regular file or a directory: before the open (lstat of the resolved path, so a device
 * is never opened at all) and again on the opened descriptor (fstat, so a swap between the two is caught).
 */
function assertPlain(
  op: string,
  guest: string,
  st: {
    isFile(): boolean;
    isDirectory(): boolean;
    isFIFO(): boolean;
    isSocket(): boolean;
    isCharacterDevice(): boolean;
    isBlockDevice(): boolean;
  },
): void {
  if (!st.isFile() && !st.isDirectory()) throw specialFile(op, guest, kindOf(st));
}

/** fs.stat's answer from a host stat: exact 64-bit numbers as decimal strings. */
function describe(st: BigIntStats): OpResult<'fs.stat'> {
  return {
    type: typeOf(st) as never,
    size: st.isFile() ? Number(st.size) : 0,
    mtimeMs: Number(st.mtimeMs),
    dev: st.dev.toString(),
    ino: st.ino.toString(),
    nlink: Number(st.nlink),
    atimeNs: st.atimeNs.toString(),
    mtimeNs: st.mtimeNs.toString(),
    ctimeNs: st.ctimeNs.toString(),
  };
}

/** A timestamp argument of fs.utimes as seconds for Node (nanosecond strings keep their sub-second part). */
function timeArg(v: string | undefined, current: bigint): number {
  if (v === undefined) return Number(current) / 1e9;
  if (v === 'now') return Date.now() / 1000;
  const ns = BigInt(v);
  return Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9;
}

function typeOf(s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): FileType {
  return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : s.isSymbolicLink() ? 'symlink' : 'other';
}

/**
 * A filesystem confined to granted guest roots mapped onto host directories.
 *
 * Every operation: normalises the guest path lexically (NUL, backslash, relative paths rejected; `..` never
 * climbs above "/"), checks it against the granted roots and the mounts, maps it onto the host, resolves
 * symlinks with realpath and re-checks containment against the real path of the granted root, opens files with
 * O_NOFOLLOW, and after opening verifies the path the descriptor really refers to (/proc/self/fd on Linux,
 * dev+ino elsewhere) so a symlink retargeted between check and use is caught. Writes are refused inside any
 * read-only mount's real directory whichever mount they came through. Truncation happens after verification,
 * never at open.
 * Special files (FIFOs, sockets, devices) are refused with ADAPTER_SPECIAL_FILE: the resolved path is lstat'ed
 * before any open, every open is O_NONBLOCK (a FIFO never parks a host thread), and the opened descriptor is
 * fstat'ed again, so a regular file swapped for a FIFO in between is refused too.
 *
 * Symbolic links a guest creates (fs.symlink) must be relative and resolve, lexically from the link's own
 * directory, inside the same granted root; following any link is confined as above whoever made it.
 *
 * Hard links. A file with several names is written through like any other once the path the guest named is
 * confined (wasmtime does the same): what must stay impossible is escaping a root *by path*, and a hard link
 * never adds a path. The argument, case by case:
 * - A hard link cannot name a directory (link(2) refuses, and fs.link checks it first), so no hard link makes a
 *   directory outside the root reachable: every path below a root still resolves, component by component,
 *   inside it (checked above on the resolved path).
 * - A hard link the guest makes (fs.link) joins two paths that both resolve inside writable granted roots, and
 *   its source may not lie in a read-only mount's real directory. So the guest can only give a second name to
 *   a file it could already write through the first: nothing becomes reachable, or writable, that was not.
 * - A hard link that already exists inside a root was put there by the host (or another host process), exactly
 *   as a plain file would have been: the root's owner chose to share that file's content with the guest. The
 *   guest still cannot name the file's other paths, nor learn them. A read-only mount protects the paths under
 *   its own directory; a file the host itself hard-links into a writable root is writable there (as with a
 *   bind mount). Hosts that do not want this should not place such links in a writable root.
 * The earlier guard (refusing writes to any file with nlink > 1) protected nothing beyond that last case and
 * broke ordinary programs (`ln a b` then appending to b: package managers, git, build tools).
 *
 * Residual risk (documented): Node has no openat/unlinkat/symlinkat/linkat, so directory operations (mkdir,
 * remove, rename, symlink, link) check then act on real paths; a concurrent host process swapping a parent
 * directory for a symlink inside that window is not fully excluded.
 */
export class ConfinedFs {
  private readonly mounts: Mount[];
  private readyP: Promise<void> | undefined;

  constructor(options: ConfinedFsOptions) {
    const seen = new Set<string>();
    this.mounts = (options?.mounts ?? []).map((m, i) => {
      const bad = (expected: string, found: string): never => {
        throw new FaygerError({
          code: 'ADAPTER_INVALID',
          phase: 'configure',
          what: `configuring fs mount ${i}`,
          expected,
          found,
          details: { mount: i },
        });
      };
      let guest: string;
      try {
        guest = normalizeGuestPath(m.guest, `mounts[${i}].guest`);
      } catch {
        return bad('an absolute guest path', JSON.stringify(m.guest));
      }
      if (typeof m.host !== 'string' || !isAbsolute(m.host)) bad('an absolute host directory', JSON.stringify(m.host));
      if (seen.has(guest)) bad('each guest root mounted once', guest);
      seen.add(guest);
      return { guest, host: resolve(m.host), readOnly: m.readOnly === true, real: '' };
    });
  }

  /** Guest roots for fs.read (every mount) and fs.write (writable mounts). */
  roots(): { read: string[]; write: string[] } {
    return { read: this.mounts.map((m) => m.guest), write: this.mounts.filter((m) => !m.readOnly).map((m) => m.guest) };
  }

  /** Resolves the mounts' host directories once; they must exist. */
  ready(): Promise<void> {
    this.readyP ??= (async () => {
      for (const m of this.mounts) {
        try {
          m.real = await realpath(m.host);
          if (!(await stat(m.real)).isDirectory())
            throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
        } catch (e) {
          this.readyP = undefined;
          throw new FaygerError({
            code: 'ADAPTER_INVALID',
            phase: 'configure',
            what: `mounting ${m.guest}`,
            expected: 'an existing host directory',
            found: (e as { code?: string }).code ?? String(e),
            details: { guest: m.guest },
            cause: e,
          });
        }
      }
    })();
    return this.readyP;
  }

  private async locate(op: string, raw: string, access: Access, grants: Grants): Promise<Located> {
    await this.ready();
    const guest = normalizeGuestPath(raw);
    const cap: CapabilityName = access === 'write' ? 'fs.write' : 'fs.read';
    const grant = grants.get(cap);
    if (!grant) throw scopeDenied(op, guest, `${cap} is not granted`);
    const granted = grant.scope?.roots;
    const groot = granted === undefined ? undefined : findRoot(guest, granted);
    if (granted !== undefined && groot === undefined)
      throw scopeDenied(op, guest, 'outside the granted roots', { roots: granted });
    let mount: Mount | undefined;
    for (const m of this.mounts)
      if (isPathWithin(guest, m.guest) && (!mount || m.guest.length > mount.guest.length)) mount = m;
    if (!mount)
      throw scopeDenied(op, guest, 'outside every root this host mounts', { roots: this.mounts.map((m) => m.guest) });
    if (access === 'write' && mount.readOnly) throw scopeDenied(op, guest, `${mount.guest} is read-only`);
    const boundaryGuest = groot !== undefined && groot.length > mount.guest.length ? groot : mount.guest;
    const toHost = (g: string) => join(mount.real, ...g.slice(mount.guest.length).split('/').filter(Boolean));
    let boundaryReal: string;
    try {
      boundaryReal = await realpath(toHost(boundaryGuest));
    } catch (e) {
      throw fsErrorFromErrno(op, boundaryGuest, e);
    }
    // A granted sub-root that is itself a symlink must not lead out of its mount.
    if (!inside(boundaryReal, mount.real)) throw scopeDenied(op, guest, 'the granted root resolves outside its mount');
    return { guest, mount, boundaryGuest, boundaryReal, hostTarget: toHost(guest) };
  }

  private assertInside(op: string, loc: Located, real: string): void {
    if (!inside(real, loc.boundaryReal))
      throw scopeDenied(op, loc.guest, 'resolves (through a symbolic link) outside the granted root');
  }

  private assertWritable(op: string, loc: Located, real: string): void {
    for (const m of this.mounts) {
      if (m.readOnly && inside(real, m.real))
        throw scopeDenied(op, loc.guest, `reaches the read-only root ${m.guest} through another path`);
    }
  }

  /** Verifies that an open descriptor refers to a file inside the boundary (defeats check-then-swap races). */
  private async verifyOpened(op: string, loc: Located, fh: FileHandle, expectedReal: string): Promise<BigIntStats> {
    const st = await fh.stat({ bigint: true });
    let actual: string | undefined;
    if (PROC_FD) {
      try {
        actual = await readlink(`${PROC_FD}/${fh.fd}`);
      } catch {
        actual = undefined;
      }
    }
    if (actual !== undefined) {
      this.assertInside(op, loc, actual);
      return st;
    }
    const again = await stat(expectedReal, { bigint: true }).catch(() => undefined);
    if (!again || again.dev !== st.dev || again.ino !== st.ino)
      throw scopeDenied(op, loc.guest, 'the file changed between the check and the open');
    this.assertInside(op, loc, await realpath(expectedReal));
    return st;
  }

  /** The real path of `loc` with its parent resolved and confined, its final component not followed. */
  private async parentReal(op: string, loc: Located): Promise<string> {
    const parentReal = await realpath(dirname(loc.hostTarget));
    this.assertInside(op, loc, parentReal);
    return join(parentReal, basename(loc.hostTarget));
  }

  /** Resolves the parent directory for a create/modify op and returns the real target path. */
  private async parentTarget(op: string, loc: Located): Promise<string> {
    if (loc.guest === loc.boundaryGuest) throw scopeDenied(op, loc.guest, 'names a granted root itself');
    const parentReal = await realpath(dirname(loc.hostTarget));
    this.assertInside(op, loc, parentReal);
    const target = join(parentReal, basename(loc.hostTarget));
    this.assertWritable(op, loc, target);
    return target;
  }

  /**
   * The one confined open for reading: resolve the guest path inside a granted root, resolve symlinks and
   * re-check containment, open without following a final symlink, then verify that what was opened is what was
   * checked (defeats a symlink retargeted between check and use). `use` gets the open handle and its stat;
   * every failure maps to a typed fs error naming the guest path.
   */
  private async withOpenedForRead<T>(
    op: string,
    path: string,
    grants: AdapterCallContext['grants'],
    flags: number,
    use: (fh: FileHandle, st: BigIntStats, guest: string, real: string) => Promise<T>,
  ): Promise<T> {
    let guest = path;
    try {
      const loc = await this.locate(op, path, 'read', grants);
      guest = loc.guest;
      const real = await realpath(loc.hostTarget);
      this.assertInside(op, loc, real);
      assertPlain(op, guest, await lstat(real));
      const fh = await open(real, flags | O_NOFOLLOW | O_NONBLOCK);
      try {
        const st = await this.verifyOpened(op, loc, fh, real);
        assertPlain(op, guest, st);
        return await use(fh, st, guest, real);
      } finally {
        await fh.close();
      }
    } catch (e) {
      throw fsErrorFromErrno(op, guest, e);
    }
  }

  async read(
    a: OpArgs<'fs.read'>,
    ctx: Pick<AdapterCallContext, 'grants' | 'remaining'>,
  ): Promise<OpResult<'fs.read'>> {
    const op = 'fs.read';
    return this.withOpenedForRead(op, a.path, ctx.grants, constants.O_RDONLY, async (fh, st, guest) => {
      if (!st.isFile()) throw fsErrorFromErrno(op, guest, { code: st.isDirectory() ? 'EISDIR' : 'EINVAL' });
      const size = Number(st.size);
      const offset = Math.min(a.offset ?? 0, size);
      let want = Math.min(size - offset, a.length ?? MAX_BYTES, MAX_BYTES);
      if (ctx.remaining.bytes !== undefined) want = Math.min(want, ctx.remaining.bytes);
      const buf = new Uint8Array(want);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await fh.read(buf, got, want - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return { data: got === want ? buf : buf.slice(0, got), eof: offset + got >= size };
    });
  }

  async stat(a: OpArgs<'fs.stat'>, ctx: Pick<AdapterCallContext, 'grants'>): Promise<OpResult<'fs.stat'>> {
    const op = 'fs.stat';
    if (a.follow === false) {
      // lstat of the final component, its parent resolved and confined (a granted root itself is followed).
      let guest = a.path;
      try {
        const loc = await this.locate(op, a.path, 'read', ctx.grants);
        guest = loc.guest;
        if (loc.guest !== loc.boundaryGuest) {
          const target = await this.parentReal(op, loc);
          const st = await lstat(target, { bigint: true });
          if (st.isSymbolicLink()) return describe(st);
        }
      } catch (e) {
        throw fsErrorFromErrno(op, guest, e);
      }
    }
    return this.withOpenedForRead(op, a.path, ctx.grants, constants.O_RDONLY, async (_fh, st) => describe(st));
  }

  async list(a: OpArgs<'fs.list'>, ctx: Pick<AdapterCallContext, 'grants'>): Promise<OpResult<'fs.list'>> {
    const op = 'fs.list';
    return this.withOpenedForRead(
      op,
      a.path,
      ctx.grants,
      constants.O_RDONLY | O_DIRECTORY,
      async (fh, st, guest, real) => {
        if (!st.isDirectory()) throw fsErrorFromErrno(op, guest, { code: 'ENOTDIR' });
        // On Linux read the directory the descriptor holds, not whatever the path names by now.
        const dir = PROC_FD ? `${PROC_FD}/${fh.fd}` : real;
        const dirents = await readdir(dir, { withFileTypes: true });
        const entries = await Promise.all(
          dirents.map(async (d) => {
            // The entry's own inode (lstat: a symlink's, as stat without follow reports it).
            const ls = await lstat(join(dir, d.name), { bigint: true }).catch(() => undefined);
            return ls ? { name: d.name, type: typeOf(d), ino: ls.ino.toString() } : { name: d.name, type: typeOf(d) };
          }),
        );
        entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
        return { entries: entries as never, ino: st.ino.toString() };
      },
    );
  }

  async write(a: OpArgs<'fs.write'>, ctx: Pick<AdapterCallContext, 'grants'>): Promise<OpResult<'fs.write'>> {
    const op = 'fs.write';
    let guest = a.path;
    try {
      const loc = await this.locate(op, a.path, 'write', ctx.grants);
      guest = loc.guest;
      const target = await this.parentTarget(op, loc);
      const existing = await lstat(target).catch((e: { code?: string }) => {
        if (e.code === 'ENOENT') return undefined;
        throw e;
      });
      if (existing && !existing.isSymbolicLink()) assertPlain(op, guest, existing);
      const base = constants.O_WRONLY | O_NOFOLLOW | O_NONBLOCK | (a.append ? constants.O_APPEND : 0);
      let created = false;
      let fh: FileHandle;
      if (a.create === false) fh = await open(target, base);
      else {
        // Exclusive first, so we know whether a file we created must be removed if verification fails.
        try {
          fh = await open(target, base | constants.O_CREAT | constants.O_EXCL, 0o644);
          created = true;
        } catch (e) {
          if ((e as { code?: string }).code !== 'EEXIST' || a.exclusive) throw e;
          fh = await open(target, base);
        }
      }
      try {
        let st: BigIntStats;
        try {
          st = await this.verifyOpened(op, loc, fh, target);
          if (PROC_FD) this.assertWritable(op, loc, await readlink(`${PROC_FD}/${fh.fd}`));
          assertPlain(op, guest, st);
          if (!st.isFile()) throw fsErrorFromErrno(op, guest, { code: 'EISDIR' });
          // Several hard links are fine: the path is confined, and a hard link never names a directory (see above).
        } catch (e) {
          if (created) await unlink(target).catch(() => {});
          throw e;
        }
        const replace = !a.append && a.offset === undefined;
        if (a.truncate || replace) await fh.truncate(0);
        let position = a.append ? Number(st.size) : (a.offset ?? 0);
        if (a.truncate && a.append) position = 0;
        let done = 0;
        while (done < a.data.byteLength) {
          const { bytesWritten } = await fh.write(
            a.data,
            done,
            a.data.byteLength - done,
            a.append ? null : position + done,
          );
          done += bytesWritten;
        }
        return a.append
          ? { bytesWritten: done, size: Number((await fh.stat({ bigint: true })).size) }
          : { bytesWritten: done };
      } finally {
        await fh.close();
      }
    } catch (e) {
      throw fsErrorFromErrno(op, guest, e);
    }
  }

  async mkdir(a: OpArgs<'fs.mkdir'>, ctx: Pick<AdapterCallContext, 'grants'>): Promise<OpResult<'fs.mkdir'>> {
    const op = 'fs.mkdir';
    let guest = a.path;
    try {
      const loc = await this.locate(op, a.path, 'write', ctx.grants);
      guest = loc.guest;
      if (!a.recursive) {
        const target = await this.parentTarget(op, loc);
        await mkdir(target, 0o755);
        this.assertInside(op, loc, await realpath(target));
        return {};
      }
      // Walk from the boundary one component at a time, re-resolving each step.
      let cur = loc.boundaryReal;
      for (const seg of loc.guest.slice(loc.boundaryGuest.length).split('/').filter(Boolean)) {
        const next = join(cur, seg);
        this.assertWritable(op, loc, next);
        try {
          await mkdir(next, 0o755);
        } catch (e) {
          if ((e as { code?: string }).code !== 'EEXIST') throw e;
        }
        const real = await realpath(next);
        this.assertInside(op, loc, real);
        if (!(await stat(real)).isDirectory()) throw fsErrorFromErrno(op, guest, { code: 'ENOTDIR' });
        cur = real;
      }
      return {};
    } catch (e) {
      throw fsErrorFromErrno(op, guest, e);
    }
  }

  async remove(a: OpArgs<'fs.remove'>, ctx: Pick<AdapterCallContext, 'grants'>): Promise<OpResult<'fs.remove'>> {
    const op = 'fs.remove';
    let guest = a.path;
    try {
      const loc = await this.locate(op, a.path, 'write', ctx.grants);
      guest = loc.guest;
      const target = await this.parentTarget(op, loc);
      const st = await lstat(target);
      if (a.kind === 'file' && st.isDirectory()) throw fsErrorFromErrno(op, guest, { code: 'EISDIR' });
      if (a.kind === 'directory' && !st.isDirectory()) throw fsErrorFromErrno(op, guest, { code: 'ENOTDIR' });
      if (st.isDirectory()) {
        // rm does not follow symlinks inside the tree: links are removed, their targets are not touched.
        if (a.recursive) await rm(target, { recursive: true });
        else await rmdir(target);
      } else await unlink(target);
      return {};
    } catch (e) {
      throw fsErrorFromErrno(op, guest, e);
    }
  }

  async rename(a: OpArgs<'fs.rename'>, ctx: Pick<AdapterCallContext, 'grants'>): Promise<OpResult<'fs.rename'>> {
    const op = 'fs.rename';
    let guest = a.from;
    try {
      const from = await this.locate(op, a.from, 'write', ctx.grants);
      guest = from.guest;
      const to = await this.locate(op, a.to, 'write', ctx.grants);
      const fromReal = await this.parentTarget(op, from);
      guest = to.guest;
      const toReal = await this.parentTarget(op, to);
      guest = from.guest;
      await lstat(fromReal);
      await rename(fromReal, toReal);
      return {};
    } catch (e) {
      throw fsErrorFromErrno(op, guest, e);
    }
  }

  async symlink(a: OpArgs<'fs.symlink'>, ctx: Pick<AdapterCallContext, 'grants'>): Promise<OpResult<'fs.symlink'>> {
    const op = 'fs.symlink';
    let guest = a.path;
    try {
      const loc = await this.locate(op, a.path, 'write', ctx.grants);
      guest = loc.guest;
      // The link's content must stay inside the same granted root, judged from the link's own directory.
      if (a.target.includes('\0')) throw fsErrorFromErrno(op, guest, { code: 'EINVAL' });
      if (a.target.startsWith('/') || a.target.includes('\\'))
        throw scopeDenied(op, guest, 'an absolute symbolic link target', { target: a.target });
      // Walk the target from the link's directory, relative to the boundary: it may never climb above it.
      const depth = posix.dirname(loc.guest).slice(loc.boundaryGuest.length).split('/').filter(Boolean);
      for (const seg of a.target.split('/')) {
        if (seg === '' || seg === '.') continue;
        if (seg !== '..') depth.push(seg);
        else if (depth.pop() === undefined)
          throw scopeDenied(op, guest, 'a symbolic link target that leads outside the granted root', {
            target: a.target,
          });
      }
      const target = await this.parentTarget(op, loc);
      await symlink(a.target, target);
      return {};
    } catch (e) {
      throw fsErrorFromErrno(op, guest, e);
    }
  }

  async readlink(a: OpArgs<'fs.readlink'>, ctx: Pick<AdapterCallContext, 'grants'>): Promise<OpResult<'fs.readlink'>> {
    const op = 'fs.readlink';
    let guest = a.path;
    try {
      const loc = await this.locate(op, a.path, 'read', ctx.grants);
      guest = loc.guest;
      if (loc.guest === loc.boundaryGuest) throw fsErrorFromErrno(op, guest, { code: 'EINVAL' });
      return { target: await readlink(await this.parentReal(op, loc)) };
    } catch (e) {
      throw fsErrorFromErrno(op, guest, e);
    }
  }

  async link(a: OpArgs<'fs.link'>, ctx: Pick<AdapterCallContext, 'grants'>): Promise<OpResult<'fs.link'>> {
    const op = 'fs.link';
    let guest = a.from;
    try {
      const from = await this.locate(op, a.from, 'write', ctx.grants);
      guest = from.guest;
      let fromReal: string;
      if (a.follow) {
        fromReal = await realpath(from.hostTarget);
        this.assertInside(op, from, fromReal);
      } else fromReal = await this.parentReal(op, from);
      // A link to a file of a read-only root would make it writable through the new name.
      this.assertWritable(op, from, fromReal);
      const source = await lstat(fromReal, { bigint: true });
      if (source.isDirectory()) throw fsErrorFromErrno(op, guest, { code: 'EPERM' });
      const to = await this.locate(op, a.to, 'write', ctx.grants);
      guest = to.guest;
      const toReal = await this.parentTarget(op, to);
      await link(fromReal, toReal);
      // The new name must be the inode that was checked. link(2) follows a final symlink on some systems
      // (macOS, BSD) where Linux links the symlink itself; a link to whatever that symlink named (possibly
      // outside the root) is undone here, as is a source swapped between the check and the link.
      const made = await lstat(toReal, { bigint: true });
      if (made.ino !== source.ino || made.dev !== source.dev) {
        await unlink(toReal).catch(() => {});
        throw scopeDenied(
          op,
          guest,
          'the link would name another file than the one checked (a symbolic link was followed, or the source changed)',
        );
      }
      return {};
    } catch (e) {
      throw fsErrorFromErrno(op, guest, e);
    }
  }

  /** Opens an existing file for a metadata/size change, confined and verified as writes are. */
  private async withOpenedForWrite<T>(
    op: string,
    path: string,
    grants: Grants,
    flags: number,
    use: (fh: FileHandle, st: BigIntStats, guest: string) => Promise<T>,
  ): Promise<T> {
    let guest = path;
    try {
      const loc = await this.locate(op, path, 'write', grants);
      guest = loc.guest;
      const real = await realpath(loc.hostTarget);
      this.assertInside(op, loc, real);
      this.assertWritable(op, loc, real);
      assertPlain(op, guest, await lstat(real));
      const fh = await open(real, flags | O_NOFOLLOW | O_NONBLOCK);
      try {
        const st = await this.verifyOpened(op, loc, fh, real);
        if (PROC_FD) this.assertWritable(op, loc, await readlink(`${PROC_FD}/${fh.fd}`));
        assertPlain(op, guest, st);
        return await use(fh, st, guest);
      } finally {
        await fh.close();
      }
    } catch (e) {
      throw fsErrorFromErrno(op, guest, e);
    }
  }

  async truncate(a: OpArgs<'fs.truncate'>, ctx: Pick<AdapterCallContext, 'grants'>): Promise<OpResult<'fs.truncate'>> {
    const op = 'fs.truncate';
    return this.withOpenedForWrite(op, a.path, ctx.grants, constants.O_WRONLY, async (fh, st, guest) => {
      if (!st.isFile()) throw fsErrorFromErrno(op, guest, { code: st.isDirectory() ? 'EISDIR' : 'EINVAL' });
      await fh.truncate(a.size);
      return {};
    });
  }

  async sync(a: OpArgs<'fs.sync'>, ctx: Pick<AdapterCallContext, 'grants'>): Promise<OpResult<'fs.sync'>> {
    return this.withOpenedForRead('fs.sync', a.path, ctx.grants, constants.O_RDONLY, async (fh) => {
      if (a.dataOnly) await fh.datasync();
      else await fh.sync();
      return {};
    });
  }

  async utimes(a: OpArgs<'fs.utimes'>, ctx: Pick<AdapterCallContext, 'grants'>): Promise<OpResult<'fs.utimes'>> {
    const op = 'fs.utimes';
    if (a.follow === false) {
      let guest = a.path;
      try {
        const loc = await this.locate(op, a.path, 'write', ctx.grants);
        guest = loc.guest;
        if (loc.guest !== loc.boundaryGuest) {
          const target = await this.parentReal(op, loc);
          this.assertWritable(op, loc, target);
          const st = await lstat(target, { bigint: true });
          if (st.isSymbolicLink()) {
            await lutimes(target, timeArg(a.atime, st.atimeNs), timeArg(a.mtime, st.mtimeNs));
            return {};
          }
        }
      } catch (e) {
        throw fsErrorFromErrno(op, guest, e);
      }
    }
    return this.withOpenedForWrite(op, a.path, ctx.grants, constants.O_RDONLY, async (fh, st) => {
      await fh.utimes(timeArg(a.atime, st.atimeNs), timeArg(a.mtime, st.mtimeNs));
      return {};
    });
  }
}

export function createConfinedFs(options: ConfinedFsOptions): ConfinedFs {
  return new ConfinedFs(options);
}
