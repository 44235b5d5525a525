import {
  emitEvent,
  type EventSink,
  type LoaderEvent,
  type LoaderEventSink,
  type LoaderPhase,
} from '@fayger/contracts';

/**
 * Adapts the loader's own small event type (LoaderEvent, `type` + `details`) onto the contract event model
 * (`name` + typed `data`) so one EventSink sees one stream. The loader's names already are contract names;
 * only the payload shape differs. Lazy first reads after hand-off use the loader phase 'section-read',
 * which the contract's LOADER_PHASES does not list; it travels as the envelope `phase` and its errors are
 * reported as `loader.phase.error` for phase 'read-bodies' (the contract phase for reading bodies).
 */
export function loaderEventsTo(sink: EventSink): LoaderEventSink {
  return {
    emit(e: LoaderEvent): void {
      try {
        forward(sink, e);
      } catch {
        // A sink must never break a load; the contract says emit does not throw, this guards foreign sinks.
      }
    },
  };
}

const contractPhase = (p: string | undefined): LoaderPhase => (p === 'section-read' || p === undefined ? 'read-bodies' : (p as LoaderPhase));

function errorOf(e: LoaderEvent): { name: string; message: string; code?: string } {
  const d = e.details ?? {};
  const code = typeof d.code === 'string' ? d.code : undefined;
  return { name: 'FaygerError', message: String(d.message ?? ''), ...(code ? { code } : {}) };
}

function forward(sink: EventSink, e: LoaderEvent): void {
  const d = e.details ?? {};
  const meta = e.phase ? { phase: e.phase } : {};
  const durationMs = e.durationMs ?? 0;
  const strategy = d.strategy === 'eager' ? 'eager' : 'lazy';
  switch (e.type) {
    case 'loader.load.start':
      emitEvent(sink, 'loader.load.start', { source: e.source, strategy }, meta);
      return;
    case 'loader.load.end':
      emitEvent(
        sink,
        'loader.load.end',
        {
          source: e.source,
          strategy,
          ...(typeof d.artifactId === 'string' ? { artifactId: d.artifactId } : {}),
          durationMs,
          bytesRead: Number(d.bytesRead ?? 0),
          sectionsSelected: Number(d.sectionsSelected ?? 0),
          sectionsSkipped: Number(d.sectionsSkipped ?? 0),
        },
        meta,
      );
      return;
    case 'loader.load.error':
      emitEvent(sink, 'loader.load.error', { source: e.source, phase: contractPhase(e.phase), durationMs, error: errorOf(e) }, meta);
      return;
    case 'loader.phase.start':
      emitEvent(sink, 'loader.phase.start', { phase: contractPhase(e.phase) }, meta);
      return;
    case 'loader.phase.end':
      emitEvent(
        sink,
        'loader.phase.end',
        { phase: contractPhase(e.phase), durationMs, ...(typeof d.bytes === 'number' ? { bytes: d.bytes } : {}) },
        meta,
      );
      return;
    case 'loader.phase.error':
      emitEvent(sink, 'loader.phase.error', { phase: contractPhase(e.phase), durationMs, error: errorOf(e) }, meta);
      return;
    case 'loader.section.read':
      emitEvent(
        sink,
        'loader.section.read',
        {
          sectionId: String(d.sectionId ?? ''),
          ...(typeof d.name === 'string' ? { name: d.name } : {}),
          bytes: Number(d.bytes ?? 0),
          durationMs,
          shared: d.shared === true,
        },
        meta,
      );
      return;
  }
}
