// Loaded with `--import` into a server process, by the tests of main.ts's last-resort handlers
// only: signals stand in for a bug, so the test decides exactly when it strikes.
process.on('SIGUSR2', () => {
  void Promise.reject(new Error('injected: a promise nobody awaited'));
});
process.on('SIGHUP', () => {
  setImmediate(() => {
    throw new Error('injected: an exception nobody caught');
  });
});
