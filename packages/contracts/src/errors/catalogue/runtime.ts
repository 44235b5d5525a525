import type { ErrorCodeInfo } from '../types.js';

/**
 * Codes raised by the runtime layer: the implementation registry and router, the lifecycle manager, the
 * resource monitor (QUOTA_*) and the guest ABI host side, including its WASI preview1 subset (WASI_*).
 */
export const runtimeCodes = {
  RUNTIME_OPTIONS_INVALID: {
    layer: 'runtime',
    title: 'The runtime or an instance was configured with an option outside its contract.',
    remedy: 'Check the option named in the message against the @fayger/runtime README.',
  },
  RUNTIME_IMPLEMENTATION_INVALID: {
    layer: 'runtime',
    title: 'An object registered as a Runtime_Implementation does not meet the contract.',
    remedy: 'Register an object with a descriptor (id, version, features) and a compile(code) method.',
  },
  RUNTIME_IMPLEMENTATION_DUPLICATE: {
    layer: 'runtime',
    title: 'Two Runtime_Implementations were registered under the same id.',
    remedy: 'Register each implementation once, or give it a distinct id.',
  },
  RUNTIME_NO_IMPLEMENTATION: {
    layer: 'runtime',
    title: 'No registered Runtime_Implementation satisfies the manifest runtime policy.',
    remedy:
      'Read the per-candidate reasons: register an implementation with the required features and interface version, or relax the manifest policy.',
  },
  RUNTIME_CODE_SECTION_MISSING: {
    layer: 'runtime',
    title: 'The code section named by the manifest entry is not selected or cannot be read.',
    remedy: 'Check manifest.entry.section and the load profile: the entry code section must be selected.',
  },
  RUNTIME_ENTRY_NOT_FOUND: {
    layer: 'runtime',
    title: 'The export named by the manifest entry does not exist or is not a function of type () -> () or () -> i32.',
    remedy: 'Export the entry function (e.g. _start) from the module, or fix manifest.entry.export.',
  },
  RUNTIME_ASYNC_UNSUPPORTED: {
    layer: 'runtime',
    title: 'A host call needed to wait for the host, but the chosen Runtime_Implementation cannot suspend a guest.',
    remedy:
      "Use an implementation with the 'suspend' feature (e.g. @fayger/interpreter), or require it in the manifest.",
  },
  RUNTIME_GUEST_ABI_VIOLATION: {
    layer: 'runtime',
    title:
      'A guest called a host function of the ABI with arguments it cannot accept (bad pointer, bad JSON, bad level).',
    remedy: 'Follow docs/abi.md: pointers and lengths must lie inside the exported memory, args must be a JSON object.',
  },
  RUNTIME_INSTANCE_TERMINATED: {
    layer: 'runtime',
    title: 'The instance was terminated while the operation was in progress.',
    remedy: 'Nothing to fix if the instance was meant to end.',
  },
  QUOTA_FUEL_EXCEEDED: {
    layer: 'runtime',
    title: 'The instance used up its fuel quota (manifest quota capped by host policy).',
    remedy: 'Raise quotas.fuel in the manifest (and the host policy cap), or make the guest do less work.',
  },
  QUOTA_MEMORY_EXCEEDED: {
    layer: 'runtime',
    title: 'The instance reached its linear-memory page quota.',
    remedy: 'Raise quotas.memoryPages in the manifest (and the host policy cap), or use less memory.',
  },
  QUOTA_WALL_TIME_EXCEEDED: {
    layer: 'runtime',
    title: 'The instance ran longer than its wall-time quota.',
    remedy: 'Raise quotas.wallTimeMs in the manifest (and the host policy cap).',
  },
  QUOTA_CALL_DEPTH_EXCEEDED: {
    layer: 'runtime',
    title: 'The guest recursed deeper than its call-depth quota.',
    remedy: 'Raise quotas.callDepth, or make the guest recurse less.',
  },
  QUOTA_HOST_CALL_RATE_EXCEEDED: {
    layer: 'runtime',
    title: 'The guest made host calls faster than its hostCallsPerSecond quota allows.',
    remedy: 'Slow the guest down, or raise quotas.hostCallsPerSecond (and the host policy cap).',
  },
  QUOTA_TABLE_ELEMENTS_EXCEEDED: {
    layer: 'runtime',
    title: 'The instance declared or grew its tables past its tableElements quota (all tables together).',
    remedy:
      'Raise quotas.tableElements in the manifest (and the host cap, e.g. --quota tableElements=…), or use smaller tables.',
  },
  QUOTA_OUTPUT_EXCEEDED: {
    layer: 'runtime',
    title: 'The guest wrote more output (stdout, stderr and log messages together) than its outputBytes quota.',
    remedy: 'Raise quotas.outputBytes in the manifest (and the host cap, e.g. --quota outputBytes=…), or write less.',
  },
  RUNTIME_HOST_CALL_TOO_LARGE: {
    layer: 'runtime',
    title:
      'One host call referenced more bytes of guest memory than the per-call cap; it was refused before anything was copied.',
    remedy: 'Split the data into several calls below the cap (limits.maxHostCallBytes, default 16 MiB).',
  },
  QUOTA_SOFT_LIMIT_REACHED: {
    layer: 'runtime',
    title:
      'An instance reached the soft limit of a resource and was suspended (soft action suspend) so the embedder can decide.',
    remedy: 'Raise the limit with setLimits and resume the instance, or terminate it.',
  },
  WASI_UNSUPPORTED_IMPORT: {
    layer: 'runtime',
    title: 'The module imports a wasi_snapshot_preview1 function outside the supported subset (strict link policy).',
    remedy:
      "Avoid the function (docs/abi.md lists the subset), or link with linkPolicy 'lenient' where it returns ENOSYS.",
  },
  WASI_BAD_DESCRIPTOR: {
    layer: 'runtime',
    title: 'A WASI call named a file descriptor that is not open or not of the right kind.',
    remedy: 'Use a descriptor returned by path_open, a preopened directory (fd 3 and up) or stdio (0-2).',
  },
  WASI_PATH_OUTSIDE_ROOT: {
    layer: 'runtime',
    title: 'A WASI path resolves outside the preopened (granted) directory it is relative to.',
    remedy: 'Stay inside the granted roots; ".." may not climb above a preopened directory.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;
