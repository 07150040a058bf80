export declare const BUNDLE: string;
export declare function cliEntry(root: string): 'bundle' | 'sources';
