import { writeFileSync } from 'node:fs';
import { loadRootFromProtoFiles, protoDir, renderDescriptorModule } from './protoSource.js';

// Regenerates otlpDescriptor.ts after a change to the .proto files.
const target = `${protoDir()}otlpDescriptor.ts`;
writeFileSync(target, renderDescriptorModule(loadRootFromProtoFiles()));
process.stdout.write(`wrote ${target}\n`);
