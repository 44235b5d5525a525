import {
  ENGINE_NEUTRAL_STATE_VERSION,
  FaygerError,
  QUOTA_KEYS,
  isQuotaKey,
  type CompiledCode,
  type InstanceSnapshot,
  type LoadedBuf,
} from '@fayger/contracts';
import { checkInstanceSnapshot } from './snapshot.js';
import { Instance, type InstanceEnv } from './instance.js';
import { publish } from './lifecycle.js';
import { ALLOWED_LIMIT_ACTIONS, SOFT_LIMIT_RESOURCES } from './monitor.js';
import { ImplementationRegistry } from './registry.js';
import { Scheduler } from './scheduler.js';
import type {
  BufInstance,
  InstantiateOptions,
  LimitAction,
  LimitedResource,
  Runtime,
  RuntimeOptions,
} from './types.js';

function invalid(what: string, expected: string, found: string): FaygerError {
  return new FaygerError({ code: 'RUNTIME_OPTIONS_INVALID', phase: 'configure', what, expected, found });
}

function positive(v: unknown, name: string, integer: boolean): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw invalid(`reading option ${name}`, `a positive ${integer ? 'integer' : 'number'}`, String(v));
  }
}

function validate(options: RuntimeOptions): void {
  if (!options || typeof options !== 'object')
    throw invalid('creating the runtime', 'an options object', String(options));
  const bus = options.bus as unknown as Record<string, unknown> | undefined;
  if (!bus || ['dispatch', 'negotiate', 'open', 'close'].some((m) => typeof bus[m] !== 'function')) {
    throw invalid(
      'reading option bus',
      'an InstructionBus (dispatch, negotiate, open, close)',
      bus ? 'an object missing one of them' : String(bus),
    );
  }
  if (!Array.isArray(options.implementations)) {
    throw invalid(
      'reading option implementations',
      'an array of Runtime_Implementations',
      typeof options.implementations,
    );
  }
  const l = options.limits;
  positive(l?.sliceFuel, 'limits.sliceFuel', true);
  positive(l?.roundMs, 'limits.roundMs', false);
  if (l?.softLimitRatio !== undefined && !(l.softLimitRatio > 0 && l.softLimitRatio <= 1)) {
    throw invalid('reading option limits.softLimitRatio', 'a number in (0, 1]', String(l.softLimitRatio));
  }
  for (const [res, action] of Object.entries(l?.actions ?? {})) {
    const allowed = ALLOWED_LIMIT_ACTIONS[res as LimitedResource];
    if (!allowed)
      throw invalid(
        'reading option limits.actions',
        `a resource of ${Object.keys(ALLOWED_LIMIT_ACTIONS).join(', ')}`,
        res,
      );
    if (!allowed.includes(action as LimitAction)) {
      throw invalid(`reading option limits.actions.${res}`, `one of ${allowed.join(', ')}`, String(action));
    }
  }
  for (const [res, action] of Object.entries(l?.softActions ?? {})) {
    if (!SOFT_LIMIT_RESOURCES.includes(res as LimitedResource)) {
      throw invalid('reading option limits.softActions', `a resource of ${SOFT_LIMIT_RESOURCES.join(', ')}`, res);
    }
    if (action !== 'warn' && action !== 'suspend')
      throw invalid(`reading option limits.softActions.${res}`, "'warn' or 'suspend'", String(action));
  }
  for (const field of ['resources', 'defaults'] as const) {
    for (const [k, v] of Object.entries(options.hostPolicy?.[field] ?? {})) {
      if (k !== 'fuelPerSecond' && !isQuotaKey(k))
        throw invalid(`reading option hostPolicy.${field}`, `a quota key of ${QUOTA_KEYS.join(', ')}`, k);
      if (v !== undefined && (typeof v !== 'number' || !(v >= 0)))
        throw invalid(
          `reading option hostPolicy.${field}.${k}`,
          'a non-negative number (Infinity: no limit)',
          String(v),
        );
    }
  }
  positive(l?.maxHostCallBytes, 'limits.maxHostCallBytes', true);
  positive(l?.bytesPerFuel, 'limits.bytesPerFuel', true);
  if (options.linkPolicy !== undefined && options.linkPolicy !== 'strict' && options.linkPolicy !== 'lenient') {
    throw invalid('reading option linkPolicy', "'strict' or 'lenient'", String(options.linkPolicy));
  }
}

/**
 * Creates the runtime layer: the Runtime_Interface over injected pieces — Runtime_Implementations, the
 * adapter layer's InstructionBus port, an event sink, the host policy and scheduler limits.
 */
