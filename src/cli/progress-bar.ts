/** A one-line progress bar on a terminal; silent when output is piped. */
export function createProgressBar(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): (done: number, total: number) => void {
  if (!stream.isTTY) return () => {};
  let finished = false;
  return (done, total) => {
    if (finished || total === 0) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    if (done >= total) {
      stream.write('\n');
      finished = true;
    }
  };
}
