// Import and export of whole projects: ZIP export (streamed from the current snapshot) and
// import (checked whole before anything is created), lossless project bundles (full, or
// incremental since a snapshot and applied onto a project that has it), the export history,
// duplication, and git import (URL policy, clone inside the project's own container). Builds on
// server/snapshots/ through its index.ts only; imports contracts, core, db and runtime's interface.
// Its REST resource lives in server/http/transfer.routes.ts.
export { createTransfer, type TransferDeps, type TransferSettings } from './create-transfer';
export { ProjectTransfer, type ExportRecorder } from './project-transfer';
export { ExportHistory } from './export-history';
export { manifestHash } from './manifest-hash';
export { GitImport } from './git-import';
export * from './zip';
export { classifyAddress, isInternalAddress, type AddressVerdict } from './address-range';
