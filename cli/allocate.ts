export async function runAllocate(_a: string[], _io: unknown): Promise<number> { throw new Error("pending"); }
