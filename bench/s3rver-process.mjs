// s3rver on loopback in a process of its own, for the benchmarks: in the benchmark's process it would share one
// event loop with the sandbox, and every part it stores would hold up HubSpot's answers. `node bench/s3rver-process.mjs
// DIRECTORY BUCKET` prints the port it listens on, then serves until killed.
import S3rver from "s3rver";

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: bucket, configs: [] }],
});
const { port } = await server.run();
process.stdout.write(`${port}\n`);
process.on("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
