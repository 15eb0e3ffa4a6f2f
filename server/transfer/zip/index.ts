// ZIP export (writeZip) and hostile-upload-safe import (readZip) of projects.
export { writeZip, type ZipSourceEntry, type ZipWriteResult } from './zip-writer';
export { readZip, type ZipFileEntry, type ZipReadResult, type ZipSymlinkEntry } from './zip-reader';
export { ZipImportError, type ZipImportErrorCode } from './zip-errors';
export { checkName } from './zip-paths';
export { firstUnexportable, zipNameProblem } from './zip-export-names';
export { DEFAULT_ZIP_LIMITS, type ZipLimits, type ZipReadOptions } from './zip-limits';
