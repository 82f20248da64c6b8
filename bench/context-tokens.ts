export const description = "x"; export async function run() { throw new Error("todo"); }
