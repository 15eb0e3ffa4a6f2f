// Which deployment images go: per environment the newest `keep` stay (rollback targets), and
// never one a container still uses or the caller protects (e.g. the deployment being made).
export interface RetainedImage {
  deploymentId: string;
  createdAt: Date;
}

export function imagesToPrune<T extends RetainedImage>(
  images: readonly T[],
  keep: number,
  spare: ReadonlySet<string>,
): T[] {
  const newestFirst = [...images].sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.deploymentId.localeCompare(a.deploymentId),
  );
  return newestFirst.slice(Math.max(0, keep)).filter((image) => !spare.has(image.deploymentId));
}