export function createRuntime(options: RuntimeOptions): Runtime {
  validate(options);
  const registry = new ImplementationRegistry();
  for (const impl of options.implementations) registry.register(impl);
  const scheduler = new Scheduler(options.limits?.roundMs ?? 8);
  const live = new Set<Instance>();
  // Keyed by the section bytes object: the loader hands out one shared, verified array per section, so
  // instances of the same artifact compile once. Weak, so an artifact no one holds is collected.
  const compiled = new WeakMap<Uint8Array, Map<string, Promise<CompiledCode>>>();
  let counter = 0;

  const env: InstanceEnv = {
    bus: options.bus,
    events: options.events,
    hostPolicy: options.hostPolicy,
    limits: options.limits,
    linkPolicy: options.linkPolicy ?? 'lenient',
    scheduler,
    sliceFuel: options.limits?.sliceFuel ?? 10_000,
    onEnd: (i) => live.delete(i),
    compile(impl, code) {
      let byImpl = compiled.get(code);
      if (!byImpl) compiled.set(code, (byImpl = new Map()));
      let p = byImpl.get(impl.descriptor.id);
      if (!p) {
        p = impl.compile(code);
        byImpl.set(impl.descriptor.id, p);
        // A failed compile is not cached: the error is reported to each instance that tries.
        p.catch(() => byImpl!.delete(impl.descriptor.id));
      }
      return p;
    },
  };

  function create(buf: LoadedBuf, opts: InstantiateOptions, snapshot?: InstanceSnapshot): BufInstance {
    const manifest = buf?.manifest;
    if (!manifest || typeof buf.section !== 'function') {
      throw invalid('instantiating a BuF', 'a LoadedBuf from the loader (manifest, section())', String(buf));
    }
    const id = opts.instanceId ?? `${manifest.id.slice(0, 100)}#${++counter}`;
    if ([...live].some((i) => i.id === id))
      throw invalid('instantiating a BuF', 'a unique instance id', `${id} (already live)`);
    const route = registry.route(manifest.runtime, options.hostPolicy?.requiredFeatures);
    // A snapshot resumes on the engine asked for, else the routed one when the state is engine-neutral, else
    // (an engine's own older state) on the engine that wrote it when the policy allows it among the candidates.
    let implementation = route.implementation;
    let fallbacks = route.fallbacks;
    if (snapshot) {
      fallbacks = [];
      if (opts.engine !== undefined) {
        const named = typeof opts.engine === 'string' ? registry.named(opts.engine) : undefined;
        if (named === undefined) {
          throw invalid(
            'resuming a snapshot',
            `engine: one of the registered engines (${registry
              .list()
              .map((i) => i.descriptor.id)
              .join(', ')})`,
            JSON.stringify(opts.engine) ?? String(opts.engine),
          );
        }
        implementation = named;
      } else if (snapshot.engine.stateVersion !== ENGINE_NEUTRAL_STATE_VERSION) {
        const same = [route.implementation, ...route.fallbacks].find((i) => i.descriptor.id === snapshot.engine.engine);
        if (same) implementation = same;
      }
    }
    const grants = opts.grants ?? options.bus.negotiate(manifest.capabilities);
    if (
      !grants ||
      !Array.isArray(grants.granted) ||
      !Array.isArray(grants.missingRequired) ||
      !Array.isArray(grants.absentOptional)
    ) {
      throw invalid(
        'instantiating a BuF',
        'grants as a GrantReport (entries, granted, missingRequired, absentOptional)',
        String(grants),
      );
    }
    const instance = new Instance(env, buf, implementation, opts, id, grants, fallbacks, snapshot);
    live.add(instance);
    publish(
      options.events,
      'runtime.implementation.selected',
      () => ({
        implementation: implementation.descriptor.id,
        reason: snapshot ? `resume: ${route.reason}` : route.reason,
      }),
      { instanceId: id },
    );
    return instance;
  }

  return {
    instantiate(buf: LoadedBuf, opts: InstantiateOptions = {}): BufInstance {
      return create(buf, opts);
    },

    resume(buf: LoadedBuf, snapshot: InstanceSnapshot, opts: InstantiateOptions = {}): BufInstance {
      checkInstanceSnapshot(snapshot);
      return create(buf, opts, snapshot);
    },

    instances(): readonly BufInstance[] {
      return [...live];
    },

    async shutdown(reason?: string): Promise<void> {
      const all = [...live];
      for (const i of all)
        if (i.state !== 'Terminated' && i.state !== 'Failed') i.terminate(reason ?? 'runtime shutdown');
      await Promise.all(all.map((i) => i.done));
    },
  };
}
