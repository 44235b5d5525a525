// @fayger/guest-as: AssemblyScript bindings for the Fayger guest ABI v1 (docs/abi.md).

export {
  Reply, TextReply, BytesReply, call, memRef, utf8, text, hasCapability, exit, sleep, log, clock, random, args,
} from "./host";
export { fs, env, kv, net, app, ui, Event, PollReply } from "./ops";
export { JsonObject, JsonValue, Kind, parse, quote, num, int, array, stringArray } from "./json";
export { OK, EDENIED, EINVAL, EQUOTA, EHOST, ETOOBIG, statusName } from "./status";
export { faygerAbort } from "./abort";
