// How a long-running command (serve, watch) waits to stop: the first SIGINT or SIGTERM — or its own
// failure, polled — ends the wait so it can finish the image in hand; a second signal exits at once.

/** Resolves with the signal's name, or 'failed' once `hasFailed` says so. */
export function untilStopped(hasFailed?: () => boolean): Promise<string> {
  return new Promise((resolve) => {
    const poll = hasFailed && setInterval(() => hasFailed() && done('failed'), 250)
    const onSignal = (signal: NodeJS.Signals) => done(signal)
    function done(why: string) {
      if (poll) clearInterval(poll)
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      const again = () => process.exit(130)
      process.once('SIGINT', again)
      process.once('SIGTERM', again)
      resolve(why)
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}
