export function freePort(): Promise<number>;
export function createDatabase(adminUrl: string, name: string): Promise<string>;
export function dropDatabase(adminUrl: string, name: string): Promise<void>;
