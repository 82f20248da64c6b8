// Vite turns `?worker` imports into a constructor of the module as a worker (built as its own file).
declare module '*?worker' {
  const WorkerConstructor: new (options?: { name?: string }) => Worker;
  export default WorkerConstructor;
}
