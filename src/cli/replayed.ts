/** Thrown before a command's action when its run memo answered (src/cli/memo.ts): the run is over, with this exit code. */
export class Replayed {
  constructor(readonly exitCode: number) {}
}
