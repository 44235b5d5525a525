// The runtime compiles without DOM or Node typings (it must run on any host), but @fayger/contracts mentions
// AbortSignal in port signatures the runtime never calls. This minimal shape merges with the real one where
// a host library declares it.
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
}
