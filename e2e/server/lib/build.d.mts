/** Bundles server/index.ts to one ESM file; resolves the path written. */
export function buildServerLib(outfile?: string): Promise<string>
