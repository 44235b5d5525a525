// Span ids only need to be unique within a process run and cheap to make: a random run prefix plus a counter.
// They are not secrets, so Math.random is adequate and works on every host.
const prefix = Math.floor(Math.random() * 0x1_0000_0000)
  .toString(16)
  .padStart(8, '0');
let counter = 0;

export function nextSpanId(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${prefix}${counter.toString(16).padStart(8, '0')}`;
}
