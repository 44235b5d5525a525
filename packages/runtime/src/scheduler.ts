import { monotonicNow, nextMacrotask } from './host-globals.js';

/** Something the scheduler can give a slice to. */
export interface SchedulerTask {
  /** Runs one slice. The task re-queues itself (enqueue) when it has more to do right away. */
  step(): void;
}

/**
 * Cooperative round-robin scheduler shared by every instance of a runtime. Each ready task gets one fuel slice
 * per turn, in FIFO order, so busy instances share the CPU evenly; a task waiting on a host promise is simply
 * not in the queue. After `roundMs` of guest work it yields a macrotask so host I/O and timers run, which keeps
 * a looping guest from starving the host or the other guests.
 */
export class Scheduler {
  private readonly ready: SchedulerTask[] = [];
  private readonly queued = new Set<SchedulerTask>();
  private pending = false;

  constructor(private readonly roundMs: number) {}

  enqueue(task: SchedulerTask): void {
    if (this.queued.has(task)) return;
    this.queued.add(task);
    this.ready.push(task);
    this.kick();
  }

  /** Drops a task (terminated or suspended instance). */
  remove(task: SchedulerTask): void {
    if (!this.queued.delete(task)) return;
    const i = this.ready.indexOf(task);
    if (i >= 0) this.ready.splice(i, 1);
  }

  get size(): number {
    return this.ready.length;
  }

  private kick(): void {
    if (this.pending) return;
    this.pending = true;
    nextMacrotask(() => this.round());
  }

  private round(): void {
    this.pending = false;
    const deadline = monotonicNow() + this.roundMs;
    do {
      const task = this.ready.shift();
      if (!task) break;
      this.queued.delete(task);
      try {
        task.step();
      } catch {
        // A task handles its own failures; a throw here is a runtime bug and must not stop the others.
      }
    } while (this.ready.length > 0 && monotonicNow() < deadline);
    if (this.ready.length > 0) this.kick();
  }
}
