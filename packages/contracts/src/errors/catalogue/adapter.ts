import type { ErrorCodeInfo } from '../types.js';

/**
 * Codes raised by the adapter layer: the Universal_Instruction bus, capability enforcement and negotiation,
 * the adapter registry and host detection, and host failures normalised by Platform_Adapters.
 */
export const adapterCodes = {
  CAPABILITY_DENIED: {
    layer: 'adapter',
    title: 'An instruction needs a capability that is not granted to the instance.',
    remedy: 'Request the capability in the manifest and make sure the host policy and the adapter allow it.',
  },
  CAPABILITY_SCOPE_DENIED: {
    layer: 'adapter',
    title:
      'An instruction reached outside the scope of a granted capability (path outside the granted roots, ungranted origin, port or variable, read-only root written).',
    remedy:
      'Stay inside the granted scope, or request a wider scope (roots, origins, ports, variables, namespaces) in the manifest.',
  },
  CAPABILITY_QUOTA_EXCEEDED: {
    layer: 'adapter',
    title: 'An instruction would exceed the quota (calls, bytes or rate) of a granted capability.',
    remedy: 'Use the capability less, slow down, or ask the embedder for a larger quota.',
    retryable: false,
  },
  CAPABILITY_REQUIRED_MISSING: {
    layer: 'adapter',
    title: 'A capability the manifest marks required was not granted, so the instance cannot run.',
    remedy:
      'Read the grant report: allow the capability in the host policy, use a host whose adapter offers it, or mark it optional.',
  },
  CAPABILITY_NEGOTIATION_INVALID: {
    layer: 'adapter',
    title: 'A capability request, offer or host policy is malformed.',
    remedy: 'Check the capability entry named in the message against the CapabilityRequest / HostPolicy schema.',
  },
  ADAPTER_TIMEOUT: {
    layer: 'adapter',
    title: 'An instruction did not complete before its deadline.',
    remedy: 'Raise the instruction timeout, or check why the host is slow to answer.',
    retryable: true,
  },
  ADAPTER_CANCELLED: {
    layer: 'adapter',
    title: 'A pending instruction was cancelled because its instance was terminated or the bus closed.',
    remedy: 'Nothing to fix if the instance was meant to end.',
  },
  ADAPTER_UNSUPPORTED_OP: {
    layer: 'adapter',
    title: 'The adapter does not implement this op on this host.',
    remedy: 'Use a host whose adapter implements the op, or treat the capability as absent.',
  },
  ADAPTER_NOT_FOUND: {
    layer: 'adapter',
    title: 'No Platform_Adapter with that id is registered, or none matched the detected host.',
    remedy: 'Register the adapter package for this host, or force one by id.',
  },
  ADAPTER_DUPLICATE: {
    layer: 'adapter',
    title: 'Two Platform_Adapters were registered under the same id.',
    remedy: 'Register each adapter once; give third-party adapters a distinct id.',
  },
  ADAPTER_INVALID: {
    layer: 'adapter',
    title: 'An object registered as a Platform_Adapter, or its configuration, does not meet the contract.',
    remedy: 'Check the field named in the message against PlatformAdapter / the adapter options.',
  },
  ADAPTER_INSTANCE_UNKNOWN: {
    layer: 'adapter',
    title: 'An instruction named an instance that is not open on the bus.',
    remedy: 'Open the instance (bus.open) after negotiation and before dispatching its instructions.',
  },
  ADAPTER_INSTANCE_EXISTS: {
    layer: 'adapter',
    title: 'An instance id was opened twice on the bus.',
    remedy: 'Use a fresh instance id, or close the old instance first.',
  },
  ADAPTER_PATH_INVALID: {
    layer: 'adapter',
    title: 'A guest path is malformed (NUL byte, not absolute, bad encoding).',
    remedy: 'Pass an absolute POSIX-style guest path under a granted root, without NUL bytes.',
  },
  ADAPTER_PATH_NOT_FOUND: {
    layer: 'adapter',
    title: 'The file or directory does not exist.',
    remedy: 'Check the path, or create it first.',
  },
  ADAPTER_PATH_EXISTS: {
    layer: 'adapter',
    title: 'The file or directory already exists.',
    remedy: 'Remove it first, or write without create-exclusive semantics.',
  },
  ADAPTER_PATH_NOT_DIRECTORY: {
    layer: 'adapter',
    title: 'A directory was expected but the path names something else.',
    remedy: 'Check the path.',
  },
  ADAPTER_SPECIAL_FILE: {
    layer: 'adapter',
    title:
      'The path names a special file (FIFO, socket, character or block device); the confined filesystem never opens one (it could block the host or act on a device).',
    remedy:
      'Grant directories that hold regular files and directories only; remove the special file from the granted root.',
  },
  ADAPTER_PATH_IS_DIRECTORY: {
    layer: 'adapter',
    title: 'A file was expected but the path names a directory.',
    remedy: 'Check the path, or use fs.list / recursive removal for directories.',
  },
  ADAPTER_DIRECTORY_NOT_EMPTY: {
    layer: 'adapter',
    title: 'The directory is not empty.',
    remedy: 'Remove with `recursive: true`, or empty it first.',
  },
  ADAPTER_STREAM_CLOSED: {
    layer: 'adapter',
    title:
      'The guest wrote to a host output stream whose reader has gone (EPIPE, e.g. `fayger run app.buf | head`); the run ends.',
    remedy: 'Nothing to fix when the reader stopped on purpose; otherwise keep the reading end of the pipe open.',
  },
  ADAPTER_IO_FAILED: {
    layer: 'adapter',
    title: 'A host I/O operation failed.',
    remedy: 'See the cause; check disk space and permissions on the host.',
    retryable: true,
  },
  ADAPTER_NET_FAILED: {
    layer: 'adapter',
    title: 'A network operation failed on the host (DNS, connection, TLS, refused redirect).',
    remedy: 'See the cause; check connectivity and that the origin is reachable.',
    retryable: true,
  },
  ADAPTER_LISTEN_FAILED: {
    layer: 'adapter',
    title: 'The host could not listen on the requested port.',
    remedy: 'Pick another granted port, or stop whatever holds it.',
  },
  ADAPTER_REQUEST_UNKNOWN: {
    layer: 'adapter',
    title:
      'A response named a request or listener that is not pending (already answered, timed out, or never existed).',
    remedy: 'Answer each net.request event once, before its timeout.',
  },
  ADAPTER_LINK_CLOSED: {
    layer: 'adapter',
    title: "An adapter's link to its host in another context (adapter-core HostLink) is closed, by either side.",
    remedy: 'Create a new adapter once the host offers the link again; pending and later calls fail with this code.',
  },
  ADAPTER_LINK_MALFORMED: {
    layer: 'adapter',
    title:
      'A message from the host at the other end of a link is not the v1 link envelope (not JSON, bad field, unknown kind or id).',
    remedy: 'Fix the host side so it sends the envelope described in docs/adapters.md ("Hosts in another context").',
  },
  ADAPTER_LINK_SEND_FAILED: {
    layer: 'adapter',
    title: 'Encoding or posting a message over a host link failed (not plain data, or the transport threw).',
    remedy: 'See the cause; the message may be too large or not serialisable for this transport.',
    retryable: true,
  },
  ADAPTER_LINK_REMOTE_ERROR: {
    layer: 'adapter',
    title: 'The host at the other end of a link answered with an error that carries no Fayger error code.',
    remedy: "See the host's message in the details; fix the host handler or report its failure with a catalogue code.",
    retryable: true,
  },
  ADAPTER_UI_TREE_INVALID: {
    layer: 'adapter',
    title:
      'A UI tree cannot be rendered (an interactive node without an id, two nodes sharing an id, a field of the wrong type, or a tree too deep).',
    remedy:
      'Give every button and input a unique id and keep the tree within the depth limit; events name nodes by id.',
  },
  ADAPTER_HOST_UNDETECTED: {
    layer: 'adapter',
    title: 'Host detection found no registered adapter for this environment.',
    remedy: 'Register the adapter for this host, or force one by id.',
  },
  ADAPTER_CREATE_FAILED: {
    layer: 'adapter',
    title:
      'The adapter chosen for this host could not be created: its create() threw, rejected (no handshake, a timeout) or did not finish in time.',
    remedy: 'See the cause: fix the host side it names, or force another adapter by id or host kind.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
