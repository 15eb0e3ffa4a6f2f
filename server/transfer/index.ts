// Import and export of whole projects: ZIP export (streamed from the current snapshot) and
// import (checked whole before anything is created), lossless project bundles, duplication,
// and git import (URL policy, clone inside the project's own container). Builds on
// server/snapshots/ through its index.ts only; imports contracts, core and runtime's interface.
// Its REST resource lives in server/http/transfer.routes.ts.
export { createTransfer, type TransferDeps, type TransferSettings } from './create-transfer';
export { ProjectTransfer } from './project-transfer';
export { GitImport } from './git-import';
export * from './zip';
export { classifyAddress, isInternalAddress, type AddressVerdict } from './address-range';
