// Starts the S3/SQS emulator (fauxqs) on loopback only. Its own CLI binds every interface, which a
// developer machine should not expose. Port 0 asks the OS for a free port; the chosen port is printed
// as one JSON line on stdout ({"port":N}) so that scripts and test fixtures can read it without races.
// Environment: FAUXQS_PORT (default 4566), FAUXQS_S3_STORAGE_DIR (S3 objects on disk), FAUXQS_DATA_DIR
// (queues in SQLite), FAUXQS_LOGGER=true for request logs.
import net from "node:net";

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (args[0] && typeof args[0] === "object" && args[0].host === "0.0.0.0") {
    args[0] = { ...args[0], host: "127.0.0.1" };
  }
  return listen.apply(this, args);
};

const { startFauxqs } = await import("fauxqs");
const dataDir = process.env.FAUXQS_DATA_DIR;
const server = await startFauxqs({
  port: Number.parseInt(process.env.FAUXQS_PORT ?? "4566", 10),
  logger: process.env.FAUXQS_LOGGER === "true",
  s3StorageDir: process.env.FAUXQS_S3_STORAGE_DIR,
  dataDir,
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
