// Preloaded into a back-office process by a test: once the server has installed its
// unhandledRejection handler, a promise is rejected that nobody handles. The process must log it
// and keep serving.
const tick = (): void => {
  if (process.listenerCount('unhandledRejection') > 0) void Promise.reject(new Error('a stray rejection for the test'));
  else setTimeout(tick, 10);
};
tick();
