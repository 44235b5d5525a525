// serve-static ships no types; the test uses only the middleware factory.
declare module 'serve-static' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  export default function serveStatic(
    root: string,
    options?: Record<string, unknown>,
  ): (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
}
