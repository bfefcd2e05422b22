/** The generated files, as paths from the repository root. */
export declare const GENERATED: { document: string; types: string };
/** The text of every generated file for an OpenAPI document, by path from the repository root. */
export declare function generateApiClient(document: object): Promise<Record<string, string>>;
