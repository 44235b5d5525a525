import { Type, type Static, type TSchema } from 'typebox';
import type { CapabilityName } from '../capabilities.js';
import { Bytes, Empty, Headers, Obj, Str } from './schema-helpers.js';
import { Literals } from './schema-helpers.js';
import { UiNodeSchema } from './ui.js';

/** How an op is expected to complete: `sync` ops can be answered at once; `async` ops may wait on the host. */
export type DispatchMode = 'sync' | 'async';

export interface OpDefinition {
  /** The capability that must be granted for the op to reach the host. */
  capability: CapabilityName;
  mode: DispatchMode;
  summary: string;
  args: TSchema;
  result: TSchema;
}

const LogLevel = Literals(['trace', 'debug', 'info', 'warn', 'error'] as const);
const Path = Str(4096, 1);
const FileType = Literals(['file', 'directory', 'symlink', 'other'] as const);
/** An unsigned 64-bit host number (device, inode, nanosecond timestamp) as a decimal string: exact beyond 2^53. */
const U64 = Type.String({ pattern: '^[0-9]{1,20}$' });
/** A timestamp to set: nanoseconds since the Unix epoch, or the host's current time. */
const SetTime = Type.Union([U64, Type.Literal('now')]);
const KvKey = Str(1024, 1);
const Namespace = Type.Optional(Str(256, 1));

const op = <A extends TSchema, R extends TSchema>(
  capability: CapabilityName,
  mode: DispatchMode,
  summary: string,
  args: A,
  result: R,
) => ({ capability, mode, summary, args, result });

/**
 * The v1 op catalogue. Every Universal_Instruction names one of these ops; its `args` must match the op's
 * argument schema and the adapter's answer must match its result schema. docs/abi.md lists them.
 */
