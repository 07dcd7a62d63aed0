// The desk daemon: drives a USB BusyLight from the agent's presence (issue 8 builds it out).
function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('Usage: leadline-desk --server URL --token TOKEN [--device auto] [--list] [--test]\n');
    return 0;
  }
  process.stderr.write('leadline-desk: not yet able to drive lights; run with --help\n');
  return 1;
}

process.exitCode = main(process.argv.slice(2));
