export { parseManifest } from './parse.js';
export { manifestSchema, nameSchema } from './schema.js';
export type { Manifest, InstanceGroup, ManifestJob, UpdateConfig, VariableDef } from './schema.js';
export { resolveMaxInFlight } from './maxInFlight.js';
export type { WatchTime } from './watchTime.js';