export const OP_CATALOGUE = {
  'log.write': op(
    'log',
    'sync',
    'Write one structured log record.',
    Obj({
      level: LogLevel,
      message: Str(),
      fields: Type.Optional(Type.Record(Str(128), Str(4096), { maxProperties: 64 })),
    }),
    Empty,
  ),
  'stdio.write': op(
    'stdio',
    'sync',
    'Write bytes to the host standard output or error stream.',
    Obj({ stream: Type.Union([Type.Literal('stdout'), Type.Literal('stderr')]), data: Bytes(1024 * 1024) }),
    Obj({ bytesWritten: Type.Integer({ minimum: 0 }) }),
  ),
  'stdio.read': op(
    'stdio',
    'async',
    'Read up to maxBytes from the host standard input (eof when it is closed).',
    Obj({ maxBytes: Type.Integer({ minimum: 1, maximum: 1024 * 1024 }) }),
    Obj({ data: Bytes(1024 * 1024), eof: Type.Boolean() }),
  ),
  'stdio.poll': op(
    'stdio',
    'async',
    'Wait at most timeoutMs (0: just look) until the host standard input has bytes to read or is closed; ready is false when the time ran out. bytes: how many a read would get now, at least (1 when the host cannot tell how many).',
    Obj({ timeoutMs: Type.Number({ minimum: 0, maximum: 2_147_483_647 }) }),
    Obj({ ready: Type.Boolean(), eof: Type.Boolean(), bytes: Type.Integer({ minimum: 0 }) }),
  ),
  'clock.now': op(
    'clock',
    'sync',
    'Read a clock in milliseconds (realtime: since the Unix epoch; monotonic: since an arbitrary origin).',
    Obj({ clock: Type.Union([Type.Literal('realtime'), Type.Literal('monotonic')]) }),
    Obj({ timeMs: Type.Number() }),
  ),
  'random.bytes': op(
    'random',
    'sync',
    'Cryptographically secure random bytes.',
    Obj({ length: Type.Integer({ minimum: 0, maximum: 65536 }) }),
    Obj({ bytes: Bytes(65536) }),
  ),
  'env.get': op(
    'env',
    'sync',
    'Read one granted environment variable (null when unset or not granted).',
    Obj({ name: Str(256, 1) }),
    Obj({ value: Type.Union([Type.String(), Type.Null()]) }),
  ),
  'env.list': op(
    'env',
    'sync',
    'List the granted environment variables.',
    Empty,
    Obj({ variables: Type.Record(Type.String(), Type.String()) }),
  ),
  'timer.sleep': op(
    'timer',
    'async',
    'Suspend the guest for a duration.',
    Obj({ ms: Type.Number({ minimum: 0, maximum: 2_147_483_647 }) }),
    Empty,
  ),
  'timer.set': op(
    'timer',
    'sync',
    'Arm a timer; a timer.fired event arrives when it expires (repeating when `repeat`).',
    Obj({
      timerId: Str(128, 1),
      ms: Type.Number({ minimum: 0, maximum: 2_147_483_647 }),
      repeat: Type.Optional(Type.Boolean()),
    }),
    Empty,
  ),
  'timer.clear': op('timer', 'sync', 'Cancel a timer.', Obj({ timerId: Str(128, 1) }), Empty),
  'fs.read': op(
    'fs.read',
    'async',
    'Read a file (or a byte range of it) under a granted root.',
    Obj({
      path: Path,
      offset: Type.Optional(Type.Integer({ minimum: 0 })),
      length: Type.Optional(Type.Integer({ minimum: 0, maximum: 16 * 1024 * 1024 })),
    }),
    Obj({ data: Bytes(), eof: Type.Boolean() }),
  ),
  'fs.stat': op(
    'fs.read',
    'async',
    'Describe a path under a granted root (a final symbolic link itself when follow is false). Hosts that can add the device, inode, link count and nanosecond times.',
    Obj({ path: Path, follow: Type.Optional(Type.Boolean()) }),
    Obj({
      type: FileType,
      size: Type.Integer({ minimum: 0 }),
      mtimeMs: Type.Number(),
      dev: Type.Optional(U64),
      ino: Type.Optional(U64),
      nlink: Type.Optional(Type.Integer({ minimum: 0 })),
      atimeNs: Type.Optional(U64),
      mtimeNs: Type.Optional(U64),
      ctimeNs: Type.Optional(U64),
    }),
  ),
  'fs.list': op(
    'fs.read',
    'async',
    "List a directory under a granted root (with inode numbers where the host has them: the directory's own as ino).",
    Obj({ path: Path }),
    Obj({
      entries: Type.Array(Obj({ name: Str(4096, 1), type: FileType, ino: Type.Optional(U64) })),
      ino: Type.Optional(U64),
    }),
  ),
  'fs.write': op(
    'fs.write',
    'async',
    'Write (create — only a new file when exclusive —, truncate, append or write at an offset) a file under a granted root; size is the file size afterwards where the host knows it.',
    Obj({
      path: Path,
      data: Bytes(),
      append: Type.Optional(Type.Boolean()),
      offset: Type.Optional(Type.Integer({ minimum: 0 })),
      create: Type.Optional(Type.Boolean()),
      exclusive: Type.Optional(Type.Boolean()),
      truncate: Type.Optional(Type.Boolean()),
    }),
    Obj({ bytesWritten: Type.Integer({ minimum: 0 }), size: Type.Optional(Type.Integer({ minimum: 0 })) }),
  ),
  'fs.mkdir': op(
    'fs.write',
    'async',
    'Create a directory under a granted root.',
    Obj({ path: Path, recursive: Type.Optional(Type.Boolean()) }),
    Empty,
  ),
  'fs.remove': op(
    'fs.write',
    'async',
    'Remove a file or directory under a granted root (kind file: never a directory; kind directory: only an empty directory).',
    Obj({
      path: Path,
      recursive: Type.Optional(Type.Boolean()),
      kind: Type.Optional(Literals(['file', 'directory'] as const)),
    }),
    Empty,
  ),
  'fs.rename': op('fs.write', 'async', 'Rename within granted roots.', Obj({ from: Path, to: Path }), Empty),
  'fs.symlink': op(
    'fs.write',
    'async',
    'Create a symbolic link at path whose content is target (relative, and resolving inside the same granted root).',
    Obj({ target: Path, path: Path }),
    Empty,
  ),
  'fs.readlink': op(
    'fs.read',
    'async',
    'Read the content of a symbolic link under a granted root.',
    Obj({ path: Path }),
    Obj({ target: Str(4096) }),
  ),
  'fs.link': op(
    'fs.write',
    'async',
    'Create a hard link at to naming the file at from (both under writable granted roots; a final symbolic link in from is followed only when follow).',
    Obj({ from: Path, to: Path, follow: Type.Optional(Type.Boolean()) }),
    Empty,
  ),
  'fs.truncate': op(
    'fs.write',
    'async',
    'Set the size of a file under a granted root (extending with zero bytes).',
    Obj({ path: Path, size: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }) }),
    Empty,
  ),
  'fs.sync': op(
    'fs.read',
    'async',
    "Flush a file's data (and, unless dataOnly, its metadata) under a granted root to stable storage.",
    Obj({ path: Path, dataOnly: Type.Optional(Type.Boolean()) }),
    Empty,
  ),
  'fs.utimes': op(
    'fs.write',
    'async',
    'Set the access and/or modification time of a path under a granted root (an absent time is left unchanged).',
    Obj({
      path: Path,
      atime: Type.Optional(SetTime),
      mtime: Type.Optional(SetTime),
      follow: Type.Optional(Type.Boolean()),
    }),
    Empty,
  ),
  'net.http': op(
    'net.http',
    'async',
    'An HTTP request to a granted origin.',
    Obj({
      method: Literals(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const),
      url: Str(8192, 1),
      headers: Type.Optional(Headers),
      body: Type.Optional(Bytes()),
      timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000 })),
    }),
    Obj({ status: Type.Integer({ minimum: 100, maximum: 599 }), headers: Headers, body: Bytes() }),
  ),
  'net.listen.start': op(
    'net.listen',
    'async',
    'Serve HTTP on a granted port; requests arrive as net.request events.',
    Obj({ port: Type.Integer({ minimum: 0, maximum: 65535 }), host: Type.Optional(Str(255, 1)) }),
    Obj({ listenerId: Str(128, 1), port: Type.Integer({ minimum: 0, maximum: 65535 }) }),
  ),
  'net.listen.respond': op(
    'net.listen',
    'sync',
    'Answer a net.request event.',
    Obj({
      requestId: Str(128, 1),
      status: Type.Integer({ minimum: 100, maximum: 599 }),
      headers: Type.Optional(Headers),
      body: Type.Optional(Bytes()),
    }),
    Empty,
  ),
  'net.listen.stop': op('net.listen', 'async', 'Stop a listener.', Obj({ listenerId: Str(128, 1) }), Empty),
  'kv.get': op(
    'kv',
    'async',
    'Read a value (null when absent).',
    Obj({ namespace: Namespace, key: KvKey }),
    Obj({ value: Type.Union([Bytes(), Type.Null()]) }),
  ),
  'kv.set': op(
    'kv',
    'async',
    'Write a value.',
    Obj({ namespace: Namespace, key: KvKey, value: Bytes(1024 * 1024) }),
    Empty,
  ),
  'kv.delete': op('kv', 'async', 'Delete a key.', Obj({ namespace: Namespace, key: KvKey }), Empty),
  'kv.list': op(
    'kv',
    'async',
    'List keys with a prefix.',
    Obj({
      namespace: Namespace,
      prefix: Type.Optional(Str(1024)),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    }),
    Obj({ keys: Type.Array(Type.String()) }),
  ),
  'ui.render': op(
    'ui',
    'sync',
    'Replace the rendered UI tree; user actions arrive as ui.event events.',
    Obj({ tree: UiNodeSchema }),
    Empty,
  ),
  'ui.clear': op('ui', 'sync', 'Remove the rendered UI.', Empty, Empty),
  'app.info': op(
    'app',
    'sync',
    'Describe the running app and its host.',
    Empty,
    Obj({ id: Type.String(), version: Type.String(), host: Type.String(), capabilities: Type.Array(Type.String()) }),
  ),
  'app.poll': op(
    'app',
    'async',
    'Wait for the next Universal_Event for this instance (null on timeout).',
    Obj({ timeoutMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })) }),
    Obj({ event: Type.Union([Type.Unknown(), Type.Null()]) }),
  ),
  'app.exit': op(
    'app',
    'sync',
    'Ask the host to end the instance with an exit code.',
    Obj({ code: Type.Integer({ minimum: 0, maximum: 255 }) }),
    Empty,
  ),
  'clipboard.read': op('clipboard', 'async', 'Read text from the clipboard.', Empty, Obj({ text: Type.String() })),
  'clipboard.write': op('clipboard', 'async', 'Write text to the clipboard.', Obj({ text: Str(1024 * 1024) }), Empty),
  'notify.send': op(
    'notify',
    'async',
    'Show a user notification.',
    Obj({ title: Str(256, 1), body: Type.Optional(Str(4096)) }),
    Empty,
  ),
  'url.open': op('open-url', 'async', "Open a URL in the user's browser.", Obj({ url: Str(8192, 1) }), Empty),
} as const satisfies Record<string, OpDefinition>;

export type OpName = keyof typeof OP_CATALOGUE;
export const OP_NAMES = Object.keys(OP_CATALOGUE) as OpName[];

export function isOpName(op: unknown): op is OpName {
  return typeof op === 'string' && Object.prototype.hasOwnProperty.call(OP_CATALOGUE, op);
}

/** The capability each op needs (default deny: an op whose capability is not granted never reaches the host). */
export const OP_CAPABILITY: Readonly<Record<OpName, CapabilityName>> = Object.fromEntries(
  OP_NAMES.map((n) => [n, OP_CATALOGUE[n].capability]),
) as Record<OpName, CapabilityName>;

/** Argument type of an op, derived from its schema. */
export type OpArgs<O extends OpName> = Static<(typeof OP_CATALOGUE)[O]['args']>;
/** Result type of an op, derived from its schema. */
export type OpResult<O extends OpName> = Static<(typeof OP_CATALOGUE)[O]['result']>;
