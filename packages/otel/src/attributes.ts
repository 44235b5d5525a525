/**
 * Attribute, span, event and metric names. OpenTelemetry semantic-convention names where one exists
 * (`error.type`, `exception.*`); the rest live in the `fayger.*` namespace, documented in the README table.
 */

// Semantic conventions (stable): https://opentelemetry.io/docs/specs/semconv/
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_EXCEPTION_TYPE = 'exception.type';
export const ATTR_EXCEPTION_MESSAGE = 'exception.message';
export const EXCEPTION_EVENT = 'exception';

// Errors (FaygerError fields beside the semconv ones)
export const ATTR_ERROR_CODE = 'fayger.error.code';
export const ATTR_ERROR_LAYER = 'fayger.error.layer';
export const ATTR_ERROR_PHASE = 'fayger.error.phase';

// Loads
export const SPAN_LOAD = 'fayger.load';
export const ATTR_LOAD_SOURCE = 'fayger.load.source';
export const ATTR_LOAD_STRATEGY = 'fayger.load.strategy';
export const ATTR_LOAD_PHASE = 'fayger.load.phase';
export const ATTR_LOAD_BYTES_READ = 'fayger.load.bytes_read';
export const ATTR_LOAD_SECTIONS = 'fayger.load.sections';
export const ATTR_LOAD_SECTIONS_SELECTED = 'fayger.load.sections_selected';
export const ATTR_LOAD_SECTIONS_SKIPPED = 'fayger.load.sections_skipped';
export const ATTR_ARTIFACT_ID = 'fayger.artifact.id';
export const ATTR_ARTIFACT_VERSION = 'fayger.artifact.version';
export const ATTR_ARTIFACT_PUBLISHER = 'fayger.artifact.publisher';
export const ATTR_SIGNATURE_KEY_IDS = 'fayger.signature.key_ids';

// Instances
export const SPAN_INSTANCE = 'fayger.instance';
export const ATTR_INSTANCE_ID = 'fayger.instance.id';
export const ATTR_INSTANCE_STATE = 'fayger.instance.state';
export const ATTR_INSTANCE_FUEL_USED = 'fayger.instance.fuel_used';
export const ATTR_INSTANCE_MEMORY_PAGES = 'fayger.instance.memory.pages';
export const ATTR_INSTANCE_MEMORY_PEAK_PAGES = 'fayger.instance.memory.peak_pages';
export const ATTR_INSTANCE_HOST_CALLS = 'fayger.instance.host_calls';
export const ATTR_INSTANCE_WALL_TIME_MS = 'fayger.instance.wall_time_ms';
export const ATTR_INSTANCE_SLICES = 'fayger.instance.slices';
export const ATTR_INSTANCE_THROTTLED_MS = 'fayger.instance.throttled_ms';
export const EVENT_TRANSITION = 'fayger.lifecycle.transition';
export const ATTR_LIFECYCLE_FROM = 'fayger.lifecycle.from';
export const ATTR_LIFECYCLE_TO = 'fayger.lifecycle.to';
export const ATTR_LIFECYCLE_CAUSE = 'fayger.lifecycle.cause';
export const EVENT_QUOTA_WARNING = 'fayger.quota.warning';
export const EVENT_QUOTA_BREACH = 'fayger.quota.breach';
export const ATTR_QUOTA_RESOURCE = 'fayger.quota.resource';
export const ATTR_QUOTA_USED = 'fayger.quota.used';
export const ATTR_QUOTA_LIMIT = 'fayger.quota.limit';
export const ATTR_QUOTA_ACTION = 'fayger.quota.action';

// Host calls and instructions
export const SPAN_HOST_CALL = 'fayger.host_call';
export const ATTR_OP = 'fayger.op';
export const ATTR_CAPABILITY = 'fayger.capability';
export const ATTR_INSTRUCTION_MODE = 'fayger.instruction.mode';
export const ATTR_HOST_CALL_OUTCOME = 'fayger.host_call.outcome';
export const ATTR_DENIAL_REASON = 'fayger.denial.reason';

// Metrics
export const METRIC_INSTRUCTIONS = 'fayger.instructions';
export const METRIC_HOST_CALLS = 'fayger.host_calls';
export const METRIC_HOST_CALL_DURATION = 'fayger.host_call.duration';
export const METRIC_HOST_CALL_DENIALS = 'fayger.host_call.denials';
export const METRIC_QUOTA_BREACHES = 'fayger.quota.breaches';
export const METRIC_LOAD_DURATION = 'fayger.load.duration';
