export const INTERPRETER_IMPLEMENTATION_ID = "fayger-interpreter"; export function createInterpreterImplementation(): never { throw new Error("not yet"); }
