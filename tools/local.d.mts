export function freePort(): Promise<number>;
export function createDatabase(adminUrl: string, name: string): Promise<string>;
