export { createRelease, loadRelease, loadReleaseDir, loadReleaseTarball } from './load.js';
export { directoryChecksum } from './checksums.js';
export { renderJob } from './render.js';
export type { InstanceInfo, LinkInstance, ResolvedLink, RenderedJob } from './render.js';
export { resolveProperties } from './properties.js';
export { parseTemplate, renderNodes, TemplateError } from './template.js';
export type { Release, ReleaseJob, ReleasePackage, JobSpec, PackageSpec } from './spec.js';
