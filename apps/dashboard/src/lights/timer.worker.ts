// Runs the light timers (keep-alive, blink, polling) in a dedicated worker: Chrome throttles a
// hidden tab's own timers to one wake-up a minute after a few minutes, but not a worker's, and a
// Kuando goes dark 15 s after its last keep-alive. The page sends { set | clear }; the worker
// answers each tick with the timer's id.
type Command = { op: 'set'; id: number; ms: number; repeat: boolean } | { op: 'clear'; id: number };

const timers = new Map<number, ReturnType<typeof setTimeout>>();

self.onmessage = (event: MessageEvent<Command>) => {
  const command = event.data;
  switch (command.op) {
    case 'set': {
      const tick = () => self.postMessage(command.id);
      timers.set(
        command.id,
        command.repeat
          ? setInterval(tick, command.ms)
          : setTimeout(() => {
              timers.delete(command.id);
              tick();
            }, command.ms),
      );
      break;
    }
    case 'clear':
      clearTimeout(timers.get(command.id));
      clearInterval(timers.get(command.id));
      timers.delete(command.id);
      break;
  }
};
