// Types for shipped-code.mjs (plain JavaScript, so that scripts/build.mjs can run it with node alone).
export declare const REQUIRED_CSP: Record<string, string[]>;
export declare function manifestCspProblems(manifest: Record<string, unknown>): string[];
export declare function bundleProblems(files: { path: string; text: string }[]): string[];
